import type { EventRecord } from '../../../shared/contracts/events.js';
import { createStore } from './store';

/**
 * Where a selection came from. The map flies only to selections it did not make, and the
 * queue scrolls only to those it did not make, so neither echoes the other. `link`: a case
 * named elsewhere (a duplicate or master in the detail, an alert).
 */
export type SelectionOrigin = 'queue' | 'map' | 'keyboard' | 'link';

export interface Selection {
  id: string | null;
  origin: SelectionOrigin;
  /** The detail panel shows the selected event. */
  detailOpen: boolean;
  /** Counts explicit selections, so selecting the same event again still flies to it. */
  nonce: number;
  /**
   * The case as whoever selected it read it (search, history), for a case the live feed does
   * not hold (closed long ago): the map flies to it and draws it from this. Null otherwise.
   */
  record: EventRecord | null;
}

const NO_SELECTION: Selection = { id: null, origin: 'queue', detailOpen: false, nonce: 0, record: null };

export const createSelectionStore = () => createStore<Selection>(NO_SELECTION);
export type SelectionStore = ReturnType<typeof createSelectionStore>;

/**
 * Selects an event; `openDetail` also opens the detail panel, otherwise it stays as it was.
 * `record` is the case as read by a view beside the live feed (see `Selection.record`).
 */
export function selectEvent(store: SelectionStore, id: string, origin: SelectionOrigin, openDetail?: boolean, record: EventRecord | null = null): void {
  store.set((prev) => ({ id, origin, detailOpen: openDetail ?? prev.detailOpen, nonce: prev.nonce + 1, record: record?.id === id ? record : null }));
}

export function setDetailOpen(store: SelectionStore, open: boolean): void {
  store.set((prev) => (prev.detailOpen === open ? prev : { ...prev, detailOpen: open }));
}

/** Nothing selected, the detail closed (a new session starts from here). */
export function clearSelection(store: SelectionStore): void {
  store.set(NO_SELECTION);
}
