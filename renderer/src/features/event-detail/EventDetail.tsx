import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../catalog/use-item-names';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { regionNodeOf } from '../../../../shared/contracts/regions.js';
import { deadlineStanding, isOpen } from '../../../../shared/domain/case-state.js';
import { isTerminal } from '../../../../shared/domain/workflow.js';
import { selectEvent, setDetailOpen, type Selection } from '../../app/selection';
import { useServices } from '../../app/services';
import { formatDateTime, formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import { ActionBar } from '../case-actions/ActionBar';
import type { CaseActions } from '../case-actions/use-case-actions';
import { limitLabel, type Translate } from '../case-actions/wording';
import { Countdown } from '../events-queue/Countdown';
import { RowBadges } from '../events-queue/RowBadges';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { regionsQuery } from '../regions/queries';
import { PLACE_SEPARATOR, regionChain, type RegionIndex } from '../regions/region-index';
import { CaseTimeline } from './CaseTimeline';
import { eventQuery } from './queries';
import './detail.css';

export interface EventDetailProps {
  events: ReadonlyMap<string, EventRecord>;
  selection: Selection;
  index: RegionIndex;
  catalog: CatalogResponse | undefined;
  actions: CaseActions;
}

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className="detail-field" data-wide={wide}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A case id that selects the case when clicked (duplicates, master, merged children). */
function CaseLink({ id, events }: { id: string; events: ReadonlyMap<string, EventRecord> }) {
  const { t } = useTranslation();
  const { selection } = useServices();
  const { name: itemName } = useItemNames();
  const other = events.get(id);
  return (
    <button type="button" className="case-link" data-event-id={id} onClick={() => selectEvent(selection, id, 'link', true)}>
      <span className="mono">{id}</span>
      {other ? (
        <>
          <UrgencyChip urgency={other.urgency} />
          <span className="case-link-item">{itemName(other)}</span>
          <span className="status-tag">{t(`status.${other.status}`)}</span>
        </>
      ) : (
        <span className="muted">{t('detail.duplicateGone')}</span>
      )}
    </button>
  );
}

/**
 * 市级交办: which city assigned the case down, its deadline and instructions, and, once the county
 * finished it, the result reported back up.
 */
function AssignmentCallout({ assignment }: { assignment: NonNullable<EventRecord['assignment']> }) {
  const { t } = useTranslation();
  const { outcome } = assignment;
  return (
    <div className="callout" data-tone="assigned" data-testid="assignment">
      <strong>{t('assignments.callout.title', { city: assignment.byRegionName })}</strong>
      <dl className="callout-facts">
        <dt>{t('assignments.callout.due')}</dt>
        <dd className="callout-strong tabular">{formatDateTime(assignment.dueAt)}</dd>
        <dt>{t('assignments.callout.at')}</dt>
        <dd className="tabular">{formatDateTime(assignment.at)}</dd>
        {assignment.note && (
          <>
            <dt>{t('assignments.callout.note')}</dt>
            <dd>{assignment.note}</dd>
          </>
        )}
        {outcome && assignment.reportedAt && (
          <>
            <dt>{t('assignments.callout.reported')}</dt>
            <dd>
              {t(`status.${outcome.status}`)} · {formatDateTime(assignment.reportedAt)}
            </dd>
          </>
        )}
      </dl>
      {!outcome && <span className="muted">{t('assignments.callout.notReported', { city: assignment.byRegionName })}</span>}
    </div>
  );
}

/** A case a county's own server forwarded: handled there, followed here (no actions are offered). */
function ForwardedCallout({ from }: { from: NonNullable<EventRecord['forwardedFrom']> }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const { data: regions } = useQuery(regionsQuery(api));
  const county = (regions && regionNodeOf(regions, from.county)?.name) ?? from.county;
  return (
    <div className="callout" data-tone="assigned" data-testid="forwarded-from">
      <strong>{t('detail.forwardedFrom', { county, id: from.eventId })}</strong>
      <span className="muted">{t('detail.forwardedHandledThere')}</span>
    </div>
  );
}

/** What needs the dispatcher's eye before anything else: a city's assignment, refusal, pending extension, lineage, duplicates. */
function Callouts({ event, events }: { event: EventRecord; events: ReadonlyMap<string, EventRecord> }) {
  const { t } = useTranslation();
  const tr = t as unknown as Translate;
  const duplicates = event.status === 'reported' || event.status === 'filed' ? event.duplicateCandidates : [];
  return (
    <>
      {event.assignment && <AssignmentCallout assignment={event.assignment} />}
      {event.forwardedFrom && <ForwardedCallout from={event.forwardedFrom} />}
      {event.refusal && (
        <div className="callout" data-tone="refusal" data-testid="refusal">
          <strong>{t(event.status === 'not_admitted' ? 'detail.refusalNotAdmitted' : 'detail.refusalRejected')}</strong>
          <dl className="callout-facts">
            <dt>{t('detail.refusalReason')}</dt>
            <dd>{event.status === 'not_admitted' ? t(`detail.refusalReasons.${event.refusal.reason}`, { defaultValue: event.refusal.reason }) : event.refusal.reason}</dd>
            <dt>{t('detail.receivingBody')}</dt>
            <dd className="callout-strong">{event.refusal.receivingBody}</dd>
          </dl>
        </div>
      )}
      {event.extensionRequest && (
        <div className="callout" data-tone="warning" data-testid="extension-request">
          <strong>{t('detail.extensionPending')}</strong>
          <span>
            {t('detail.extensionAsk', { amount: limitLabel(tr, event.extensionRequest.limit) })} · {event.extensionRequest.reason}
          </span>
          <span className="muted">{t('detail.extensionBy', { by: event.extensionRequest.by, at: formatDateTime(event.extensionRequest.requestedAt) })}</span>
        </div>
      )}
      {event.masterId && (
        <div className="callout" data-tone="info" data-testid="lineage">
          <strong>{t('detail.mergedInto')}</strong>
          <CaseLink id={event.masterId} events={events} />
          {event.masterStatus && <span>{t('detail.masterStatus', { status: t(`status.${event.masterStatus}`) })}</span>}
        </div>
      )}
      {event.mergedIds.length > 0 && (
        <div className="callout" data-tone="info" data-testid="merged-children">
          <strong>{t('detail.mergedChildren', { count: event.mergedIds.length })}</strong>
          {event.mergedIds.map((id) => (
            <CaseLink key={id} id={id} events={events} />
          ))}
        </div>
      )}
      {duplicates.length > 0 && (
        <div className="callout" data-tone="duplicate" data-testid="duplicates">
          <strong>{t('detail.duplicates', { count: duplicates.length })}</strong>
          <span className="muted">{t('detail.duplicatesHint')}</span>
          {duplicates.map((id) => (
            <CaseLink key={id} id={id} events={events} />
          ))}
        </div>
      )}
    </>
  );
}

/**
 * The case at hand: what, where, its step and deadline, the actions this user may take, what
 * needs attention (refusal, extension, lineage, duplicates) and the timeline of every step. A
 * case no longer in the live view (an older master, say) is read from the API.
 */
export function EventDetail({ events, selection, index, catalog, actions }: EventDetailProps) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { api, selection: selectionStore } = useServices();
  const now = useNow();
  const { name: itemName } = useItemNames();
  const categories = useMemo(() => new Map(catalog?.items.map((item) => [item.category, item]) ?? []), [catalog]);

  const held = selection.id ? events.get(selection.id) : undefined;
  const fetched = useQuery({ ...eventQuery(api, selection.id ?? ''), enabled: selection.detailOpen && selection.id !== null && !held });
  const event = held ?? (fetched.data?.id === selection.id ? fetched.data : undefined);

  if (!selection.detailOpen || !selection.id) {
    return (
      <aside className="detail detail-placeholder" aria-label={t('detail.title')}>
        <p>{t('detail.empty')}</p>
        <p className="detail-hint">{t('detail.emptyKeys')}</p>
      </aside>
    );
  }
  const close = (
    <button type="button" className="icon-button" onClick={() => setDetailOpen(selectionStore, false)} aria-label={t('detail.close')} title={`${t('detail.close')} (Esc)`}>
      ✕
    </button>
  );
  if (!event) {
    return (
      <aside className="detail" aria-label={t('detail.title')} data-testid="event-detail">
        <header className="detail-header">
          <h2>{t('detail.title')}</h2>
          {close}
        </header>
        <p className="detail-gone">{fetched.isPending && fetched.fetchStatus !== 'idle' ? t('queue.loading') : t('detail.gone')}</p>
      </aside>
    );
  }

  const category = categories.get(event.category);
  // A not-admitted intake has no catalog category; say nothing rather than its placeholder.
  const categoryName = category ? (lang === 'en' ? category.categoryNameEn : category.categoryName) : event.status === 'not_admitted' ? null : event.category;
  const open = isOpen(event);
  const chain = regionChain(index, event, 'microgrid');
  const deadline = deadlineStanding(event, now);
  const deadlineNote =
    deadline.kind === 'overdue'
      ? t('detail.deadlineOver', { time: formatDuration(deadline.overdueMs, lang) })
      : deadline.kind === 'none'
        ? ''
        : t('detail.deadlineLeft', { time: formatDuration(deadline.remainingMs, lang) });

  return (
    <aside className="detail" aria-label={t('detail.title')} data-testid="event-detail" data-event-id={event.id} data-status={event.status}>
      <header className="detail-header">
        <UrgencyChip urgency={event.urgency} size="large" />
        <div className="detail-heading">
          <h2 className="detail-title">{itemName(event)}</h2>
          <span className="detail-sub">
            <span className="mono" data-testid="detail-id">
              {event.id}
            </span>
            {categoryName && <span>{categoryName}</span>}
            <span>{t(`source.${event.source}`)}</span>
          </span>
        </div>
        {close}
      </header>
      <div className="detail-status-line">
        <span className="status-pill" data-status={event.status} data-testid="detail-status">
          {t(`status.${event.status}`)}
        </span>
        {event.step && <span className="step-tag">{t('detail.stepNow', { step: t(`step.${event.step}`) })}</span>}
        {(open || event.deadlineAt) && <Countdown event={event} now={now} />}
      </div>
      <RowBadges event={event} extra />
      {(!isTerminal(event.status) || actions.notice) && <ActionBar actions={actions} finished={isTerminal(event.status)} />}
      <Callouts event={event} events={events} />
      <dl className="detail-fields">
        <Field label={t('detail.description')} wide>
          <p className="detail-description">{event.description}</p>
        </Field>
        <Field label={t('detail.region')} wide>
          {chain.length ? chain.join(PLACE_SEPARATOR) : '—'}
        </Field>
        {(event.addressCode || chain.length === 0) && (
          <Field label={t('detail.address')} wide>
            {event.address}
          </Field>
        )}
        <Field label={t('detail.reporter')}>
          {event.reporter.name} <span className="mono">{event.reporter.phone}</span>
        </Field>
        <Field label={t('detail.reportedAt')}>{formatDateTime(event.reportedAt)}</Field>
        {(open || event.teamName) && (
          <Field label={t('detail.team')} wide>
            <span data-testid="detail-team">{event.teamName ?? t('detail.teamNone')}</span>
            {event.autoDispatched && <span className="tag tag-auto">{t('detail.autoDispatched')}</span>}
          </Field>
        )}
        {event.deadlineAt && (
          <Field label={t('detail.deadlineAt')} wide>
            <span data-state={deadline.kind} className="detail-deadline-value">
              {formatDateTime(event.deadlineAt)}
              {deadlineNote}
            </span>
          </Field>
        )}
        {event.dueAt && <Field label={t('detail.dueAt')}>{formatDateTime(event.dueAt)}</Field>}
        {event.closedAt && <Field label={t('detail.closedAt')}>{formatDateTime(event.closedAt)}</Field>}
        {event.result && (
          <Field label={t('detail.result')} wide>
            <p className="detail-description">{event.result}</p>
          </Field>
        )}
      </dl>
      <CaseTimeline event={event} index={index} />
      <details className="detail-more">
        <summary>{t('detail.facts')}</summary>
        <dl className="detail-fields">
          <Field label={t('detail.item')}>
            <span className="mono">{event.itemCode}</span>
          </Field>
          <Field label={t('detail.catalogVersion')}>{event.catalogVersion}</Field>
          <Field label={t('detail.updatedAt')}>{formatDateTime(event.updatedAt)}</Field>
          <Field label={t('detail.location')} wide>
            <span className="mono">
              {event.location.lon.toFixed(5)}, {event.location.lat.toFixed(5)}
            </span>
          </Field>
        </dl>
      </details>
    </aside>
  );
}
