import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { AdminFrame } from '../../features/admin/AdminFrame';
import { AgendaPage } from '../../features/analysis/AgendaPage';
import { AnalysisScreen } from '../../features/analysis/AnalysisScreen';
import { ShiftPanel } from '../../features/briefing/ShiftPanel';
import { EvaluationScreen } from '../../features/evaluation/EvaluationScreen';
import { ScreenNav } from '../../features/navigation/ScreenNav';
import { handPlaceToConsole, type Screen } from '../route';
import { useServices } from '../services';
import { wallOpener } from './open-wall';

/** The figures screens: the shift (the shift lead's home), analysis, evaluation, the meeting's agenda. */
export const FIGURE_SCREENS = ['shift', 'analysis', 'evaluation', 'agenda'] as const satisfies readonly Screen[];
export type FigureScreen = (typeof FIGURE_SCREENS)[number];

export function isFigureScreen(screen: Screen | null): screen is FigureScreen {
  return screen !== null && (FIGURE_SCREENS as readonly Screen[]).includes(screen);
}

/**
 * The shift, analysis and evaluation screens in the page frame, with the tabs between the
 * command room's screens; the agenda is a print page of its own. A hot spot shown "on the map"
 * opens the console's map on it.
 */
export function FiguresRoute({ screen, user, search }: { screen: FigureScreen; user: SessionUser; search: URLSearchParams }) {
  const { t } = useTranslation();
  const { platform } = useServices();
  if (screen === 'agenda') return <AgendaPage user={user} search={search} />;
  return (
    <AdminFrame user={user} title={t(`nav.${screen}`)} screen={screen} nav={<ScreenNav user={user} current={screen} onOpenWall={wallOpener(platform)} />}>
      {screen === 'shift' && <ShiftPanel user={user} />}
      {screen === 'analysis' && <AnalysisScreen user={user} search={search} onShowOnMap={handPlaceToConsole} />}
      {screen === 'evaluation' && <EvaluationScreen user={user} search={search} />}
    </AdminFrame>
  );
}
