import { io, type Socket } from 'socket.io-client';
import { OPEN_STATUSES, type EventListResponse, type EventRecord } from '../../../shared/contracts/events.js';
import type { ClientToServerEvents, EventChangedPayload, ServerToClientEvents } from '../../../shared/contracts/socket.js';
import { applyChanges, EMPTY_FEED, fromSnapshot, RECENT_WINDOW_MS, type FeedState } from '../../../renderer/src/app/live-feed/feed-state.js';

/** As the console's snapshot (renderer/src/app/live-feed/snapshot.ts): the API's largest page, a few reads when pages disagree. */
const PAGE_SIZE = 1000;
const MAX_READS = 3;
/** As the console (live-feed.ts): a failed reload after `sync:reset` is tried again after this long. */
const RESET_RETRY_MS = 5_000;

/**
 * A console's live copy of the cases, as renderer/src/app/live-feed/live-feed.ts keeps it,
 * without React and the batching that only saves renders: the REST snapshot (open cases and
 * those reported in the last 24 h), then the socket's changes after its seq; `lastSeq` on every
 * (re)connect, the replay's `sync:ready` seq, a new snapshot on `sync:reset`, a reconnect when
 * the server closed the socket. The state itself is kept by the console's own feed-state.ts,
 * whose `applyChanges` drops duplicates by seq. (live-feed.ts itself cannot be imported here:
 * its snapshot loader's API client is typed for the browser.)
 */
export class ConsoleModel {
  feed: FeedState = EMPTY_FEED;
  readonly stats = { connects: 0, resets: 0, snapshots: 0, replayed: 0, changes: 0 };
  /** Why the socket dropped, counted by socket.io's reason (`ping timeout`, `transport close`…). */
  readonly disconnects = new Map<string, number>();
  /** The last things the socket did, for the message of a run that hangs. */
  private readonly last = { syncReady: -1, connectError: '', attempts: 0 };
  /** What went wrong that a console would show its user (the session ended): the test fails on any. */
  readonly problems: string[] = [];
  /** The seq of every `event:changed` the socket delivered, duplicates included, in order. */
  readonly received: number[] = [];
  /** Every `sync:ready`: when (Date.now()), its seq, how many changes it replayed. */
  readonly syncs: Array<{ at: number; seq: number; replayed: number }> = [];
  private pending: EventChangedPayload[] = [];
  private loading = false;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private abort: AbortController | null = null;
  private stopped = false;

  constructor(
    readonly name: string,
    /** Where the console reaches the server (through the proxy in the network-cuts test). */
    private readonly url: string,
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads the first snapshot (which must succeed), then opens the socket. */
  async start(): Promise<void> {
    await this.loadSnapshot(true);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.retry) clearTimeout(this.retry);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  /** Live, not reloading, and holding every change up to `seq`. */
  caughtUpTo(seq: number): boolean {
    return this.connected && !this.loading && this.feed.seq === seq;
  }

  /** Its state in one line: what a hung run prints for each console. */
  describe(): string {
    const s = this.socket;
    const engine = s?.io.engine as { transport?: { name?: string }; readyState?: string } | undefined;
    return (
      `${this.name}: ${s?.connected ? 'connected' : s?.active ? 'reconnecting' : 'closed'}, engine ${engine?.readyState ?? '-'}/${engine?.transport?.name ?? '-'}, ` +
      `${this.loading ? 'loading a snapshot' : 'live'}, seq ${this.feed.seq}, last sync:ready ${this.last.syncReady}, ${this.last.attempts} reconnect attempts, ` +
      `last connect error ${this.last.connectError || '-'}, ${JSON.stringify(this.stats)}, lost ${JSON.stringify(Object.fromEntries(this.disconnects))}`
    );
  }

  private async loadSnapshot(first = false): Promise<void> {
    this.loading = true;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const snapshot = await this.readSnapshot(abort.signal);
      if (this.stopped || abort.signal.aborted) return;
      this.feed = applyChanges(fromSnapshot(snapshot.items, snapshot.seq, this.now()), this.pending, this.now()).state;
      this.pending = [];
      this.loading = false;
      this.stats.snapshots++;
    } catch (err) {
      if (first) throw err;
      if (this.stopped || abort.signal.aborted) return;
      this.retry = setTimeout(() => void this.loadSnapshot(), RESET_RETRY_MS);
    }
  }

