import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ticker } from './ticker.js';

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
