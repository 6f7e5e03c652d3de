import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { AdminFrame } from '../admin/AdminFrame';
import { AssessmentPanel } from '../assessment/AssessmentPanel';
import { CompositionPanel } from './CompositionPanel';
import { DeliberationPanel } from './DeliberationPanel';
import { TrainingPanel } from './TrainingPanel';
import { WorkersPanel } from './WorkersPanel';
import './workforce.css';

export const WORKFORCE_TABS = ['workers', 'composition', 'training', 'assessment', 'deliberation'] as const;
export type WorkforceTab = (typeof WORKFORCE_TABS)[number];

const tabOf = (search: URLSearchParams): WorkforceTab => WORKFORCE_TABS.find((t) => t === search.get('tab')) ?? 'workers';

/**
 * 网格队伍: the grid office's home (and a shift lead's view) in the page frame, with the tabs
 * between the command room's screens and its own sections — the workers, the composition of
 * the workforce, training, the assessment (德能勤绩), and the grid deliberation days.
 */
export function WorkforceScreen({ user, search, nav }: { user: SessionUser; search: URLSearchParams; nav: ReactNode }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<WorkforceTab>(() => tabOf(search));
  return (
    <AdminFrame
      user={user}
      title={t('workforce.title')}
      screen="workforce"
      nav={nav}
      sections={WORKFORCE_TABS.map((id) => ({ id, label: t(`workforce.tabs.${id}`) }))}
      current={tab}
      onSection={(id: WorkforceTab) => setTab(id)}
    >
      <div className="workforce-screen" data-testid="workforce-screen" data-tab={tab}>
        {tab === 'workers' && <WorkersPanel user={user} search={search} />}
        {tab === 'composition' && <CompositionPanel user={user} />}
        {tab === 'training' && <TrainingPanel user={user} />}
        {tab === 'assessment' && <AssessmentPanel user={user} />}
        {tab === 'deliberation' && <DeliberationPanel user={user} />}
      </div>
    </AdminFrame>
  );
}
