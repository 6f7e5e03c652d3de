import { useTranslation } from 'react-i18next';
import { useItemNames } from '../catalog/use-item-names';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { formatClock, formatDuration } from '../../app/time-format';
import { isLanguage } from '../../i18n/i18n';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { ALERT_MARKS, alertWords } from './alert-wording';

export interface AlertItemProps {
  alert: Alert;
  /** `card`: a dock card (two lines, larger); `row`: a line of the bell's panel. */
  variant: 'card' | 'row';
  now: number;
  canAck: boolean;
  acking: boolean;
  /** The acknowledgement that failed for this alert, said next to it. */
  problem: string | null;
  /** Shows the `y` key on its acknowledge button (the dock's top card). */
  ackKey?: boolean;
  onOpen(alert: Alert): void;
  onAck(alert: Alert): void;
}

/**
 * One alert: a mark and the kind in words, the urgency, what it is about, when raised and how
 * long ago, the facts in one line, and two buttons: open (the case, or the team on the board)
 * and acknowledge.
 */
export function AlertItem({ alert, variant, now, canAck, acking, problem, ackKey = false, onOpen, onAck }: AlertItemProps) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { name: itemName } = useItemNames();
  const words = alertWords(t as unknown as (key: string, options?: Record<string, unknown>) => string, alert, now, itemName);
  const raised = Date.parse(alert.raisedAt);
  return (
    <li
      className={`alert-item alert-item-${variant}`}
      data-kind={alert.kind}
      data-severity={alert.severity}
      data-alert-id={alert.id}
      data-event-id={alert.eventId ?? undefined}
      data-testid={variant === 'card' ? 'server-alert' : 'alert-row'}
    >
      <div className="alert-item-head">
        <span className="alert-item-mark" aria-hidden="true">
          {ALERT_MARKS[alert.kind]}
        </span>
        {/* a panel row sits under its kind's header */}
        {variant === 'card' && <strong className="alert-item-kind">{words.kind}</strong>}
        <span className="alert-item-severity">{t(`serverAlerts.severity.${alert.severity}`)}</span>
        {alert.params.urgency && <UrgencyChip urgency={alert.params.urgency} />}
        <span className="alert-item-subject" title={words.subject}>
          {words.subject}
        </span>
        <time className="alert-item-time" dateTime={alert.raisedAt} title={formatClock(raised)}>
          {t('queue.age', { age: formatDuration(Math.max(0, now - raised), lang) })}
        </time>
      </div>
      <div className="alert-item-foot">
        <span className="alert-item-detail" title={words.detail}>
          {words.detail}
        </span>
        {(alert.eventId || alert.teamId) && (
          <button type="button" className="secondary-button alert-item-open" onClick={() => onOpen(alert)}>
            {alert.kind === 'team_silent' ? t('serverAlerts.openTeam') : t('serverAlerts.openCase')}
          </button>
        )}
        {canAck && (
          <button type="button" className="primary-button alert-item-ack" onClick={() => onAck(alert)} disabled={acking} data-testid="alert-ack">
            {t('serverAlerts.ack')}
            {ackKey && <kbd aria-hidden="true">y</kbd>}
          </button>
        )}
      </div>
      {problem && (
        <div className="alert-item-problem" role="alert">
          {t('serverAlerts.ackFailed', { message: problem })}
        </div>
      )}
    </li>
  );
}
