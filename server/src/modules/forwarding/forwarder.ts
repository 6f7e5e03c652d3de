import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { ForwardedChange, ForwardedEntry, ForwardingState } from '../../../../shared/contracts/forwarding.js';
import type { Bus } from '../../core/bus.js';
import { Ticker } from '../../core/ticker.js';

/*
 * A county that runs its own server forwards its cases to the city's (issue 15, county side;
 * forwarded.service.ts is the city's). The city keeps the last of this county's seqs it applied;
 * the forwarder reads it, sends its own change log from the change after it in batches, and
 * moves on with the city's answer. A refusal of the city's cursor (409: the city was restored
 * from a backup, or another sender moved it) makes it read the cursor again and resume from
 * there; a network error, a 5xx or any other refusal makes it wait (backoff, jittered) and try
 * again. It runs beside the county's own work and never holds it up: a commit only wakes it.
 */

type Promisable<T> = T | Promise<T>;

/** The change log as the forwarder reads it: the changes after a seq, in seq order, at most `limit`; and the entries of a seq range. */
export interface ForwardLog {
  changesAfter(afterSeq: number, limit: number): Promisable<ReadonlyArray<{ seq: number; kind: string; at: string; event: EventRecord }>>;
  lastSeq(): Promisable<number>;
  entries(fromSeq: number, toSeq: number): Promisable<Map<number, ForwardedEntry>>;
}

export interface ForwarderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ForwarderDeps {
  /** The city's base URL (`https://city.example/`). */
  url: string;
  key: string;
  batch: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** How often it looks for unsent changes without being woken. */
  tickMs: number;
  log: ForwardLog;
  bus: Bus;
  logger: ForwarderLogger;
  /** Node's global fetch unless a test hands in another. */
  fetch?: typeof fetch;
  /** In [0, 1): the jitter of the backoff (tests pass a fixed one). */
  random?: () => number;
  /** The ISO time of a failure, for the health page. */
  now: () => string;
  /** Longest wait for one answer of the city. */
  timeoutMs?: number;
}

/**
 * The wait before retry `failures` (1, 2, …): doubling from `min` up to `max`, and only its upper
 * half certain ("equal jitter"): a city back from an outage is not met by every county at once.
 */
