import { useTranslation } from 'react-i18next';
import { ALERT_SEVERITIES } from '../../../../shared/contracts/alerts.js';
import { countBySeverity, isLoud } from '../../app/alerts/alert-state';
import { useServices } from '../../app/services';
import { useNow } from '../../app/use-now';
import { AlertItem } from './AlertItem';
import { useAlerts } from './use-alerts';
import './alerts.css';

/** Cards the dock shows at once; the rest are counted, and listed in the bell's panel. */
const DOCK_CARDS = 3;

/**
 * The alerts dock, in the top left corner of the map: a one-line header with the open alerts
 * counted by severity (the way to the bell's panel, where all of them are grouped), and below it
 * the newest critical and warning alerts as cards, at most three, then "+N more". Notices get no
 * card. It can be folded to its header; it never covers the map's centre or the case on the
 * right, and never takes the focus. An alert leaves it when acknowledged here or elsewhere, or
 * when its cause ends.
 */
export function AlertDock() {
  const { t } = useTranslation();
  const { alerts } = useServices();
  const view = useAlerts();
  const now = useNow(5_000);
  const items = view.items;
  const loud = items.filter(isLoud);
  const shown = view.dockFolded ? [] : loud.slice(0, DOCK_CARDS);
  const counts = countBySeverity(items);
  const critical = counts.critical > 0;
  if (items.length === 0) return null;

  return (
    <section className="alert-dock" aria-label={t('serverAlerts.region')} data-folded={view.dockFolded || undefined} data-critical={critical || undefined} data-testid="alert-dock">
      <div className="alert-dock-head">
        <button
          type="button"
          className="alert-dock-fold"
          aria-expanded={!view.dockFolded}
          onClick={() => alerts.setDockFolded(!view.dockFolded)}
          title={view.dockFolded ? t('serverAlerts.dock.unfold') : t('serverAlerts.dock.fold')}
          data-testid="alert-dock-fold"
        >
          <span aria-hidden="true">{view.dockFolded ? '▸' : '▾'}</span>
          <strong>{t('serverAlerts.region')}</strong>
        </button>
        <span className="alert-dock-counts">
          {ALERT_SEVERITIES.filter((s) => counts[s] > 0).map((s) => (
            <span key={s} className="alert-dock-count" data-severity={s} data-testid={`alert-dock-count-${s}`}>
              {t(`serverAlerts.severity.${s}`)} {counts[s]}
            </span>
          ))}
        </span>
        <button type="button" className="alert-dock-all" onClick={() => alerts.openPanel()} data-testid="alert-dock-all">
          {t('serverAlerts.dock.all')}
        </button>
      </div>
      {shown.length > 0 && (
        <ul className="alert-dock-list" role={critical ? 'alert' : 'status'} aria-live={critical ? 'assertive' : 'polite'}>
          {shown.map((alert, i) => (
            <AlertItem
              key={alert.id}
              alert={alert}
              variant="card"
              now={now}
              canAck={view.canAck}
              acking={view.acking.has(alert.id)}
              problem={view.problem?.alertId === alert.id ? view.problem.message : null}
              ackKey={i === 0}
              onOpen={(a) => alerts.open(a)}
              onAck={(a) => void alerts.ack(a.id)}
            />
          ))}
        </ul>
      )}
      {!view.dockFolded && loud.length > DOCK_CARDS && (
        <button type="button" className="alert-dock-more" onClick={() => alerts.openPanel()} data-testid="alert-dock-more">
          {t('serverAlerts.dock.more', { count: loud.length - DOCK_CARDS })}
        </button>
      )}
    </section>
  );
}
