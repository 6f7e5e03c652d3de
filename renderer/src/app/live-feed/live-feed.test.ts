import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { SocketAuth } from '../../../../shared/contracts/socket.js';
import { eventFixture } from '../../testing/event-fixture';
import { LiveFeed, type FeedSocket } from './live-feed';
import type { EventsSnapshot } from './snapshot';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client socket to drive the feed from a test. */
class FakeSocket {
  handlers = new Map<string, Handler[]>();
  managerHandlers = new Map<string, Handler[]>();
  io = {
    on: (name: string, fn: Handler) => this.managerHandlers.set(name, [...(this.managerHandlers.get(name) ?? []), fn]),
    removeAllListeners: () => this.managerHandlers.clear(),
  };
  constructor(readonly auth: (cb: (data: SocketAuth) => void) => void) {}
  on(name: string, fn: Handler) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
    return this;
  }
  push(name: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(name) ?? []) fn(...args);
  }
  lastSeqSent(): number | undefined {
    return this.authSent().lastSeq;
  }
  authSent(): SocketAuth {
    let sent: SocketAuth = {};
    this.auth((data) => (sent = data));
    return sent;
  }
  timeout() {
    return { emit: () => undefined };
  }
  disconnected = false;
  connect() {}
  disconnect() {
    this.disconnected = true;
  }
  removeAllListeners() {
    this.handlers.clear();
  }
}

const now = Date.parse('2024-05-01T12:00:00Z');
const open = (id: string, seq: number, extra: Partial<EventRecord> = {}) =>
  eventFixture({ id, seq, status: 'reported', reportedAt: '2024-05-01T11:00:00Z', ...extra });

function setup(snapshots: EventsSnapshot[], token: () => string | null = () => 'token-1') {
  const sockets: FakeSocket[] = [];
  const onSessionEnded = vi.fn();
  const loadSnapshot = vi.fn(async () => {
    const next = snapshots.shift();
    if (!next) throw new Error('no snapshot');
    return next;
  });
  const feed = new LiveFeed({
    loadSnapshot,
    openSocket: (auth) => {
      const socket = new FakeSocket(auth);
      sockets.push(socket);
      return socket as unknown as FeedSocket;
    },
    token,
    onSessionEnded,
    now: () => now,
  });
  return { feed, sockets, loadSnapshot, onSessionEnded };
}