export function backoffMs(failures: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What the city's answer means for the forwarder. */
export type Answer = { kind: 'ok'; lastSeq: number } | { kind: 'cursor'; lastSeq: number | null } | { kind: 'retry'; error: string };

/** Reads an answer of `POST /api/v1/forwarded/changes` (or of the cursor). */
export function readAnswer(status: number, body: unknown): Answer {
  const lastSeqOf = (b: unknown): number | null => {
    if (b && typeof b === 'object') {
      const direct = (b as { lastSeq?: unknown }).lastSeq;
      if (Number.isSafeInteger(direct)) return direct as number;
      const nested = (b as { error?: { lastSeq?: unknown } }).error?.lastSeq;
      if (Number.isSafeInteger(nested)) return nested as number;
    }
    return null;
  };
  if (status === 200) {
    const lastSeq = lastSeqOf(body);
    return lastSeq === null ? { kind: 'retry', error: 'the city answered without lastSeq' } : { kind: 'ok', lastSeq };
  }
  if (status === 409) return { kind: 'cursor', lastSeq: lastSeqOf(body) };
  const code = body && typeof body === 'object' ? (body as { error?: { code?: unknown } }).error?.code : undefined;
  return { kind: 'retry', error: `HTTP ${status}${typeof code === 'string' ? ` ${code}` : ''}` };
}

export class Forwarder {
  /** The last of our seqs the city applied, as last heard; null: ask the city. */
  private cursor: number | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private abort = new AbortController();
  private readonly ticker: Ticker;
  private unsubscribe: (() => void) | null = null;
  private status: ForwardingState = { state: 'starting', cityLastSeq: null, behind: null, lastError: null, lastErrorAt: null };

  constructor(private readonly deps: ForwarderDeps) {
    this.ticker = new Ticker(() => this.wake(), deps.tickMs, (err) => deps.logger.warn({ err }, 'forwarding: the ticker failed'));
  }

  /** Starts (again, after a stop: several nodes hand it over with the lease of the timed duties). */
  start(): void {
    if (this.unsubscribe) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.cursor = null;
    this.status = { ...this.status, state: 'starting' };
    this.deps.logger.info({ city: this.target('') }, 'forwarding cases to the city started');
    this.unsubscribe = this.deps.bus.subscribe('case:changed', () => this.wake());
    this.ticker.start();
    this.wake();
  }

  /** Stops at once: an answer under way is abandoned (the city's cursor says what it applied). */
  async stop(): Promise<void> {
    if (this.stopped || !this.unsubscribe) return;
    this.stopped = true;
    this.ticker.stop();
    this.unsubscribe();
    this.unsubscribe = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.abort.abort();
    await this.running;
    this.status = { ...this.status, state: 'stopped' };
    this.deps.logger.info({ cityLastSeq: this.cursor }, 'forwarding cases to the city stopped');
  }

  /** For the health page. */
  state(): ForwardingState {
    return { ...this.status };
  }

  /** Sends what is unsent, now (soon, if a round is under way; after the wait, if waiting to retry). */
  wake(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((err: unknown) => this.failed(err instanceof Error ? err.message : String(err)))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once a round under way (and a wake during it) is over (tests). */
  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async round(): Promise<void> {
    let refusals = 0;
    while (!this.stopped) {
      if (this.cursor === null) {
        const res = await this.call('GET', 'api/v1/forwarded/cursor');
        const answer = readAnswer(res.status, res.body);
        if (answer.kind !== 'ok') return this.failed(answer.kind === 'retry' ? answer.error : `HTTP ${res.status}`);
        this.cursor = answer.lastSeq;
      }
      const changes = await this.deps.log.changesAfter(this.cursor, this.deps.batch);
      if (changes.length === 0) return this.connected(0);
      const entries = await this.deps.log.entries(changes[0]!.seq, changes.at(-1)!.seq);
      const body = {
        changes: changes.map((c): ForwardedChange => ({ seq: c.seq, kind: c.kind, at: c.at, event: c.event, entry: entries.get(c.seq) ?? null })),
      };
      const res = await this.call('POST', 'api/v1/forwarded/changes', body);
      const answer = readAnswer(res.status, res.body);
      if (answer.kind === 'retry') return this.failed(answer.error);
      if (answer.kind === 'cursor') {
        // the city stands elsewhere than we thought: read its cursor again and go on from it
        this.deps.logger.warn({ expected: this.cursor, cityLastSeq: answer.lastSeq }, 'forwarding: the city has another cursor; resuming from it');
        this.cursor = null;
        if (++refusals > 2) return this.failed('the city refused the cursor repeatedly (409)');
        continue;
      }
      refusals = 0;
      this.cursor = answer.lastSeq;
      if (changes.length < this.deps.batch) return this.connected(Math.max(0, (await this.deps.log.lastSeq()) - this.cursor));
    }
  }

  private connected(behind: number): void {
    if (this.failures > 0) this.deps.logger.info({ cityLastSeq: this.cursor, after: this.failures }, 'forwarding to the city resumed');
    this.failures = 0;
    this.status = { ...this.status, state: 'connected', cityLastSeq: this.cursor, behind };
  }

  private async failed(error: string): Promise<void> {
    if (this.stopped) return;
    let behind: number | null = null;
    try {
      behind = this.status.cityLastSeq === null ? null : Math.max(0, (await this.deps.log.lastSeq()) - this.status.cityLastSeq);
    } catch {
      behind = null;
    }
    if (this.stopped) return;
    this.failures += 1;
    // the city's cursor is read again after any failure: an outage may have set it back
    this.cursor = null;
    const waitMs = backoffMs(this.failures, this.deps.retryMinMs, this.deps.retryMaxMs, this.deps.random ?? Math.random);
    // logged when it starts failing and when the reason changes, not at every retry
    if (this.failures === 1 || error !== this.status.lastError) this.deps.logger.warn({ error, failures: this.failures, retryInMs: waitMs }, 'forwarding to the city failed; retrying');
    this.status = { ...this.status, state: 'retrying', behind, lastError: error, lastErrorAt: this.deps.now() };
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, waitMs);
    this.retryTimer.unref();
  }

  private target(path: string): string {
    return new URL(path, this.deps.url.endsWith('/') ? this.deps.url : `${this.deps.url}/`).toString();
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const doFetch = this.deps.fetch ?? fetch;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.deps.timeoutMs ?? 30_000)]);
    const res = await doFetch(this.target(path), {
      method,
      headers: { 'x-api-key': this.deps.key, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text.slice(0, 200);
    }
    return { status: res.status, body: parsed };
  }
}
