import { countyDayStart } from '../../app/time-format';

const DAY_MS = 86_400_000;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

/**
 * Runs `fn` when asked, at most once per `gapMs`: at once if the last run is long enough ago,
 * else once at the end of the gap however often it was asked meanwhile. A busy hour's stream of
 * pushes then costs one request per gap, and the last change is never left out.
 */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly fn: () => void,
    private readonly gapMs: number,
    private readonly timers: Timers = browserTimers,
  ) {}

  request(): void {
    if (this.timer !== null) return;
    const wait = this.last + this.gapMs - this.timers.now();
    if (wait <= 0) this.run();
    else this.timer = this.timers.setTimeout(() => this.run(), wait);
  }

  /** The run just made by other means (the first load) counts as the last one. */
  ran(): void {
    this.last = this.timers.now();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    this.last = this.timers.now();
    this.fn();
  }
}

/** Milliseconds from `now` to the next midnight in the county (China time), at least 1. */
export function msToCountyMidnight(now: number): number {
  return Math.max(1, countyDayStart(now) + DAY_MS - now);
}
