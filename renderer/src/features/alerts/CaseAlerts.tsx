import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectEvent } from '../../app/selection';
import { useServices } from '../../app/services';
import { formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { alertsFrom, mergeAlerts, type CaseAlert } from './alerts';
import './alerts.css';

/**
 * Deadline warnings (80 % of a step's time) as they are pushed: a small stack over the map that
 * never takes the focus or blocks the console; a click opens the case. Overdue steps and new
 * urgent cases come as the server's alerts (AlertBanner), acknowledged and shared by every console.
 */
export function CaseAlerts() {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { feed, selection } = useServices();
  const [alerts, setAlerts] = useState<CaseAlert[]>([]);
  const raised = useRef(new Set<string>());
  const now = useNow(5_000);

  useEffect(
    () =>
      feed.onChanges((changes) => {
        const at = Date.now();
        const incoming = alertsFrom(changes, raised.current, at);
        if (incoming.length) setAlerts((shown) => mergeAlerts(shown, incoming, at));
      }),
    [feed],
  );

  const visible = mergeAlerts(alerts, [], now);
  const dismiss = (key: string) => setAlerts((shown) => shown.filter((a) => a.key !== key));

  const card = (alert: CaseAlert) => (
    <li key={alert.key} className="case-alert" data-kind={alert.kind} data-event-id={alert.eventId} data-testid="case-alert">
      <button
        type="button"
        className="case-alert-open"
        onClick={() => {
          selectEvent(selection, alert.eventId, 'link', true);
          dismiss(alert.key);
        }}
        title={t('alerts.open')}
      >
        <span className="case-alert-kind">
          <span className="case-alert-mark" aria-hidden="true">
            ⏱
          </span>
          {t(`alerts.${alert.kind}`)}
          <span className="case-alert-age">{t('queue.age', { age: formatDuration(Math.max(0, now - alert.raisedAt), lang) })}</span>
        </span>
        <span className="case-alert-line">
          <UrgencyChip urgency={alert.urgency} />
          <strong>{alert.itemName}</strong>
        </span>
        <span className="case-alert-place">{alert.address}</span>
      </button>
      <button type="button" className="icon-button case-alert-dismiss" onClick={() => dismiss(alert.key)} aria-label={t('alerts.dismiss')} title={t('alerts.dismiss')}>
        ✕
      </button>
    </li>
  );

  return (
    <section className="case-alerts" aria-label={t('alerts.region')} hidden={visible.length === 0}>
      <ul role="status" aria-live="polite" className="case-alert-list">
        {visible.map(card)}
      </ul>
    </section>
  );
}
