import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { oneRunAtATime, Ticker } from './ticker.js';

describe('Ticker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the task every interval, once at start when asked, until stopped', () => {
    const task = vi.fn();
    const ticker = new Ticker(task, 1000, () => undefined);
    ticker.start({ now: true });
    ticker.start({ now: true });
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2500);
    expect(task).toHaveBeenCalledTimes(3);
    ticker.stop();
    vi.advanceTimersByTime(5000);
    expect(task).toHaveBeenCalledTimes(3);
  });

  it('reports a failing tick and keeps going', () => {
    const errors: unknown[] = [];
    let calls = 0;
    const ticker = new Ticker(
      () => {
        calls++;
        if (calls === 1) throw new Error('busy');
      },
      1000,
      (err) => errors.push(err),
    );
    ticker.start();
    vi.advanceTimersByTime(2000);
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('busy')]);
    ticker.stop();
  });
});

describe('oneRunAtATime', () => {
  it('skips a tick while the previous run is going, runs again once it ended, and hands failures to onError', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    let finish: (fail?: boolean) => void = () => undefined;
    const tick = oneRunAtATime(
      () =>
        new Promise<void>((resolve, reject) => {
          runs++;
          finish = (fail) => (fail ? reject(new Error(`run ${runs}`)) : resolve());
        }),
      (err) => errors.push(err),
    );
    tick();
    tick();
    expect(runs).toBe(1);
    finish(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1']);
    tick();
    expect(runs).toBe(2);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    tick();
    expect(runs).toBe(3);
  });

  it('treats a task that throws before it returns a promise as a failed run, and runs the next tick', () => {
    const errors: unknown[] = [];
    let calls = 0;
    const tick = oneRunAtATime(() => {
      calls++;
      throw new Error('sync');
    }, (err) => errors.push(err));
    tick();
    tick();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
