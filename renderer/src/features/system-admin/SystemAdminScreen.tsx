import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { AdminFrame } from '../admin/AdminFrame';
import { DataImportSection } from '../data-import/DataImportSection';
import { Notice, type NoticeValue } from '../admin/Notice';
import { CalendarSection } from './CalendarSection';
import { DeadlinesSection } from './DeadlinesSection';
import { HealthSection } from './HealthSection';
import { RetentionSection } from './RetentionSection';
import { ShiftsSection } from './ShiftsSection';
import './system-admin.css';

const SECTIONS = ['health', 'calendar', 'shifts', 'deadlines', 'retention', 'import'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The system administrator's screen (系统管理): server health first, then the settings the
 * command centre runs on — working calendar and holidays, shifts, deadline defaults and the
 * duplicate rule, data retention. Every change is confirmed, checked by the server and audited.
 */
export function SystemAdminScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('health');
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  return (
    <AdminFrame
      user={user}
      title={t('admin.system.screenTitle')}
      screen="system"
      sections={SECTIONS.map((id) => ({ id, label: t(`admin.system.section.${id}`) }))}
      current={section}
      onSection={(s) => {
        setSection(s);
        setNotice(null);
      }}
    >
      {notice && (
        <div className="system-notice">
          <Notice notice={notice} onDismiss={() => setNotice(null)} />
        </div>
      )}
      {section === 'health' && (
        <div className="system-scroll">
          <HealthSection />
        </div>
      )}
      {section === 'calendar' && <CalendarSection onNotice={setNotice} />}
      {section === 'shifts' && <ShiftsSection onNotice={setNotice} />}
      {section === 'deadlines' && <DeadlinesSection onNotice={setNotice} />}
      {section === 'retention' && <RetentionSection onNotice={setNotice} />}
      {section === 'import' && <DataImportSection onNotice={setNotice} />}
    </AdminFrame>
  );
}
