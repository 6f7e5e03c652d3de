import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { EVENT_STATUSES, type EventListResponse, type EventRecord } from '../../../../shared/contracts/events.js';
import type { TeamSummary } from '../../../../shared/contracts/teams.js';
import { selectEvent, type Selection } from '../../app/selection';
import { useServices } from '../../app/services';
import { countyDayStart, formatWhen } from '../../app/time-format';
import { DateField } from '../../app/ui/DateField';
import { useNow } from '../../app/use-now';
import { useItemNames } from '../catalog/use-item-names';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { EMPTY_HISTORY_FILTER, HISTORY_STATUS_GROUPS, historyQuery, isFiltered, isReversedPeriod, pageCount, type HistoryFilter, type HistoryStatus } from './history-filter';
import './history.css';

export interface HistoryPanelProps {
  filter: HistoryFilter;
  onFilterChange(filter: HistoryFilter): void;
  /** The live feed: a listed case it holds is shown as it stands now. */
  events: ReadonlyMap<string, EventRecord>;
  selection: Selection;
  index: RegionIndex;
  /** The towns the user may filter by (their scope), in code order. */
  towns: ReadonlyArray<{ id: string; name: string }>;
  items: readonly CatalogItem[];
  teams: ReadonlyMap<string, TeamSummary>;
  /** The ids of the page's rows, in order, for j/k. */
  rowIdsRef: RefObject<readonly string[]>;
  /** The page's cases by id, so a keyboard selection carries the record (for the map). */
  recordsRef: RefObject<ReadonlyMap<string, EventRecord>>;
}

const DAY_MS = 86_400_000;

/** `yyyy-mm-dd` of a county day. */
const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The queue's history tab: every case the user may see, of any state and age, page by page from
 * the server, narrowed by report period, town, item, state and team. A row opens its case like a
 * queue row, the map flying there even when the case closed long ago.
 */
