/** What a replay's step did: sent a batch and has more, had to wait for its socket, or finished. */
export type ReplayStep = 'more' | 'waiting' | 'done';

/** How long the pump rests when every replay waits for its socket to drain. */
const REST_MS = 20;
const restAWhile = (fn: () => void) => void setTimeout(fn, REST_MS).unref();

/**
 * Runs the replays of all reconnecting consoles, a step at a time in turn, for at most `turnMs`
 * of each turn of the event loop; then it lets I/O run (requests, pings, live pushes) before the
 * next turn. One pump for the server, because each socket yielding on its own is not enough:
 * fifty reconnecting consoles would queue fifty batches for the same turn, and `/health` would
 * wait behind all of them.
 */
export class ReplayPump {
  private readonly jobs: Array<() => ReplayStep | Promise<ReplayStep>> = [];
  private scheduled = false;

  private readonly now: () => number;
  private readonly rest: (fn: () => void) => void;

  constructor(
    private readonly turnMs: number,
    private readonly onError: (err: unknown) => void,
    /** The clock and the rest between looks at waiting replays (tests pass their own). */
    opts: { now?: () => number; rest?: (fn: () => void) => void } = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.rest = opts.rest ?? restAWhile;
  }

  /**
   * Adds a replay; `step` sends its next batch (or finishes it) each time it is called. A step
   * that reads the store is async: the pump awaits it before the next (one step at a time, so
   * the replays still take their turns and the time of a turn still counts).
   */
  add(step: () => ReplayStep | Promise<ReplayStep>): void {
    this.jobs.push(step);
    this.schedule(false);
  }

  private schedule(idle: boolean): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    if (idle) this.rest(() => void this.turn());
    else setImmediate(() => void this.turn());
  }

  /** One turn; `scheduled` stays set while it runs (its steps may await), so no second turn starts beside it. */
  private async turn(): Promise<void> {
    const until = this.now() + this.turnMs;
    let sinceProgress = 0;
    // at least one step a turn; round-robin while there is time and some replay can move
    do {
      const step = this.jobs.shift()!;
      let result: ReplayStep;
      try {
        const next = step();
        result = next instanceof Promise ? await next : next;
      } catch (err) {
        this.onError(err);
        result = 'done';
      }
      if (result !== 'done') this.jobs.push(step);
      sinceProgress = result === 'waiting' ? sinceProgress + 1 : 0;
    } while (this.jobs.length > 0 && sinceProgress < this.jobs.length && this.now() < until);
    this.scheduled = false;
    this.schedule(this.jobs.length > 0 && sinceProgress >= this.jobs.length);
  }
}
