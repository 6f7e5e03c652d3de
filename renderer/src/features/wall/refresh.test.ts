import { describe, expect, it } from 'vitest';
import { msToCountyMidnight, Throttle, type Timers } from './refresh';

/** Timers on a hand-moved clock. */
function fakeTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [h, t] of [...pending]) {
      if (t.at <= now) {
        pending.delete(h);
        t.fn();
      }
    }
  };
  return { timers, advance, pending };
}

describe('Throttle', () => {
  it('runs at once when idle, then at most once per gap, and never drops the last request', () => {
    const { timers, advance, pending } = fakeTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 10_000, timers);
    throttle.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) {
      advance(100);
      throttle.request();
    }
    expect(runs).toBe(1);
    expect(pending.size).toBe(1);
    advance(5_000);
    expect(runs).toBe(2);
    advance(60_000);
    expect(runs).toBe(2);
    throttle.request();
    expect(runs).toBe(3);
  });

  it('counts a load made elsewhere as a run, and stops cleanly', () => {
    const { timers, advance, pending } = fakeTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 10_000, timers);
    throttle.ran();
    throttle.request();
    expect(runs).toBe(0);
    throttle.stop();
    expect(pending.size).toBe(0);
    advance(20_000);
    expect(runs).toBe(0);
  });
});

describe('msToCountyMidnight', () => {
  it('counts to midnight China time, whatever the machine zone', () => {
    // 23:59:00 in the county is 15:59:00 UTC
    expect(msToCountyMidnight(Date.parse('2026-12-03T15:59:00Z'))).toBe(60_000);
    expect(msToCountyMidnight(Date.parse('2026-12-03T16:00:00Z'))).toBe(86_400_000);
  });
});
