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
  private readonly jobs: Array<() => ReplayStep> = [];
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

  /** Adds a replay; `step` sends its next batch (or finishes it) each time it is called. */
  add(step: () => ReplayStep): void {
    this.jobs.push(step);
    this.schedule(false);
  }

  private schedule(idle: boolean): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    if (idle) this.rest(() => this.turn());
    else setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    const until = this.now() + this.turnMs;
    let sinceProgress = 0;
    // at least one step a turn; round-robin while there is time and some replay can move
    do {
      const step = this.jobs.shift()!;
      let result: ReplayStep;
      try {
        result = step();
      } catch (err) {
        this.onError(err);
        result = 'done';
      }
      if (result !== 'done') this.jobs.push(step);
      sinceProgress = result === 'waiting' ? sinceProgress + 1 : 0;
    } while (this.jobs.length > 0 && sinceProgress < this.jobs.length && this.now() < until);
    this.schedule(this.jobs.length > 0 && sinceProgress >= this.jobs.length);
  }
}
