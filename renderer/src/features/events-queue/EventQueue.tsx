import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemNamer } from '../../app/item-names';
import { useItemNames } from '../catalog/use-item-names';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { isQueued } from '../../../../shared/domain/case-state.js';
import { EVENT_DRAG_TYPE } from '../../app/event-drag';
import { selectEvent, type Selection } from '../../app/selection';
import { useServices } from '../../app/services';
import { formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { useRemPx } from '../../app/use-rem';
import { isLanguage } from '../../i18n/i18n';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { Countdown } from './Countdown';
import { HISTORY_TAB, inTab, isAssigned, QUEUE_COMPARATORS, QUEUE_SORTS, QUEUE_TABS, QUEUE_VIEWS, tabCounts, type QueueSort, type QueueView } from './queue-tabs';
import { RowBadges } from './RowBadges';
import { UrgencyChip } from './UrgencyChip';

/** Row height in rem; rows are fixed-height so the list can be windowed. */
const ROW_REM = 4.5;
/** Rows drawn beyond the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 6;

export interface EventQueueProps {
  events: ReadonlyMap<string, EventRecord>;
  /** Whether the events have loaded; until then the tabs show no counts. */
  status: 'loading' | 'ready' | 'error';
  index: RegionIndex;
  selection: Selection;
  tab: QueueView;
  onTabChange(tab: QueueView): void;
  sort: QueueSort;
  onSortChange(sort: QueueSort): void;
  /** The ids of the current tab's rows, in order, for the keyboard commands. */
  rowIdsRef: RefObject<readonly string[]>;
  /** Rows may be dragged onto a team (board row or map marker) to dispatch them. */
  draggableRows?: boolean;
  /** Buttons at the head of the live tabs' toolbar (the new-case button, composed by the shell). */
  actions?: ReactNode;
  /** What the history tab shows instead of the live rows (features/history, composed by the shell). */
  history?: ReactNode;
}

export function EventQueue({ events, status, index, selection, tab, onTabChange, sort, onSortChange, rowIdsRef, draggableRows = false, actions, history }: EventQueueProps) {
  const { t } = useTranslation();
  const now = useNow();
  const { name: itemName } = useItemNames();

  // No order depends on the clock: sort when the events or the order change, filter each second
  // (the new and overdue tabs move with the clock).
  const all = useMemo(() => [...events.values()].filter(isQueued).sort(QUEUE_COMPARATORS[sort]), [events, sort]);
  // 市级交办 filter: only the cases a city assigned down, in every tab (offered while there are any)
  const assignedCount = useMemo(() => all.filter(isAssigned).length, [all]);
  const [assignedOnly, setAssignedOnly] = useState(false);
  const sorted = useMemo(() => (assignedOnly ? all.filter(isAssigned) : all), [all, assignedOnly]);
  // The history tab lists nothing of the live feed: its panel reads pages from the server.
  const liveTab = tab === HISTORY_TAB ? null : tab;
  const historyShown = liveTab === null;
  const rows = useMemo(() => (liveTab ? sorted.filter((e) => inTab(e, liveTab, now)) : []), [sorted, liveTab, now]);
  const counts = useMemo(() => tabCounts(sorted, now), [sorted, now]);

  useEffect(() => {
    if (liveTab) rowIdsRef.current = rows.map((r) => r.id);
  }, [rows, rowIdsRef, liveTab]);

  const remPx = useRemPx();
  const rowHeight = ROW_REM * remPx;
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    // back from the history tab, the list is a new element, at its top
    setScrollTop(el.scrollTop);
    return () => observer.disconnect();
  }, [historyShown]);

  // A new tab (clicked or keyed) starts at its most pressing row.
  useLayoutEffect(() => {
    if (listRef.current) listRef.current.scrollTop = 0;
  }, [tab, sort]);

  // Keep the selected row in view when the keyboard or the map selected it.
  const selectedIndex = selection.id ? rows.findIndex((r) => r.id === selection.id) : -1;
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el || selectedIndex < 0 || selection.origin === 'queue') return;
    const top = selectedIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selectedIndex, selection.origin, selection.nonce, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  const visible = rows.slice(first, last);

  return (
    <aside className="queue" aria-label={t('queue.title')}>
      <div className="queue-tabs" role="tablist" aria-label={t('queue.title')}>
        {QUEUE_TABS.map((key, i) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className="queue-tab"
            data-tab={key}
            data-alert={key === 'overdue' && counts.overdue > 0 ? true : undefined}
            onClick={() => onTabChange(key)}
            title={`${t(`queue.tabs.${key}`)} (${i + 1}) — ${t(`queue.tabHelp.${key}`)}`}
          >
            <span className="queue-tab-label">{t(`queue.tabs.${key}`)}</span>
            <span className="queue-tab-count">{status === 'ready' ? counts[key] : '…'}</span>
          </button>
        ))}
        <button
          type="button"
          role="tab"
          aria-selected={tab === HISTORY_TAB}
          className="queue-tab queue-tab-history"
          data-tab={HISTORY_TAB}
          onClick={() => onTabChange(HISTORY_TAB)}
          title={`${t('queue.tabs.history')} (${QUEUE_VIEWS.length}) — ${t('queue.tabHelp.history')}`}
        >
          <span className="queue-tab-label">{t('queue.tabs.history')}</span>
          <span className="queue-tab-count" aria-hidden="true">
            ⌕
          </span>
        </button>
      </div>
      {historyShown ? (
        history
      ) : (
        <>
          <div className="queue-toolbar">
            {actions}
            {(assignedCount > 0 || assignedOnly) && (
              <button
                type="button"
                className="secondary-button queue-filter"
                aria-pressed={assignedOnly}
                onClick={() => setAssignedOnly(!assignedOnly)}
                title={t('assignments.filterTitle')}
                data-testid="queue-filter-assigned"
              >
                {t('assignments.filter')} {assignedCount}
              </button>
            )}
            <span className="queue-tab-help" data-testid="tab-help">
              {t(`queue.tabHelp.${liveTab}`)}
            </span>
            <label className="queue-sort" title={t('queue.sort.hint')}>
              <span>{t('queue.sort.label')}</span>
              <select value={sort} onChange={(e) => onSortChange(e.target.value as QueueSort)} data-testid="queue-sort">
                {QUEUE_SORTS.map((key) => (
                  <option key={key} value={key}>
                    {t(`queue.sort.${key}`)}
                  </option>
                ))}
              </select>
              <kbd aria-hidden="true">o</kbd>
            </label>
          </div>
          <div
            ref={listRef}
            className="queue-list"
            role="listbox"
            aria-label={t(`queue.tabs.${liveTab}`)}
            aria-activedescendant={selectedIndex >= 0 ? `queue-row-${selection.id}` : undefined}
            tabIndex={0}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          >
            {status !== 'ready' ? (
              <div className="queue-empty">{t(status === 'error' ? 'queue.unloaded' : 'queue.loading')}</div>
            ) : rows.length === 0 ? (
              <div className="queue-empty" data-testid="queue-empty">
                <span className="queue-empty-mark" aria-hidden="true">
                  ✓
                </span>
                <strong>{t(`queue.empty.${liveTab}`)}</strong>
                <span>{t('queue.emptyHint')}</span>
              </div>
            ) : (
              <div className="queue-rows" style={{ height: rows.length * rowHeight }}>
                {visible.map((event, i) => (
                  <QueueRow key={event.id} event={event} selected={event.id === selection.id} top={(first + i) * rowHeight} height={rowHeight} index={index} draggable={draggableRows} itemName={itemName} />
                ))}
              </div>
            )}
          </div>
        </>
      )}
    </aside>
  );
}