export function HistoryPanel({ filter, onFilterChange, events, selection, index, towns, items, teams, rowIdsRef, recordsRef }: HistoryPanelProps) {
  const { t, i18n } = useTranslation();
  const { api, selection: selectionStore } = useServices();
  const { name: itemName } = useItemNames();
  const english = i18n.language === 'en';
  const ids = { from: useId(), to: useId(), town: useId(), status: useId(), item: useId(), team: useId(), problem: useId() };
  // A new filter starts at its first page.
  const [paging, setPaging] = useState({ filter, page: 1 });
  const page = paging.filter === filter ? paging.page : 1;
  const setPage = (next: number) => setPaging({ filter, page: next });
  const reversed = isReversedPeriod(filter);
  const query = historyQuery(filter, page);
  const list = useQuery({
    queryKey: ['events', 'history', query],
    queryFn: ({ signal }) => api.get<EventListResponse>('/events', query, { signal }),
    enabled: !reversed,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
  const data = list.data;
  const rows = useMemo(() => (data ? data.items.map((e) => events.get(e.id) ?? e) : []), [data, events]);
  const pages = data ? pageCount(data.total, data.pageSize) : 1;

  useEffect(() => {
    rowIdsRef.current = rows.map((r) => r.id);
    recordsRef.current = new Map(rows.map((r) => [r.id, r]));
  }, [rows, rowIdsRef, recordsRef]);

  // Keep the row the keyboard or the map selected in view.
  const listRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (selection.origin === 'queue' || !selection.id) return;
    listRef.current?.querySelector(`[data-event-id="${selection.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selection.id, selection.origin, selection.nonce]);

  const set = <K extends keyof HistoryFilter>(key: K, value: HistoryFilter[K]) => onFilterChange({ ...filter, [key]: value });
  const lastDays = (days: number) => {
    const today = countyDayStart(Date.now());
    onFilterChange({ ...filter, from: dayOf(today - (days - 1) * DAY_MS), to: dayOf(today) });
  };
  const teamChoices = useMemo(
    () =>
      [...teams.values()]
        .filter((team) => !filter.town || team.townId === filter.town || team.townId === null)
        .sort((a, b) => (a.townId ?? '').localeCompare(b.townId ?? '') || a.name.localeCompare(b.name, 'zh-CN')),
    [teams, filter.town],
  );

  return (
    <div className="history" data-testid="history">
      <form className="history-filters" aria-label={t('history.filters')} onSubmit={(e) => e.preventDefault()} data-testid="history-filters">
        <div className="history-period">
          <label htmlFor={ids.from}>{t('history.period')}</label>
          <DateField id={ids.from} value={filter.from} onChange={(from) => set('from', from)} testId="history-from" />
          <span aria-hidden="true">–</span>
          <DateField
            id={ids.to}
            value={filter.to}
            onChange={(to) => set('to', to)}
            invalid={reversed}
            describedBy={reversed ? ids.problem : undefined}
            testId="history-to"
          />
          <span className="history-presets">
            <button type="button" onClick={() => lastDays(1)} data-testid="history-today">
              {t('history.today')}
            </button>
            <button type="button" onClick={() => lastDays(7)}>
              {t('history.days', { count: 7 })}
            </button>
            <button type="button" onClick={() => lastDays(30)}>
              {t('history.days', { count: 30 })}
            </button>
          </span>
        </div>
        <label className="history-field" htmlFor={ids.status}>
          <span>{t('history.status')}</span>
          <select id={ids.status} value={filter.status} onChange={(e) => set('status', e.target.value as HistoryStatus)} data-testid="history-status">
            {HISTORY_STATUS_GROUPS.map((group) => (
              <option key={group} value={group}>
                {t(`history.statusGroups.${group}`)}
              </option>
            ))}
            <optgroup label={t('history.statusOne')}>
              {EVENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        {towns.length > 1 && (
          <label className="history-field" htmlFor={ids.town}>
            <span>{t('history.town')}</span>
            <select id={ids.town} value={filter.town} onChange={(e) => onFilterChange({ ...filter, town: e.target.value, team: '' })} data-testid="history-town">
              <option value="">{t('history.allTowns')}</option>
              {towns.map((town) => (
                <option key={town.id} value={town.id}>
                  {town.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="history-field" htmlFor={ids.item}>
          <span>{t('history.item')}</span>
          <select id={ids.item} value={filter.item} onChange={(e) => set('item', e.target.value)} data-testid="history-item">
            <option value="">{t('history.allItems')}</option>
            {items.map((item) => (
              <option key={item.code} value={item.code}>
                {item.code} {english ? item.nameEn : item.name}
              </option>
            ))}
          </select>
        </label>
        <label className="history-field" htmlFor={ids.team}>
          <span>{t('history.team')}</span>
          <select id={ids.team} value={filter.team} onChange={(e) => set('team', e.target.value)} data-testid="history-team">
            <option value="">{t('history.allTeams')}</option>
            {teamChoices.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
                {team.homeName && team.homeName !== team.name ? `（${team.homeName}）` : ''}
              </option>
            ))}
          </select>
        </label>
        {reversed && (
          <p className="history-problem" id={ids.problem} role="alert">
            {t('history.reversed')}
          </p>
        )}
      </form>
      <div className="history-summary" data-testid="history-summary" data-total={data?.total} data-page={page} data-pages={pages}>
        <span role="status">{data && !reversed ? t('history.total', { total: data.total }) : '\u00a0'}</span>
        {isFiltered(filter) && (
          <button type="button" className="history-reset" onClick={() => onFilterChange(EMPTY_HISTORY_FILTER)} data-testid="history-reset">
            {t('history.reset')}
          </button>
        )}
      </div>
      <div ref={listRef} className="history-list" role="listbox" aria-label={t('history.listLabel')} aria-busy={list.isFetching || undefined} data-stale={list.isPlaceholderData || undefined} tabIndex={0}>
        {reversed ? null : list.isPending ? (
          <p className="history-state">{t('history.loading')}</p>
        ) : list.isError && !data ? (
          <div className="history-state" role="alert">
            <strong>{t('history.failed', { message: list.error.message })}</strong>
            <button type="button" onClick={() => void list.refetch()}>
              {t('history.retry')}
            </button>
          </div>
        ) : rows.length === 0 ? (
          <div className="history-state" data-testid="history-empty">
            <strong>{t('history.empty')}</strong>
            <span>{t('history.emptyHint')}</span>
          </div>
        ) : (
          rows.map((event) => (
            <HistoryRow
              key={event.id}
              event={event}
              selected={event.id === selection.id}
              index={index}
              name={itemName(event)}
              onOpen={() => selectEvent(selectionStore, event.id, 'queue', true, event)}
            />
          ))
        )}
      </div>
      <nav className="history-pager" aria-label={t('history.pager')}>
        <button type="button" onClick={() => setPage(page - 1)} disabled={page <= 1 || reversed} data-testid="history-prev">
          ‹ {t('history.prev')}
        </button>
        <span data-testid="history-page">{t('history.page', { page, pages })}</span>
        <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages || reversed} data-testid="history-next">
          {t('history.next')} ›
        </button>
      </nav>
    </div>
  );
}

function HistoryRow({ event, selected, index, name, onOpen }: { event: EventRecord; selected: boolean; index: RegionIndex; name: string; onOpen(): void }) {
  const { t } = useTranslation();
  const now = useNow(60_000);
  return (
    <div role="option" aria-selected={selected} className="history-row" data-event-id={event.id} data-status={event.status} data-town-id={event.townId} onClick={onOpen}>
      <div className="history-line">
        <UrgencyChip urgency={event.urgency} />
        <span className="history-item">{name}</span>
        <span className="case-state-chip" data-status={event.status}>
          {t(`status.${event.status}`)}
        </span>
      </div>
      <div className="history-line history-sub">
        <span className="history-id mono">{event.id}</span>
        <span className="history-place">{placeLabel(index, event)}</span>
      </div>
      <div className="history-line history-sub">
        <span className="history-team">{event.teamName ?? t('history.noTeam')}</span>
        <span className="history-when">{t('history.reported', { at: formatWhen(event.reportedAt, now) })}</span>
        {event.closedAt && <span className="history-when history-closed">{t('history.closedAt', { at: formatWhen(event.closedAt, now) })}</span>}
      </div>
    </div>
  );
}
