import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, EventChangedPayload, ServerToClientEvents, SocketAuth } from '../../../../shared/contracts/socket.js';
import { linkAfterFailedAttempt, type LinkState } from './freshness';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { applyChanges, applyOwn, EMPTY_FEED, fromSnapshot, pruneExpired, type FeedState } from './feed-state';
import type { EventsSnapshot, SnapshotProgress } from './snapshot';

export type FeedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Pushes besides the event changes that other features listen to through the feed (teams, alerts). */
export type FeedPush = Exclude<keyof ServerToClientEvents, 'event:changed' | 'sync:reset' | 'sync:ready' | 'session:ended'>;

/** Why the feed ended the session: the server's `session:ended` reason, or a refused socket. */
export type FeedSessionEnd = Parameters<ServerToClientEvents['session:ended']>[0]['reason'] | 'unauthenticated';

export interface LiveFeedDeps {
  loadSnapshot(onProgress: (progress: SnapshotProgress) => void, signal: AbortSignal): Promise<EventsSnapshot>;
  /** Opens the socket; `auth` is read on every (re)connect so the server replays from the latest seq. */
  openSocket(auth: (cb: (data: SocketAuth) => void) => void): FeedSocket;
  /** The session's token, sent with every (re)connect. */
  token(): string | null;
  /**
   * The server ended the session (`session:ended`) or refused the socket's token. The feed has
   * stopped by then: retrying with a dead token would only be refused again.
   */
  onSessionEnded(reason: FeedSessionEnd): void;
  now(): number;
}

export interface LiveFeedView {
  /** `loading` until the first snapshot; `error` if that failed; later failures keep `ready`. */
  phase: 'loading' | 'ready' | 'error';
  feed: FeedState;
  progress: SnapshotProgress | null;
  error: Error | null;
  link: LinkState;
  /** When data last arrived: a change, a sync, a heartbeat or a snapshot. */
  lastDataAt: number | null;
}

/**
 * Pushed changes are applied in batches so a burst costs one render and one map update. A change
 * after a quiet spell waits only long enough to catch the rest of its commit (an intake the
 * machine files and dispatches arrives as three changes within a millisecond or two); while
 * changes keep coming (a replay, a busy hour) batches grow, so rendering keeps pace with the
 * socket instead of falling behind it.
 */
const FLUSH_DELAY_MS = 8;
const BURST_FLUSH_DELAY_MS = 50;
/** A flush this recent means changes are streaming: the next batch waits longer. */
const BURST_WINDOW_MS = 50;
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 5_000;
const PRUNE_INTERVAL_MS = 60_000;
const RESET_RETRY_MS = 5_000;
/** The `connect_error` message with which the server refuses a socket without a live session. */
const UNAUTHENTICATED = 'unauthenticated';

const INITIAL_VIEW: LiveFeedView = { phase: 'loading', feed: EMPTY_FEED, progress: null, error: null, link: 'connecting', lastDataAt: null };

/**
 * The console's live copy of the events: a REST snapshot, then the socket's changes after its
 * seq. Framework-free; React reads it through `subscribe`/`getView`.
 */
export class LiveFeed {
  private view: LiveFeedView = INITIAL_VIEW;
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<(changes: readonly EventChangedPayload[]) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly pushListeners = new Map<string, Set<(payload: unknown) => void>>();
  private socket: FeedSocket | null = null;
  private pending: EventChangedPayload[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pruneTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private abort: AbortController | null = null;
  /** While a snapshot is being (re)loaded, pushed changes wait for it. */
  private loadingSnapshot = false;
  private stopped = false;

  constructor(private readonly deps: LiveFeedDeps) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): LiveFeedView => this.view;

