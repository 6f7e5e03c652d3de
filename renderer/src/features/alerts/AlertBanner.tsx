import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { useServices } from '../../app/services';
import { formatClock, formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { alertWords } from './alert-wording';
import { useAlerts } from './use-alerts';
import './alerts.css';

/** Alerts shown in full at once; the rest fold into a "more" line. */
const SHOWN = 3;

const MARKS: Record<Alert['kind'], string> = { urgent_event: '!', overdue: '⏰', task_returned: '↩', team_silent: '?' };

/**
 * The server's open alerts over the map: kind in words, the case or team, when raised, and two
 * buttons: open (the case, or the team on the board) and acknowledge (`y` for the top one).
 * Acknowledged alerts leave every console. Never takes the focus; a critical alert is announced
 * assertively.
 */
export function AlertBanner({ canAck, onOpen }: { canAck: boolean; onOpen(alert: Alert): void }) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { alerts } = useServices();
  const view = useAlerts();
  const now = useNow(5_000);
  const [expanded, setExpanded] = useState(false);
  const items = view.items;
  const shown = expanded ? items : items.slice(0, SHOWN);
  const tr = t as unknown as (key: string, options?: Record<string, unknown>) => string;

  return (
    <section className="server-alerts" aria-label={t('serverAlerts.region')} hidden={items.length === 0} data-testid="server-alerts">
      <ul className="server-alert-list" role={items.some((a) => a.severity === 'critical') ? 'alert' : 'status'} aria-live={items.some((a) => a.severity === 'critical') ? 'assertive' : 'polite'}>
        {shown.map((alert, i) => {
          const words = alertWords(tr, alert, now);
          const problem = view.problem?.alertId === alert.id ? view.problem.message : null;
          return (
            <li key={alert.id} className="server-alert" data-kind={alert.kind} data-severity={alert.severity} data-alert-id={alert.id} data-event-id={alert.eventId ?? undefined} data-testid="server-alert">
              <div className="server-alert-head">
                <span className="server-alert-mark" aria-hidden="true">
                  {MARKS[alert.kind]}
                </span>
                <strong className="server-alert-kind">{words.kind}</strong>
                {alert.params.urgency && <UrgencyChip urgency={alert.params.urgency} />}
                <time className="server-alert-time" dateTime={alert.raisedAt}>
                  {formatClock(Date.parse(alert.raisedAt))} · {t('queue.age', { age: formatDuration(Math.max(0, now - Date.parse(alert.raisedAt)), lang) })}
                </time>
              </div>
              <div className="server-alert-subject">{words.subject}</div>
              {words.detail && <div className="server-alert-detail">{words.detail}</div>}
              {problem && (
                <div className="server-alert-problem" role="alert">
                  {t('serverAlerts.ackFailed', { message: problem })}
                </div>
              )}
              <div className="server-alert-actions">
                {(alert.eventId || alert.teamId) && (
                  <button type="button" className="secondary-button" onClick={() => onOpen(alert)}>
                    {alert.kind === 'team_silent' ? t('serverAlerts.openTeam') : t('serverAlerts.openCase')}
                  </button>
                )}
                {canAck && (
                  <button type="button" className="primary-button server-alert-ack" onClick={() => void alerts.ack(alert.id)} disabled={view.acking.has(alert.id)} data-testid="alert-ack">
                    {t('serverAlerts.ack')}
                    {i === 0 && <kbd aria-hidden="true">y</kbd>}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {items.length > SHOWN && (
        <button type="button" className="server-alert-more" onClick={() => setExpanded((x) => !x)}>
          {expanded ? t('serverAlerts.fewer') : t('serverAlerts.more', { count: items.length - SHOWN })}
        </button>
      )}
    </section>
  );
}
