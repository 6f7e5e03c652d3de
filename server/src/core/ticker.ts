/**
 * A task run every `intervalMs` by a timer that does not keep the process alive. A throw goes
 * to `onError` and the next tick tries again: a busy database or a failed write must not stop
 * a monitor for good.
 */
export class Ticker {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly task: () => void,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts the timer (a second start does nothing); `now` runs the task once at once, e.g. to catch up after downtime. */
  start({ now = false }: { now?: boolean } = {}): void {
    if (this.timer) return;
    if (now) this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private runOnce(): void {
    try {
      this.task();
    } catch (err) {
      this.onError(err);
    }
  }
}

/**
 * A Ticker's task for asynchronous work (a sweep whose reads and writes await the store): a tick
 * that finds the previous run still going skips it, and a failed run goes to `onError` as a throw
 * would. The run starts within the tick, as a synchronous task would.
 */
export function oneRunAtATime(task: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  let running = false;
  return () => {
    if (running) return;
    let run: Promise<unknown>;
    try {
      run = task();
    } catch (err) {
      onError(err);
      return;
    }
    running = true;
    void run.catch(onError).finally(() => (running = false));
  };
}