  /**
   * Called with each batch of pushed changes not seen before, after they are applied (alerts
   * raise on their `kind`). Changes folded into a snapshot load are not announced.
   */
  onChanges(listener: (changes: readonly EventChangedPayload[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Listens to a push other than the event changes (`team:moved`, `alert:raised`…), on this
   * socket and every later one. Such pushes are not replayed after a reconnect: pair this with
   * `onResync` to read the whole state again.
   */
  on<K extends FeedPush>(name: K, handler: ServerToClientEvents[K]): () => void {
    let handlers = this.pushListeners.get(name);
    if (!handlers) {
      handlers = new Set();
      this.pushListeners.set(name, handlers);
      if (this.socket) this.relay(this.socket, name, handlers);
    }
    const handler_ = handler as (payload: unknown) => void;
    handlers.add(handler_);
    return () => handlers.delete(handler_);
  }

  /**
   * Called whenever what was pushed meanwhile may have been missed: after each (re)connect once
   * the replay is done (`sync:ready`), and after a snapshot reloaded on `sync:reset`. Features
   * whose pushes are not replayed (teams, alerts) read their state again here.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Shows a case as this console's own action left it, before the push confirms it. */
  applyOwn(event: EventRecord): void {
    if (this.view.phase !== 'ready') return;
    const feed = applyOwn(this.view.feed, event, this.deps.now());
    if (feed !== this.view.feed) this.set({ feed });
  }

  /** Loads the snapshot, then connects the socket. Safe to call again after an error. */
  start(): void {
    this.stopped = false;
    void this.loadSnapshot();
  }

  retry(): void {
    if (this.view.phase === 'error') {
      this.set({ phase: 'loading', error: null, progress: null, link: this.socket ? this.view.link : 'connecting' });
      void this.loadSnapshot();
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    for (const timer of [this.flushTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    for (const timer of [this.pingTimer, this.pruneTimer]) if (timer) clearInterval(timer);
    this.flushTimer = this.retryTimer = this.pingTimer = this.pruneTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.pending = [];
    this.loadingSnapshot = false;
  }

  /** Stops and forgets everything held: the next user may see other towns. */
  reset(): void {
    this.stop();
    this.set(INITIAL_VIEW);
  }

  private endSession(reason: FeedSessionEnd): void {
    this.stop();
    // What is on screen stays, but nothing arrives any more: say so on the light.
    this.set({ link: 'ended' });
    this.deps.onSessionEnded(reason);
  }

  private set(patch: Partial<LiveFeedView>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }

  private touch(): void {
    this.set({ lastDataAt: this.deps.now() });
  }

  private async loadSnapshot(): Promise<void> {
    this.loadingSnapshot = true;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const snapshot = await this.deps.loadSnapshot((progress) => {
        if (this.view.phase === 'loading') this.set({ progress });
      }, abort.signal);
      if (this.stopped || abort.signal.aborted) return;
      const now = this.deps.now();
      // Changes pushed during the load apply on top; those the snapshot already holds are dropped.
      const base = fromSnapshot(snapshot.items, snapshot.seq, now);
      const { state } = applyChanges(base, this.pending, now);
      this.pending = [];
      this.loadingSnapshot = false;
      const reloaded = this.view.phase === 'ready';
      this.set({ phase: 'ready', feed: state, error: null, progress: null, lastDataAt: now });
      if (reloaded) this.resynced();
      this.connect();
      this.pruneTimer ??= setInterval(() => {
        const pruned = pruneExpired(this.view.feed, this.deps.now());
        if (pruned !== this.view.feed) this.set({ feed: pruned });
      }, PRUNE_INTERVAL_MS);
    } catch (err) {
      if (this.stopped || abort.signal.aborted) return;
      const error = err instanceof Error ? err : new Error(String(err));
      if (this.view.phase === 'ready') {
        // A refetch after `sync:reset` failed: keep showing what we have and try again.
        this.retryTimer = setTimeout(() => void this.loadSnapshot(), RESET_RETRY_MS);
      } else {
        this.loadingSnapshot = false;
        // Nothing was reached: say offline rather than "connecting" next to the error.
        this.set({ phase: 'error', error, progress: null, link: this.socket ? this.view.link : 'offline' });
      }
    }
  }

  private connect(): void {
    if (this.socket) return;
    const socket = this.deps.openSocket((cb) => cb({ lastSeq: this.view.feed.seq, token: this.deps.token() ?? undefined }));
    this.socket = socket;
    socket.on('connect', () => {
      this.set({ link: 'connected' });
      this.startPing();
    });
    socket.on('disconnect', (reason) => {
      this.stopPing();
      this.set({ link: 'reconnecting' });
      // The server closed the connection on purpose (e.g. a restart): socket.io leaves it closed.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.io.on('reconnect_attempt', (attempt) => {
      // attempt n follows n - 1 failed ones
      if (attempt > 1) this.set({ link: linkAfterFailedAttempt(attempt - 1) });
    });
    socket.io.on('reconnect_failed', () => this.set({ link: 'offline' }));
    socket.on('connect_error', (err) => {
      if (err.message === UNAUTHENTICATED) return this.endSession('unauthenticated');
      if (this.view.link === 'connecting') this.set({ link: 'reconnecting' });
    });
    socket.on('session:ended', ({ reason }) => this.endSession(reason));
    socket.on('event:changed', (change) => {
      this.pending.push(change);
      this.scheduleFlush();
    });
    socket.on('sync:ready', ({ seq }) => {
      this.flush();
      // Replay is complete up to `seq`: whatever it did not send does not concern this console.
      if (seq > this.view.feed.seq && !this.loadingSnapshot) this.set({ feed: { ...this.view.feed, seq } });
      this.touch();
      this.resynced();
    });
    socket.on('sync:reset', () => {
      void this.loadSnapshot();
    });
    for (const [name, handlers] of this.pushListeners) this.relay(socket, name, handlers);
  }

  /** Hands a push to its listeners; any push is data, so it also keeps the feed fresh. */
  private relay(socket: FeedSocket, name: string, handlers: Set<(payload: unknown) => void>): void {
    // The typed socket knows each push's payload; the listeners are typed by `on`.
    (socket as unknown as { on(name: string, fn: (payload: unknown) => void): void }).on(name, (payload) => {
      this.touch();
      for (const handler of handlers) handler(payload);
    });
  }

  private resynced(): void {
    for (const listener of this.resyncListeners) listener();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const streaming = this.deps.now() - this.lastFlushAt < BURST_WINDOW_MS;
    this.flushTimer = setTimeout(() => this.flush(), streaming ? BURST_FLUSH_DELAY_MS : FLUSH_DELAY_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.loadingSnapshot || this.pending.length === 0) return;
    const { state, fresh } = applyChanges(this.view.feed, this.pending, this.deps.now());
    this.pending = [];
    this.lastFlushAt = this.deps.now();
    this.set({ feed: state, lastDataAt: this.deps.now() });
    if (fresh.length) for (const listener of this.changeListeners) listener(fresh);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      this.socket?.timeout(PING_TIMEOUT_MS).emit('sync:ping', (err) => {
        if (!err) this.touch();
      });
    }, PING_INTERVAL_MS);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
