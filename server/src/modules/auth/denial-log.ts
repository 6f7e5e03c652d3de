import type { Clock } from '../../core/clock.js';
import { Ticker } from '../../core/ticker.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { AuditSink } from './auth.service.js';

/** The fields that make two denials "the same": who, from where, what, why. */
const keyOf = (e: AuditEntry) =>
  JSON.stringify([e.action, e.result, e.reason ?? null, e.userId ?? null, e.username ?? null, e.sourceIp ?? null, e.objectType ?? null, e.objectId ?? null]);

interface Window {
  first: AuditEntry;
  startedAt: Date;
  /** Repeats after the first record, not yet written. */
  repeats: number;
  lastAt: Date;
}

/**
 * Denials (401, 403, 429, refused sockets) written so that a flood cannot flood the audit trail:
 * the first of a kind in a window is recorded at once, in full; identical repeats in the same
 * window are counted and written as one record with the count when the window ends. A denial
 * that differs in any identifying field (user, address, object, reason) is recorded on its own.
 * Keys are bounded too: past `maxKeys` open windows, further distinct denials are still recorded
 * one by one (they are distinct), only the counting of their repeats waits for the next flush.
 */
export class DenialLog {
  private readonly windows = new Map<string, Window>();
  /** Records being written (stop waits for them). */
  private readonly pending = new Set<Promise<void>>();
  private readonly ticker: Ticker;

  constructor(
    private readonly deps: { audit: AuditSink; clock: Clock; windowMs: number; maxKeys?: number; onError?: (err: unknown) => void },
  ) {
    this.ticker = new Ticker(() => void this.flush(), deps.windowMs, (err) => deps.onError?.(err));
  }

  /**
   * Records a denial now, or counts it as a repeat of one recorded in this window; resolves once
   * the record is in the trail (a caller that answers the refusal awaits it first). Never rejects.
   */
  deny(entry: AuditEntry): Promise<void> {
    const now = this.deps.clock.now();
    const key = keyOf(entry);
    const open = this.windows.get(key);
    if (open && now.getTime() - open.startedAt.getTime() < this.deps.windowMs) {
      open.repeats += 1;
      open.lastAt = now;
      return Promise.resolve();
    }
    if (open) this.writeRepeats(open);
    const written = this.write({ ...entry, at: now });
    if (this.windows.size < (this.deps.maxKeys ?? 10_000) || open) {
      this.windows.set(key, { first: entry, startedAt: now, repeats: 0, lastAt: now });
    }
    return written;
  }

  /**
   * Writes the counts of windows that have ended (all of them with `all`), and forgets them;
   * resolves once everything this log has begun writing is in the trail.
   */
  flush(all = false): Promise<void> {
    const now = this.deps.clock.now().getTime();
    for (const [key, w] of this.windows) {
      if (!all && now - w.startedAt.getTime() < this.deps.windowMs) continue;
      this.writeRepeats(w);
      this.windows.delete(key);
    }
    return this.settled();
  }

  /** Resolves once every record begun so far is written (or failed and was reported). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  start(): void {
    this.ticker.start();
  }

  /** Stops the timer and writes every pending count (at shutdown); resolves once all are written. */
  async stop(): Promise<void> {
    this.ticker.stop();
    await this.flush(true);
  }

  private writeRepeats(w: Window): void {
    if (w.repeats === 0) return;
    void this.write({
      ...w.first,
      at: w.lastAt,
      details: { ...(w.first.details ?? {}), repeated: w.repeats, from: w.startedAt.toISOString(), to: w.lastAt.toISOString() },
    });
    w.repeats = 0;
  }

  /**
   * Writes one record in a turn of its own (a denial is noted from hooks and callbacks in the
   * middle of other work: docs/POSTGRES.md, store work nobody awaits).
   */
  private write(entry: AuditEntry): Promise<void> {
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deps.audit.record(entry))
      .then(
        () => undefined,
        // A denial is already refused; failing to note it must not turn the refusal into a 500.
        (err: unknown) => this.deps.onError?.(err),
      )
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }
}