  private async readSnapshot(signal: AbortSignal): Promise<{ items: EventRecord[]; seq: number }> {
    let read = await this.readOnce(signal);
    for (let attempt = 1; attempt < MAX_READS && !read.consistent; attempt++) read = await this.readOnce(signal);
    return read;
  }

  private async readOnce(signal: AbortSignal): Promise<{ items: EventRecord[]; seq: number; consistent: boolean }> {
    const items: EventRecord[] = [];
    const seqs: number[] = [];
    const since = new Date(this.now() - RECENT_WINDOW_MS).toISOString();
    await Promise.all(
      [{ status: OPEN_STATUSES.join(',') }, { since }].map(async (query) => {
        for (let page = 1; ; page++) {
          const u = new URL('/api/v1/events', this.url);
          for (const [k, v] of Object.entries({ ...query, page: String(page), pageSize: String(PAGE_SIZE) })) u.searchParams.set(k, v);
          const res = await fetch(u, { headers: { authorization: `Bearer ${this.token}` }, signal });
          if (res.status !== 200) throw new Error(`snapshot page: ${res.status} ${await res.text()}`);
          const body = (await res.json()) as EventListResponse;
          items.push(...body.items);
          seqs.push(body.seq);
          if (body.items.length === 0 || page * body.pageSize >= body.total) return;
        }
      }),
    );
    const seq = Math.min(...seqs);
    return { items, seq, consistent: seq === Math.max(...seqs) };
  }

  private connect(): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.url, {
      // read on every (re)connect, so the server replays from the latest seq held
      auth: (cb) => cb({ token: this.token, lastSeq: this.feed.seq }),
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      forceNew: true,
    });
    this.socket = socket;
    socket.on('connect', () => void this.stats.connects++);
    socket.on('disconnect', (reason) => {
      this.disconnects.set(reason, (this.disconnects.get(reason) ?? 0) + 1);
      // the server closed it on purpose (a replay it cut, a restart): socket.io leaves it closed
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('event:changed', (change) => {
      this.stats.changes++;
      this.received.push(change.seq);
      if (this.loading) this.pending.push(change);
      else this.feed = applyChanges(this.feed, [change], this.now()).state;
    });
    socket.on('sync:ready', ({ seq, replayed }) => {
      this.stats.replayed += replayed;
      this.syncs.push({ at: Date.now(), seq, replayed });
      this.last.syncReady = seq;
      // the replay is complete up to `seq`: whatever it did not send does not concern this console
      if (seq > this.feed.seq && !this.loading) this.feed = { ...this.feed, seq };
    });
    socket.on('sync:reset', () => {
      this.stats.resets++;
      void this.loadSnapshot();
    });
    socket.on('session:ended', ({ reason }) => void this.problems.push(`the server ended the session (${reason})`));
    socket.io.on('reconnect_attempt', () => void this.last.attempts++);
    socket.on('connect_error', (err) => {
      this.last.connectError = err.message;
      if (err.message === 'unauthenticated') this.problems.push('the server refused the session');
    });
  }
}

/** What a console should hold, from the database: event id → seq of every case in its view, and the last seq. */
export function expectedView(rows: Array<{ id: string; seq: number; status: string; reported_at: string }>, lastSeq: number, now: number): { events: Map<string, number>; seq: number } {
  const open = new Set<string>(OPEN_STATUSES);
  const events = new Map<string, number>();
  for (const r of rows) if (open.has(r.status) || now - Date.parse(r.reported_at) <= RECENT_WINDOW_MS) events.set(r.id, r.seq);
  return { events, seq: lastSeq };
}

/** A console's view in the same shape. */
export function heldView(c: ConsoleModel): { events: Map<string, number>; seq: number } {
  return { events: new Map([...c.feed.events].map(([id, e]) => [id, e.seq])), seq: c.feed.seq };
}

/** How a console's view differs from what it should hold: cases missing, extra, or at another version. */
export function viewDifferences(held: { events: Map<string, number> }, expected: { events: Map<string, number> }): { missing: string[]; extra: string[]; stale: string[] } {
  return {
    missing: [...expected.events.keys()].filter((id) => !held.events.has(id)),
    extra: [...held.events.keys()].filter((id) => !expected.events.has(id)),
    stale: [...expected.events].filter(([id, seq]) => held.events.has(id) && held.events.get(id) !== seq).map(([id, seq]) => `${id}: ${held.events.get(id)} ≠ ${seq}`),
  };
}
