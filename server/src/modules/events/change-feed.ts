import type { EventChangedPayload } from '../../../../shared/contracts/socket.js';
import type { Bus } from '../../core/bus.js';
import { Ticker } from '../../core/ticker.js';
import type { ChangeFeedMode } from '../../config.js';

/*
 * How a node hears of case changes (issue 15 part 3), config.changeFeed.mode:
 *  - `push`: one server holds the database. The case writer's commits are the only changes, so
 *    each is relayed the moment it commits (what a county server has always done).
 *  - `tail`: several nodes write one database. A node hears its own commits but not the others',
 *    so it reads the change log after the last seq it relayed, in seq order, whenever it is nudged
 *    (its own commit, another node's word) and every `pollMs` besides. Seqs are handed out in
 *    commit order (one writer at a time on SQLite; a counter row locked to the commit on
 *    PostgreSQL), so reading after the last relayed seq misses nothing and repeats nothing.
 */

/** The change log as the feed reads it: the changes after a seq, in seq order, at most `limit`. */
export interface ChangeLog {
  changesAfter(afterSeq: number, limit: number): readonly EventChangedPayload[] | Promise<readonly EventChangedPayload[]>;
  lastSeq(): number | Promise<number>;
}

export interface ChangeFeedDeps {
  mode: ChangeFeedMode;
  bus: Bus;
  log: ChangeLog;
  /** Changes read per statement while catching up. */
  batch: number;
  /** How often a tailing node looks for other nodes' changes without being nudged. */
  pollMs: number;
  onError: (err: unknown) => void;
}

/**
 * The node's one relay of case changes: the case writer publishes `case:written` after each
 * commit; the feed publishes `case:changed` for every change of the database (this node's and,
 * when tailing, the others'), once each, in seq order. The live feed, the classifier and anything
 * else that follows cases subscribe to `case:changed`.
 */
export class ChangeFeed {
  /** The highest seq relayed on `case:changed`. */
  private relayed = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly ticker: Ticker | null;
  private readonly unsubscribe: () => void;

  private constructor(private readonly deps: ChangeFeedDeps, start: number) {
    this.relayed = start;
    this.unsubscribe = deps.bus.subscribe('case:written', (change) => {
      if (deps.mode === 'push') this.relay(change);
      else this.nudge();
    });
    this.ticker = deps.mode === 'tail' ? new Ticker(() => this.nudge(), deps.pollMs, deps.onError) : null;
    this.ticker?.start();
  }

  /** A feed that relays what is committed from now on (a console catches up on the rest from the log). */
  static async open(deps: ChangeFeedDeps): Promise<ChangeFeed> {
    return new ChangeFeed(deps, await deps.log.lastSeq());
  }

  /** The highest seq relayed: a console that has read the log up to it and joins its rooms misses nothing. */
  get lastRelayed(): number {
    return this.relayed;
  }

  get mode(): ChangeFeedMode {
    return this.deps.mode;
  }

  /**
   * Looks for changes after the last relayed one, now (soon, if a read is under way). Another
   * node's word that it committed comes in here; so do this node's commits when tailing.
   */
  nudge(): void {
    if (this.stopped || this.deps.mode !== 'tail') return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.catchUp()
      .catch((err: unknown) => this.deps.onError(err))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves once everything committed before the call has been relayed (tests; a clean stop). */
  async settle(): Promise<void> {
    while (this.reading) await this.reading;
    if (this.deps.mode === 'tail' && !this.stopped) {
      this.nudge();
      while (this.reading) await this.reading;
    }
  }

  stop(): void {
    this.stopped = true;
    this.ticker?.stop();
    this.unsubscribe();
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const changes = await this.deps.log.changesAfter(this.relayed, this.deps.batch);
      for (const change of changes) {
        if (this.stopped) return;
        this.relay(change);
      }
      if (changes.length < this.deps.batch) return;
    }
  }

  private relay(change: EventChangedPayload): void {
    // a change is relayed once: a push that the tail (or a late nudge) reads again is dropped
    if (change.seq <= this.relayed) return;
    this.relayed = change.seq;
    // what the log row holds beside it (its event id, its time) is not the feed's
    this.deps.bus.publish('case:changed', { seq: change.seq, event: change.event, kind: change.kind });
  }
}
