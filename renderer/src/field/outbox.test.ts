import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  bodyToSend,
  enqueue,
  loadOutbox,
  markDone,
  markPhotoUploaded,
  markRetry,
  nextDue,
  nextWakeAt,
  OUTBOX_STORAGE_KEY,
  OutboxStore,
  pendingActionsFor,
  verdict,
  wakeAll,
  withoutRefused,
  type NewEntry,
  type OutboxEntry,
} from './outbox';

const entry = (key: string, over: Partial<NewEntry> = {}): NewEntry => ({
  key,
  userId: 'u1',
  kind: 'action',
  eventId: 'EV000000000001',
  teamId: 'TM0001',
  label: 'accept',
  body: { action: 'accept' },
  expectStatus: 'accepted',
  ...over,
});

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('outbox', () => {
  it('sends in order, one at a time: a waiting entry holds back those behind it', () => {
    let list: OutboxEntry[] = [];
    list = enqueue(list, entry('k1'), 1000);
    list = enqueue(list, entry('k2', { label: 'start', body: { action: 'start' } }), 1001);
    expect(nextDue(list, 'u1', 1000)?.key).toBe('k1');
    list = markRetry(list, 'k1', 1000, 'offline');
    expect(nextDue(list, 'u1', 1000)).toBeNull(); // k2 does not overtake k1
    expect(nextWakeAt(list, 'u1')).toBe(1000 + backoffMs(1));
    expect(nextDue(list, 'u1', 1000 + backoffMs(1))?.key).toBe('k1');
    list = markDone(list, 'k1');
    expect(nextDue(list, 'u1', 1001)?.key).toBe('k2');
  });

  it('never holds the same key twice', () => {
    const list = enqueue(enqueue([], entry('k1'), 1), entry('k1'), 2);
    expect(list).toHaveLength(1);
  });

  it('sends only the entries of the signed-in user', () => {
    const list = enqueue(enqueue([], entry('k1', { userId: 'u2' }), 1), entry('k2'), 2);
    expect(nextDue(list, 'u1', 10)?.key).toBe('k2');
    expect(nextDue(list, 'u3', 10)).toBeNull();
  });

  it('backs off from 2 s, doubling, to at most a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(backoffMs)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('wakes everything pending at once when the phone is back online', () => {
    let list = enqueue([], entry('k1'), 0);
    list = markRetry(markRetry(list, 'k1', 0, 'x'), 'k1', 0, 'x');
    expect(nextDue(list, 'u1', 10)).toBeNull();
    list = wakeAll(list, 'u1', 10);
    expect(nextDue(list, 'u1', 10)?.key).toBe('k1');
  });

  it('takes a refused entry out, with the later actions on the same case that depended on it, and nothing else', () => {
    let list = enqueue([], entry('k1'), 0);
    list = enqueue(list, entry('k2', { eventId: 'EV000000000002' }), 0);
    list = enqueue(list, entry('k3', { label: 'start', body: { action: 'start' } }), 0);
    list = enqueue(list, entry('k4', { kind: 'intake', eventId: null, label: 'intake', body: {} }), 0);
    list = enqueue(list, entry('k5', { label: 'report', body: { action: 'report', result: 'ok' } }), 0);
    const out = withoutRefused(list, 'k1');
    expect(out.refused?.key).toBe('k1');
    expect(out.dropped.map((e) => e.key)).toEqual(['k3', 'k5']);
    expect(out.list.map((e) => e.key)).toEqual(['k2', 'k4']);
    expect(pendingActionsFor(out.list, 'EV000000000001')).toEqual([]);
    expect(nextDue(out.list, 'u1', 0)?.key).toBe('k2');
    // an intake refused takes only itself
    expect(withoutRefused(list, 'k4').list.map((e) => e.key)).toEqual(['k1', 'k2', 'k3', 'k5']);
    expect(withoutRefused(list, 'nope').list).toHaveLength(5);
  });

  it('adds the photos’ references to the body once they are uploaded', () => {
    let list = enqueue(
      [],
      entry('k1', { label: 'report', body: { action: 'report', result: 'ok' }, photos: [{ key: 'p1', name: 'a.png', type: 'image/png', size: 10 }] }),
      0,
    );
    expect(bodyToSend(list[0]!)).toEqual({ action: 'report', result: 'ok', attachments: [] });
    list = markPhotoUploaded(list, 'k1', 'p1', { id: 'att1', name: 'a.png' });
    expect(bodyToSend(list[0]!)).toEqual({ action: 'report', result: 'ok', attachments: [{ id: 'att1', name: 'a.png' }] });
    expect(bodyToSend(enqueue([], entry('k2'), 0)[0]!)).toEqual({ action: 'accept' });
  });

  it('tells retry, wait, done and refused apart: only a 4xx is final', () => {
    const e = { expectStatus: 'accepted' as const };
    expect(verdict(e, { status: 0, code: 'network' })).toBe('retry');
    expect(verdict(e, { status: 503, code: 'unavailable' })).toBe('retry');
    expect(verdict(e, { status: 429, code: 'rate_limited' })).toBe('retry');
    expect(verdict(e, { status: 401, code: 'unauthenticated' })).toBe('wait_session');
    // a lost answer: the case is already where the action would have put it
    expect(verdict(e, { status: 409, code: 'illegal_transition', details: { status: 'accepted' } })).toBe('done');
    expect(verdict(e, { status: 408, code: 'request_timeout' })).toBe('retry');
    expect(verdict(e, { status: 500, code: 'internal' })).toBe('retry');
    expect(verdict(e, { status: 409, code: 'illegal_transition', details: { status: 'filed' } })).toBe('refused');
    expect(verdict(e, { status: 403, code: 'not_your_team' })).toBe('refused');
    expect(verdict(e, { status: 403, code: 'separation_of_duties' })).toBe('refused');
    expect(verdict(e, { status: 400, code: 'invalid_body' })).toBe('refused');
    expect(verdict(e, { status: 422, code: 'idempotency_conflict' })).toBe('refused');
  });

  it('persists every change and reads it back; unreadable storage gives an empty outbox', () => {
    const storage = memoryStorage();
    const store = new OutboxStore(storage);
    store.update((list) => enqueue(list, entry('k1'), 5));
    expect(new OutboxStore(storage).get().map((e) => e.key)).toEqual(['k1']);
    storage.setItem(OUTBOX_STORAGE_KEY, '{not json');
    expect(loadOutbox(storage)).toEqual([]);
    storage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify([{ key: 'x' }]));
    expect(loadOutbox(storage)).toEqual([]);
    expect(loadOutbox(null)).toEqual([]);
  });

  it('drops only the unreadable entries of a stored outbox (a 出发 of an older version), keeping the rest', () => {
    const storage = memoryStorage();
    const good = enqueue([], entry('k1'), 5)[0]!;
    const oldDepart = { ...good, key: 'k0', kind: 'team-status', label: 'en_route', body: { status: 'en_route' }, state: 'pending' };
    storage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify([oldDepart, { ...good, state: 'failed' }]));
    expect(loadOutbox(storage).map((e) => e.key)).toEqual(['k1']);
  });

  it('notifies only on a real change', () => {
    const store = new OutboxStore(memoryStorage());
    let calls = 0;
    store.subscribe(() => calls++);
    store.update((list) => [...list]);
    expect(calls).toBe(0);
    store.update((list) => enqueue(list, entry('k1'), 0));
    expect(calls).toBe(1);
  });
});
