import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { setDetailOpen, type Selection } from '../../app/selection';
import { useServices } from '../../app/services';
import { formatDateTime, formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import { deadlineState } from '../events-queue/countdown';
import { Countdown } from '../events-queue/Countdown';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { PLACE_SEPARATOR, regionChain, type RegionIndex } from '../regions/region-index';

export interface EventDetailProps {
  events: ReadonlyMap<string, EventRecord>;
  selection: Selection;
  index: RegionIndex;
  catalog: CatalogResponse | undefined;
}

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className="detail-field" data-wide={wide}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The case at hand, read-only: workflow actions arrive with the closed-loop issue. */
export function EventDetail({ events, selection, index, catalog }: EventDetailProps) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { selection: selectionStore } = useServices();
  const now = useNow();
  const categories = useMemo(() => new Map(catalog?.items.map((item) => [item.category, item]) ?? []), [catalog]);

  const event = selection.id ? events.get(selection.id) : undefined;
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
        <p className="detail-gone">{t('detail.gone')}</p>
      </aside>
    );
  }

  const category = categories.get(event.category);
  const categoryName = category ? (lang === 'en' ? category.categoryNameEn : category.categoryName) : event.category;
  const chain = regionChain(index, event, 'microgrid');
  const deadline = deadlineState(event, now);
  const deadlineNote =
    deadline.kind === 'overdue'
      ? t('detail.deadlineOver', { time: formatDuration(deadline.overdueMs, lang) })
      : deadline.kind === 'none'
        ? ''
        : t('detail.deadlineLeft', { time: formatDuration(deadline.remainingMs, lang) });

  return (
    <aside className="detail" aria-label={t('detail.title')} data-testid="event-detail" data-event-id={event.id}>
      <header className="detail-header">
        <UrgencyChip urgency={event.urgency} size="large" />
        <h2 className="detail-title">{event.itemName}</h2>
        {close}
      </header>
      <div className="detail-status-line">
        <span className="status-pill" data-status={event.status}>
          {t(`status.${event.status}`)}
        </span>
        <Countdown event={event} now={now} />
      </div>
      <dl className="detail-fields">
        <Field label={t('detail.id')}>
          <span className="mono">{event.id}</span>
        </Field>
        <Field label={t('detail.item')}>
          {event.itemName} <span className="muted mono">{event.itemCode}</span>
        </Field>
        <Field label={t('detail.category')}>{categoryName}</Field>
        <Field label={t('detail.urgency')}>
          <UrgencyChip urgency={event.urgency} /> <span className="muted">{event.urgency}</span>
        </Field>
        <Field label={t('detail.status')}>{t(`status.${event.status}`)}</Field>
        <Field label={t('detail.source')}>{t(`source.${event.source}`)}</Field>
        <Field label={t('detail.description')} wide>
          <p className="detail-description">{event.description}</p>
        </Field>
        <Field label={t('detail.address')} wide>
          {event.address}
        </Field>
        <Field label={t('detail.region')} wide>
          {chain.length ? chain.join(PLACE_SEPARATOR) : '—'}
        </Field>
        <Field label={t('detail.reporter')} wide>
          {event.reporter.name} <span className="mono">{event.reporter.phone}</span>
        </Field>
        <Field label={t('detail.reportedAt')}>{formatDateTime(event.reportedAt)}</Field>
        <Field label={t('detail.updatedAt')}>{formatDateTime(event.updatedAt)}</Field>
        <Field label={t('detail.deadlineAt')} wide>
          <span data-state={deadline.kind} className="detail-deadline-value">
            {formatDateTime(event.deadlineAt)}
            {deadlineNote}
          </span>
        </Field>
        {event.closedAt && <Field label={t('detail.closedAt')}>{formatDateTime(event.closedAt)}</Field>}
        <Field label={t('detail.location')} wide>
          <span className="mono">
            {event.location.lon.toFixed(5)}, {event.location.lat.toFixed(5)}
          </span>
        </Field>
      </dl>
    </aside>
  );
}
