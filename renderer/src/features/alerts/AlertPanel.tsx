import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_KINDS, ALERT_SEVERITIES, type AlertKind, type AlertSeverity } from '../../../../shared/contracts/alerts.js';
import { filterAlerts, groupByKind, type AlertKindGroup } from '../../app/alerts/alert-state';
import { useServices } from '../../app/services';
import { useNow } from '../../app/use-now';
import { geoQuery } from '../regions/queries';
import { AlertItem } from './AlertItem';
import { ALERT_MARKS } from './alert-wording';
import { useAlerts } from './use-alerts';

/** Rows a group lists before "show more": a long group stays one screen tall. */
const GROUP_ROWS = 12;

/**
 * The bell's panel: every open alert, grouped by kind with counts by severity, narrowed by kind,
 * severity and town; each alert opened or acknowledged on its own, or a whole group (as
 * narrowed) acknowledged with one reason, which the server requires and records.
 */
export function AlertPanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const { alerts, api } = useServices();
  const view = useAlerts();
  const now = useNow(5_000);
  const { filter } = view.panel;
  const towns = useQuery(geoQuery(api, 'town'));
  const townName = (townId: string) => towns.data?.features.find((f) => f.properties?.id === townId)?.properties?.name ?? townId;
  const townIds = [...new Set(view.items.map((a) => a.townId).filter((x): x is string => x !== null))].sort();
  const shown = filterAlerts(view.items, filter);
  const groups = groupByKind(shown);
  const kindCount = (kind: AlertKind) => view.items.filter((a) => a.kind === kind).length;

  return (
    <div className="alert-panel" role="dialog" aria-label={t('serverAlerts.panel.title')} id={id} tabIndex={-1} data-testid="alert-panel">
      <div className="alert-panel-head">
        <strong className="alert-panel-title">{t('serverAlerts.panel.count', { count: view.items.length })}</strong>
        <div className="alert-panel-filters">
          <label>
            {t('serverAlerts.panel.filterKind')}
            <select value={filter.kind ?? ''} onChange={(e) => alerts.setFilter({ ...filter, kind: (e.target.value || null) as AlertKind | null })} data-testid="alert-filter-kind">
              <option value="">{t('serverAlerts.panel.any')}</option>
              {ALERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`serverAlerts.kind.${k}`)} ({kindCount(k)})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('serverAlerts.panel.filterSeverity')}
            <select
              value={filter.severity ?? ''}
              onChange={(e) => alerts.setFilter({ ...filter, severity: (e.target.value || null) as AlertSeverity | null })}
              data-testid="alert-filter-severity"
            >
              <option value="">{t('serverAlerts.panel.any')}</option>
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`serverAlerts.severity.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('serverAlerts.panel.filterTown')}
            <select value={filter.townId ?? ''} onChange={(e) => alerts.setFilter({ ...filter, townId: e.target.value || null })} data-testid="alert-filter-town">
              <option value="">{t('serverAlerts.panel.any')}</option>
              {townIds.map((id_) => (
                <option key={id_} value={id_}>
                  {townName(id_)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div className="alert-panel-body">
        {view.status === 'error' && (
          <p className="alert-panel-note" role="alert">
            {t('serverAlerts.loadFailed', { message: view.error?.message ?? '' })}
          </p>
        )}
        {groups.length === 0 && <p className="alert-panel-note">{t('serverAlerts.panel.none')}</p>}
        {groups.map((group) => (
          <AlertGroupSection key={group.kind} group={group} now={now} />
        ))}
      </div>
      <div className="alert-panel-foot">
        <button type="button" aria-pressed={view.muted} onClick={() => alerts.setMuted(!view.muted)} data-testid="alert-sound-toggle">
          {view.muted ? t('serverAlerts.unmute') : t('serverAlerts.mute')}
        </button>
        {view.notifications === 'default' && (
          <button type="button" onClick={() => void alerts.requestNotifications()}>
            {t('serverAlerts.enableNotifications')}
          </button>
        )}
        <span className="alert-panel-note">{t(`serverAlerts.notifications.${view.notifications}`)}</span>
      </div>
    </div>
  );
}

/** One kind's alerts: a header with the counts and the group acknowledgement (with its reason), then the rows. */
function AlertGroupSection({ group, now }: { group: AlertKindGroup; now: number }) {
  const { t } = useTranslation();
  const { alerts } = useServices();
  const view = useAlerts();
  const { canAck } = view;
  const [more, setMore] = useState(false);
  const [acking, setAcking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const rows = more ? group.items : group.items.slice(0, GROUP_ROWS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim() || sending) return;
    setSending(true);
    const failed = await alerts.ackGroup(
      group.items.map((a) => a.id),
      reason.trim(),
    );
    setSending(false);
    setProblem(failed);
    if (!failed) {
      setAcking(false);
      setReason('');
    }
  };

  return (
    <section className="alert-group" data-kind={group.kind} data-testid="alert-group">
      <div className="alert-group-head">
        <span className="alert-item-mark" aria-hidden="true">
          {ALERT_MARKS[group.kind]}
        </span>
        <strong>{t(`serverAlerts.kind.${group.kind}`)}</strong>
        <span className="alert-group-count" data-testid="alert-group-count">
          {group.items.length}
        </span>
        <span className="alert-group-severities">
          {ALERT_SEVERITIES.filter((s) => group.bySeverity[s] > 0).map((s) => (
            <span key={s} className="alert-dock-count" data-severity={s}>
              {t(`serverAlerts.severity.${s}`)} {group.bySeverity[s]}
            </span>
          ))}
        </span>
        {canAck && !acking && (
          <button type="button" className="secondary-button alert-group-ack" onClick={() => setAcking(true)} data-testid="alert-group-ack">
            {t('serverAlerts.panel.ackGroup', { count: group.items.length })}
          </button>
        )}
      </div>
      {acking && (
        <form className="alert-group-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('serverAlerts.panel.reasonLabel')}
            <input
              type="text"
              value={reason}
              maxLength={500}
              required
              autoFocus
              placeholder={t('serverAlerts.panel.reasonPlaceholder')}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                // Esc leaves the reason, not the panel
                e.preventDefault();
                e.stopPropagation();
                setAcking(false);
              }}
              data-testid="alert-group-reason"
            />
          </label>
          <button type="submit" className="primary-button" disabled={!reason.trim() || sending} data-testid="alert-group-confirm">
            {t('serverAlerts.panel.confirmGroup', { count: group.items.length })}
          </button>
          <button type="button" className="secondary-button" onClick={() => setAcking(false)}>
            {t('serverAlerts.panel.cancel')}
          </button>
          {problem && (
            <p className="alert-item-problem" role="alert">
              {t('serverAlerts.panel.groupFailed', { message: problem })}
            </p>
          )}
        </form>
      )}
      <ul className="alert-group-list">
        {rows.map((alert) => (
          <AlertItem
            key={alert.id}
            alert={alert}
            variant="row"
            now={now}
            canAck={canAck}
            acking={view.acking.has(alert.id)}
            problem={view.problem?.alertId === alert.id ? view.problem.message : null}
            onOpen={(a) => {
              // the case opens on the right, where the panel would cover it
              alerts.closePanel();
              alerts.open(a);
            }}
            onAck={(a) => void alerts.ack(a.id)}
          />
        ))}
      </ul>
      {group.items.length > GROUP_ROWS && (
        <button type="button" className="alert-group-more" onClick={() => setMore((m) => !m)} data-testid="alert-group-more">
          {more ? t('serverAlerts.panel.showFewer') : t('serverAlerts.panel.showMore', { count: group.items.length - GROUP_ROWS })}
        </button>
      )}
    </section>
  );
}
