import { OPEN_STATUSES, type EventListResponse, type EventRecord } from '../../../../shared/contracts/events.js';
import type { ApiClient, QueryValue } from '../api-client';
import { RECENT_WINDOW_MS } from './feed-state';

/** The snapshot only reads. */
export type SnapshotApi = Pick<ApiClient, 'get'>;

/** The largest page the API serves. */
export const PAGE_SIZE = 1000;

export interface EventsSnapshot {
  items: EventRecord[];
  /**
   * The lowest `seq` any page reported. Pages are read one after another, so changes may land
   * between them; replaying from the lowest mark re-sends those, and the feed drops what it
   * already holds.
   */
  seq: number;
}

export interface SnapshotProgress {
  loaded: number;
  total: number;
}

async function loadAll(
  api: SnapshotApi,
  query: Record<string, QueryValue>,
  onPage: (page: EventListResponse) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (let page = 1; ; page += 1) {
    const response = await api.get<EventListResponse>('/events', { ...query, page, pageSize: PAGE_SIZE }, { signal });
    onPage(response);
    if (response.items.length === 0 || page * response.pageSize >= response.total) return;
  }
}

/**
 * Loads what the console shows: every open event, plus every event reported in the last 24 h
 * whatever its state (two paged lists read side by side; they overlap, which the feed resolves).
 */
export async function loadEventsSnapshot(
  api: SnapshotApi,
  now: number,
  onProgress?: (progress: SnapshotProgress) => void,
  signal?: AbortSignal,
): Promise<EventsSnapshot> {
  // An event leaving a list while it is paged shifts the rows behind it up one page, and the
  // shifted row (which did not change) is then never read nor replayed. When the pages disagree
  // on `seq` something changed mid-read: read again, a few times at most on a busy feed.
  let snapshot = await readOnce(api, now, onProgress, signal);
  for (let attempt = 1; attempt < MAX_READS && !snapshot.consistent; attempt += 1) {
    snapshot = await readOnce(api, now, onProgress, signal);
  }
  return { items: snapshot.items, seq: snapshot.seq };
}

const MAX_READS = 3;

async function readOnce(
  api: SnapshotApi,
  now: number,
  onProgress: ((progress: SnapshotProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<EventsSnapshot & { consistent: boolean }> {
  const items: EventRecord[] = [];
  let seq = Number.POSITIVE_INFINITY;
  let maxSeq = 0;
  const totals = { open: 0, recent: 0 };
  const onPage = (list: keyof typeof totals) => (page: EventListResponse) => {
    items.push(...page.items);
    seq = Math.min(seq, page.seq);
    maxSeq = Math.max(maxSeq, page.seq);
    totals[list] = page.total;
    onProgress?.({ loaded: items.length, total: totals.open + totals.recent });
  };
  await Promise.all([
    loadAll(api, { status: OPEN_STATUSES }, onPage('open'), signal),
    loadAll(api, { since: new Date(now - RECENT_WINDOW_MS).toISOString() }, onPage('recent'), signal),
  ]);
  return { items, seq: Number.isFinite(seq) ? seq : 0, consistent: !Number.isFinite(seq) || seq === maxSeq };
}
