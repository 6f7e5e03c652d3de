import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES, type EventListResponse } from '../../../../shared/contracts/events.js';
import { eventFixture } from '../../testing/event-fixture';
import type { QueryValue } from '../api-client';
import { loadEventsSnapshot, type SnapshotApi } from './snapshot';

describe('loadEventsSnapshot', () => {
  it('pages through open events and the last 24 h, keeping the lowest seq', async () => {
    const calls: Record<string, QueryValue>[] = [];
    const api: SnapshotApi = {
      get: async <T,>(_path: string, query?: Record<string, QueryValue>) => {
        calls.push(query ?? {});
        const page = Number(query?.page);
        const isOpen = query?.status !== undefined;
        const response: EventListResponse = isOpen
          ? { items: [eventFixture({ id: `open-${page}` })], page, pageSize: 1, total: 2, seq: 40 + page }
          : { items: [eventFixture({ id: 'recent', status: 'closed' })], page, pageSize: 1000, total: 1, seq: 39 };
        return response as T;
      },
    };
    const progress: number[] = [];
    const snapshot = await loadEventsSnapshot(api, Date.parse('2024-05-02T00:00:00Z'), (p) => progress.push(p.loaded));
    expect(snapshot.items.map((e) => e.id).sort()).toEqual(['open-1', 'open-2', 'recent']);
    expect(snapshot.seq).toBe(39);
    expect(progress.at(-1)).toBe(3);
    expect(calls).toContainEqual({
      status: OPEN_STATUSES,
      page: 2,
      pageSize: 1000,
    });
    expect(calls).toContainEqual({ since: '2024-05-01T00:00:00.000Z', page: 1, pageSize: 1000 });
  });
});

describe('loadEventsSnapshot while the list changes', () => {
  it('reads again when its pages disagree on seq, at most three times', async () => {
    let reads = 0;
    let seq = 10;
    const api: SnapshotApi = {
      get: async <T,>(_path: string, query?: Record<string, QueryValue>) => {
        if (query?.status !== undefined && query.page === 1) reads += 1;
        seq += reads < 2 ? 1 : 0; // the first read sees a change between its pages
        const response: EventListResponse = { items: [], page: Number(query?.page), pageSize: 1000, total: 0, seq };
        return response as T;
      },
    };
    const snapshot = await loadEventsSnapshot(api, Date.parse('2024-05-02T00:00:00Z'));
    expect(reads).toBe(2);
    expect(snapshot.seq).toBe(12);
  });
});