describe('LiveFeed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects after the snapshot with its seq and applies pushed changes once', async () => {
    const { feed, sockets } = setup([{ items: [open('a', 5)], seq: 10 }]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    expect(socket.lastSeqSent()).toBe(10);

    socket.push('connect');
    socket.push('event:changed', { seq: 11, event: open('b', 11) });
    socket.push('event:changed', { seq: 11, event: open('b', 11) });
    socket.push('event:changed', { seq: 9, event: open('stale', 9) });
    socket.push('sync:ready', { seq: 11, replayed: 1 });

    const view = feed.getView();
    expect([...view.feed.events.keys()].sort()).toEqual(['a', 'b']);
    expect(view.link).toBe('connected');
    expect(socket.lastSeqSent()).toBe(11); // a reconnect replays from here
    feed.stop();
  });

  it("applies this console's own action at once, announces each pushed change once, and keeps replaying from the feed's seq", async () => {
    const { feed, sockets } = setup([{ items: [open('a', 5)], seq: 10 }]);
    const announced: number[] = [];
    feed.onChanges((changes) => announced.push(...changes.map((c) => c.seq)));
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('connect');
    feed.applyOwn(open('a', 13, { status: 'filed' }));
    expect(feed.getView().feed.events.get('a')?.status).toBe('filed');
    expect(socket.lastSeqSent()).toBe(10);
    socket.push('event:changed', { seq: 12, event: open('b', 12) });
    socket.push('event:changed', { seq: 13, event: open('a', 13, { status: 'filed' }), kind: 'file' });
    await vi.advanceTimersByTimeAsync(100);
    expect(announced).toEqual([12, 13]);
    expect([...feed.getView().feed.events.keys()].sort()).toEqual(['a', 'b']);
    expect(socket.lastSeqSent()).toBe(13);
    feed.stop();
  });

  it('shows a change after a quiet spell within a few milliseconds, and batches a stream of them', async () => {
    const { feed, sockets } = setup([{ items: [open('a', 5)], seq: 10 }]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('connect');
    const has = (id: string) => feed.getView().feed.events.has(id);
    // the test's clock is fixed, so every flush after the first counts as part of a stream
    socket.push('event:changed', { seq: 11, event: open('b', 11) });
    await vi.advanceTimersByTimeAsync(10);
    expect(has('b')).toBe(true);
    socket.push('event:changed', { seq: 12, event: open('c', 12) });
    await vi.advanceTimersByTimeAsync(10);
    expect(has('c')).toBe(false);
    socket.push('event:changed', { seq: 13, event: open('d', 13) });
    await vi.advanceTimersByTimeAsync(45);
    expect(has('c') && has('d')).toBe(true);
    feed.stop();
  });

  it('refetches the snapshot on sync:reset and keeps changes pushed meanwhile', async () => {
    const { feed, sockets, loadSnapshot } = setup([
      { items: [open('a', 5)], seq: 10 },
      { items: [open('a', 5), open('c', 30)], seq: 30 },
    ]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('sync:reset', { seq: 30, reason: 'replay_window_exceeded' });
    socket.push('event:changed', { seq: 31, event: open('d', 31) });
    await vi.runOnlyPendingTimersAsync();

    expect(loadSnapshot).toHaveBeenCalledTimes(2);
    expect([...feed.getView().feed.events.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(feed.getView().feed.seq).toBe(31);
    feed.stop();
  });

  it('relays team and alert pushes on every socket, and asks for a resync after each replay and each reset', async () => {
    const { feed, sockets } = setup([
      { items: [open('a', 5)], seq: 10 },
      { items: [open('a', 5)], seq: 40 },
    ]);
    const moved: string[] = [];
    let resyncs = 0;
    feed.on('team:moved', (payload) => moved.push(...payload.teams.map((t) => t.teamId)));
    feed.onResync(() => (resyncs += 1));
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('connect');
    socket.push('sync:ready', { seq: 10, replayed: 0 });
    socket.push('team:moved', { at: '2024-05-01T12:00:00Z', teams: [{ teamId: 'TM0001', lon: 1, lat: 1, accuracy: null, at: '2024-05-01T12:00:00Z', status: 'available' }] });
    expect(moved).toEqual(['TM0001']);
    expect(resyncs).toBe(1);
    socket.push('sync:reset', { seq: 40, reason: 'replay_window_exceeded' });
    await vi.runOnlyPendingTimersAsync();
    expect(resyncs).toBe(2);
    feed.stop();
  });

  it('reports an unreachable server as an error with the light off, and retries on demand', async () => {
    const { feed, loadSnapshot } = setup([]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    expect(feed.getView()).toMatchObject({ phase: 'error', link: 'offline' });
    feed.retry();
    expect(feed.getView()).toMatchObject({ phase: 'loading', link: 'connecting' });
    expect(loadSnapshot).toHaveBeenCalledTimes(2);
    feed.stop();
  });

  it('sends the current token with every (re)connect', async () => {
    let token = 'token-1';
    const { feed, sockets } = setup([{ items: [], seq: 3 }], () => token);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    expect(sockets[0]!.authSent()).toEqual({ lastSeq: 3, token: 'token-1' });
    token = 'token-2';
    expect(sockets[0]!.authSent().token).toBe('token-2');
    feed.stop();
  });

  it('stops and reports when the server ends the session, keeping what it shows', async () => {
    const { feed, sockets, onSessionEnded } = setup([{ items: [open('a', 5)], seq: 10 }]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('connect');
    socket.push('session:ended', { reason: 'disabled' });

    expect(onSessionEnded).toHaveBeenCalledExactlyOnceWith('disabled');
    expect(socket.disconnected).toBe(true);
    expect(socket.handlers.size).toBe(0); // no reconnect when the server then disconnects
    expect(feed.getView()).toMatchObject({ phase: 'ready', link: 'ended' });
    expect([...feed.getView().feed.events.keys()]).toEqual(['a']);
  });

  it('gives up at once when the socket is refused as unauthenticated, but keeps retrying a down server', async () => {
    const { feed, sockets, onSessionEnded } = setup([{ items: [], seq: 1 }]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    const socket = sockets[0]!;
    socket.push('connect_error', new Error('xhr poll error'));
    expect(onSessionEnded).not.toHaveBeenCalled();
    expect(socket.disconnected).toBe(false);
    expect(feed.getView().link).toBe('reconnecting');

    socket.push('connect_error', Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
    expect(onSessionEnded).toHaveBeenCalledExactlyOnceWith('unauthenticated');
    expect(socket.disconnected).toBe(true);
  });

  it('forgets everything on reset', async () => {
    const { feed, sockets } = setup([{ items: [open('a', 5)], seq: 10 }]);
    feed.start();
    await vi.runOnlyPendingTimersAsync();
    feed.reset();
    expect(sockets[0]!.disconnected).toBe(true);
    expect(feed.getView()).toMatchObject({ phase: 'loading', link: 'connecting', lastDataAt: null });
    expect(feed.getView().feed.events.size).toBe(0);
  });
});