interface QueueRowProps {
  event: EventRecord;
  selected: boolean;
  top: number;
  height: number;
  index: RegionIndex;
  draggable: boolean;
  itemName: ItemNamer;
}

/**
 * One row. Memoised: a pushed change re-renders only the rows whose case changed, and the
 * clock re-renders only the countdown and the age inside each row, not the rows themselves.
 */
const QueueRow = memo(function QueueRow({ event, selected, top, height, index, draggable, itemName }: QueueRowProps) {
  const { t } = useTranslation();
  const { selection: selectionStore } = useServices();
  return (
    <div
      id={`queue-row-${event.id}`}
      role="option"
      aria-selected={selected}
      className="queue-row"
      data-event-id={event.id}
      data-status={event.status}
      data-town-id={event.townId}
      style={{ top, height }}
      onClick={() => selectEvent(selectionStore, event.id, 'queue', true)}
      draggable={draggable}
      onDragStart={
        draggable
          ? (e) => {
              e.dataTransfer.setData(EVENT_DRAG_TYPE, event.id);
              e.dataTransfer.setData('text/plain', event.id);
              e.dataTransfer.effectAllowed = 'link';
            }
          : undefined
      }
    >
      <div className="queue-row-line">
        <UrgencyChip urgency={event.urgency} />
        <span className="queue-row-item">{itemName(event)}</span>
        {event.refusal && event.status === 'not_admitted' ? <span className="queue-row-refusal">{t('queue.refusedTo', { body: event.refusal.receivingBody })}</span> : <Countdown event={event} />}
      </div>
      <div className="queue-row-line queue-row-sub">
        <span className="queue-row-status" data-status={event.status}>
          {t(`status.${event.status}`)}
        </span>
        <RowBadges event={event} />
        <span className="queue-row-place">{placeLabel(index, event)}</span>
        <RowAge reportedAt={event.reportedAt} />
      </div>
    </div>
  );
});

/** How long ago the case was reported, on the shared clock. */
function RowAge({ reportedAt }: { reportedAt: string }) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const now = useNow();
  return <span className="queue-row-age">{t('queue.age', { age: formatDuration(now - Date.parse(reportedAt), lang) })}</span>;
}
