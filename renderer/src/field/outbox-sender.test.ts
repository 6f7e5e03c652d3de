import { describe, expect, it } from 'vitest';
import { enqueue, OutboxStore, type NewEntry } from './outbox';
import { OutboxSender } from './outbox-sender';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** A fake server: records what it was sent; `offline` makes every call fail as a network error would. */
function harness() {
  const store = new OutboxStore(memoryStorage());
  const photos = new Map<string, Blob>();
  const sent: { key: string; body: Record<string, unknown> }[] = [];
  const uploads: string[] = [];
  let now = 1_000;
  const timers: { fn: () => void; at: number }[] = [];
  const server = { offline: false, refuse: null as HttpError | null };
  const refused: { key: string; code: string; dropped: string[] }[] = [];
  const sender = new OutboxSender({
    store,
    userId: () => 'u1',
    photos: { get: async (k) => photos.get(k) ?? null, delete: async (k) => void photos.delete(k) },
    now: () => now,
    upload: async (_blob, name) => {
      if (server.offline) throw new HttpError(0, 'network');
      uploads.push(name);
      return { id: `att-${uploads.length}`, name };
    },
    send: async (e, body) => {
      if (server.offline) throw new HttpError(0, 'network');
      if (server.refuse) throw server.refuse;
      sent.push({ key: e.key, body });
      return { ok: true };
    },
    onRefused: (e, error, dropped) => refused.push({ key: e.key, code: error.code, dropped: dropped.map((d) => d.key) }),
    setTimer: (fn, ms) => timers.push({ fn, at: now + ms }),
    clearTimer: () => void timers.splice(0),
  });
  return {
    store,
    photos,
    sent,
    uploads,
    refused,
    server,
    sender,
    advance: (ms: number) => (now += ms),
  };
}

describe('OutboxSender', () => {
  it('delivers in order, uploading the photos before the action that references them', async () => {
    const h = harness();
    h.photos.set('p1', new Blob(['x'], { type: 'image/png' }));
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    h.store.update((l) => enqueue(l, entry('k2', { label: 'report', body: { action: 'report', result: 'ok' }, photos: [{ key: 'p1', name: 'a.png', type: 'image/png', size: 1 }] }), 0));
    await h.sender.run();
    expect(h.sent.map((s) => s.key)).toEqual(['k1', 'k2']);
    expect(h.sent[1]!.body).toEqual({ action: 'report', result: 'ok', attachments: [{ id: 'att-1', name: 'a.png' }] });
    expect(h.store.get()).toEqual([]);
    expect(h.photos.size).toBe(0);
  });

  it('keeps an entry while offline and sends it exactly once when woken', async () => {
    const h = harness();
    h.server.offline = true;
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    await h.sender.run();
    expect(h.store.get()).toHaveLength(1);
    expect(h.store.get()[0]).toMatchObject({ attempts: 1 });
    h.server.offline = false;
    h.sender.wake();
    await h.sender.run();
    await h.sender.run();
    expect(h.sent.map((s) => s.key)).toEqual(['k1']);
    expect(h.store.get()).toEqual([]);
  });

  it('uploads a photo once even when the action after it fails and is retried', async () => {
    const h = harness();
    h.photos.set('p1', new Blob(['x'], { type: 'image/png' }));
    h.store.update((l) => enqueue(l, entry('k1', { label: 'report', body: { action: 'report', result: 'ok' }, photos: [{ key: 'p1', name: 'a.png', type: 'image/png', size: 1 }] }), 0));
    h.server.refuse = new HttpError(503, 'unavailable');
    await h.sender.run();
    expect(h.uploads).toEqual(['a.png']);
    h.server.refuse = null;
    h.sender.wake();
    await h.sender.run();
    expect(h.uploads).toEqual(['a.png']);
    expect(h.sent).toHaveLength(1);
  });

  it('takes a refused entry out of the outbox at once, tells the worker, and goes on with the next', async () => {
    const h = harness();
    h.store.update((l) => enqueue(enqueue(l, entry('k1'), 0), entry('k2', { eventId: 'EV000000000002' }), 0));
    h.server.refuse = new HttpError(403, 'not_your_team');
    await h.sender.run();
    expect(h.store.get()).toEqual([]);
    expect(h.refused).toEqual([
      { key: 'k1', code: 'not_your_team', dropped: [] },
      { key: 'k2', code: 'not_your_team', dropped: [] },
    ]);
  });

  it('drops the later steps of a refused case with it, and their photos, with one refusal', async () => {
    const h = harness();
    h.photos.set('p1', new Blob(['x'], { type: 'image/png' }));
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    h.store.update((l) => enqueue(l, entry('k2', { label: 'start', body: { action: 'start' } }), 0));
    h.store.update((l) => enqueue(l, entry('k3', { label: 'report', body: { action: 'report', result: 'ok' }, photos: [{ key: 'p1', name: 'a.png', type: 'image/png', size: 1 }] }), 0));
    h.server.refuse = new HttpError(409, 'illegal_transition', { status: 'void' });
    await h.sender.run();
    expect(h.store.get()).toEqual([]);
    expect(h.refused).toEqual([{ key: 'k1', code: 'illegal_transition', dropped: ['k2', 'k3'] }]);
    expect(h.photos.size).toBe(0);
    expect(h.uploads).toEqual([]);
  });

  it('keeps retrying a server error or a rate limit, never calling it refused', async () => {
    const h = harness();
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    for (const error of [new HttpError(500, 'internal'), new HttpError(429, 'rate_limited'), new HttpError(0, 'network')]) {
      h.server.refuse = error;
      h.advance(60_000); // past the backoff
      await h.sender.run();
    }
    expect(h.store.get()).toHaveLength(1);
    expect(h.store.get()[0]!.attempts).toBe(3);
    expect(h.refused).toEqual([]);
  });

  it('refuses an entry whose photo the phone lost, rather than waiting for it forever', async () => {
    const h = harness();
    h.store.update((l) => enqueue(l, entry('k1', { label: 'report', body: { action: 'report', result: 'ok' }, photos: [{ key: 'gone', name: 'a.png', type: 'image/png', size: 1 }] }), 0));
    await h.sender.run();
    expect(h.store.get()).toEqual([]);
    expect(h.refused).toEqual([{ key: 'k1', code: 'photo_missing', dropped: [] }]);
  });

  it('counts a 409 that finds the case already moved as delivered (the first answer was lost)', async () => {
    const h = harness();
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    h.server.refuse = new HttpError(409, 'illegal_transition', { status: 'accepted' });
    await h.sender.run();
    expect(h.store.get()).toEqual([]);
  });

  it('leaves everything waiting when the session is refused', async () => {
    const h = harness();
    h.store.update((l) => enqueue(l, entry('k1'), 0));
    h.server.refuse = new HttpError(401, 'unauthenticated');
    await h.sender.run();
    expect(h.store.get()[0]).toMatchObject({ key: 'k1', attempts: 0 });
    expect(h.refused).toEqual([]);
  });
});
