import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { townsOf, type RegionsResponse } from '../../../../shared/contracts/regions.js';
import type { SearchItem, SearchPlace } from '../../../../shared/contracts/search.js';
import { eventQuery } from '../../features/event-detail/queries';
import { HISTORY_TAB, tabHolding, type QueueView } from '../../features/events-queue/queue-tabs';
import { EMPTY_HISTORY_FILTER, type HistoryFilter } from '../../features/history/history-filter';
import type { MapPin, MapPlace } from '../../map/MapView';
import { selectEvent } from '../selection';
import { useServices } from '../services';

/**
 * Where the map frames a chosen address: about 1.5 km × 0.9 km, enough for its micro-grid and the
 * neighbours' names, the household a third in from the left, so the place card (top right over
 * the map) does not hide it.
 */
const ADDRESS_FRAME = { west: 0.005, east: 0.01, south: 0.004, north: 0.004 };

/**
 * What the search box and the history tab share with the rest of the console: a case chosen
 * opens like a queue row (its live tab shown when it has one), a place flies the map, an
 * address flies the map to its pin and opens its place card, an item lists its open cases in
 * the history tab.
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
  const [address, setAddress] = useState<AddressHit | null>(null);

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
  const choosePlace = useCallback((found: SearchPlace) => {
    setAddress(null);
    setPlace((prev) => ({ bbox: found.bbox, nonce: (prev?.nonce ?? 0) + 1 }));
  }, []);
  const chooseAddress = useCallback((found: AddressHit) => {
    const { lon, lat } = found.location;
    setAddress(found);
    setPlace((prev) => ({ bbox: [lon - ADDRESS_FRAME.west, lat - ADDRESS_FRAME.south, lon + ADDRESS_FRAME.east, lat + ADDRESS_FRAME.north], nonce: (prev?.nonce ?? 0) + 1 }));
  }, []);
  const closeAddress = useCallback(() => setAddress(null), []);
  const pin = useMemo<MapPin | null>(() => (address ? { lon: address.location.lon, lat: address.location.lat, label: address.address } : null), [address]);
  const chooseItem = useCallback(
    (item: SearchItem) => {
      setHistoryFilter({ ...EMPTY_HISTORY_FILTER, item: item.code, status: 'open' });
      setTab(HISTORY_TAB);
    },
    [setTab],
  );

  /** The towns the history tab filters by: the user's, in code order. */
  const towns = useMemo(() => {
    const all = regions ? townsOf(regions) : [];
    return (scope.kind === 'county' ? all : all.filter((town) => scope.towns.includes(town.id))).map((town) => ({ id: town.id, name: town.name }));
  }, [regions, scope]);

  return { searchInputRef, historyRecordsRef, historyFilter, setHistoryFilter, place, address, pin, towns, chooseCase, choosePlace, chooseAddress, closeAddress, chooseItem };
}
