import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { RegionsResponse } from '../../../../shared/contracts/regions.js';
import type { SearchItem, SearchPlace } from '../../../../shared/contracts/search.js';
import { eventQuery } from '../../features/event-detail/queries';
import { HISTORY_TAB, tabHolding, type QueueView } from '../../features/events-queue/queue-tabs';
import { EMPTY_HISTORY_FILTER, type HistoryFilter } from '../../features/history/history-filter';
import type { MapPlace } from '../../map/MapView';
import { selectEvent } from '../selection';
import { useServices } from '../services';

/**
 * What the search box and the history tab share with the rest of the console: a case chosen
 * opens like a queue row (its live tab shown when it has one), a place flies the map, an item
 * lists its open cases in the history tab.
 */
export function useFind({
  events,
  tab,
  setTab,
  scope,
  regions,
}: {
  events: ReadonlyMap<string, EventRecord>;
  tab: QueueView;
  setTab: Dispatch<SetStateAction<QueueView>>;
  scope: Scope;
  regions: RegionsResponse | undefined;
}) {
  const { api, selection } = useServices();
  const queryClient = useQueryClient();
  const searchInputRef = useRef<HTMLInputElement>(null);
  /** The history page's cases by id: a keyboard selection there carries its record to the map. */
  const historyRecordsRef = useRef<ReadonlyMap<string, EventRecord>>(new Map());
  const [historyFilter, setHistoryFilter] = useState<HistoryFilter>(EMPTY_HISTORY_FILTER);
  const [place, setPlace] = useState<MapPlace | null>(null);

  const chooseCase = useCallback(
    (event: EventRecord) => {
      const held = events.get(event.id);
      if (held && tab !== HISTORY_TAB) {
        const holding = tabHolding(held, tab, Date.now());
        if (holding && holding !== tab) setTab(holding);
      }
      // The detail shows the case at once instead of reading it again.
      if (!held) queryClient.setQueryData(eventQuery(api, event.id).queryKey, event);
      selectEvent(selection, event.id, 'link', true, held ? null : event);
    },
    [events, tab, setTab, queryClient, api, selection],
  );
  const choosePlace = useCallback((found: SearchPlace) => setPlace((prev) => ({ bbox: found.bbox, nonce: (prev?.nonce ?? 0) + 1 })), []);
  const chooseItem = useCallback(
    (item: SearchItem) => {
      setHistoryFilter({ ...EMPTY_HISTORY_FILTER, item: item.code, status: 'open' });
      setTab(HISTORY_TAB);
    },
    [setTab],
  );

  /** The towns the history tab filters by: the user's, in code order. */
  const towns = useMemo(() => {
    const all = regions?.county.children ?? [];
    return (scope.kind === 'county' ? all : all.filter((town) => scope.towns.includes(town.id))).map((town) => ({ id: town.id, name: town.name }));
  }, [regions, scope]);

  return { searchInputRef, historyRecordsRef, historyFilter, setHistoryFilter, place, towns, chooseCase, choosePlace, chooseItem };
}
