import { describe, expect, it } from 'vitest';
import { Random } from '../demo/random.js';
import { expectedArrivals, HOUR_FACTOR, metres, parseSimulationStart, pickSource, poisson, stepToward } from './day-plan.js';

describe('the simulated day', () => {
  it('spreads the daily rate over the hours with a mean of 1, busier at 10:00 than at 03:00', () => {
    expect(HOUR_FACTOR).toHaveLength(24);
    expect(HOUR_FACTOR.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 10);
    expect(HOUR_FACTOR[10]!).toBeGreaterThan(3 * HOUR_FACTOR[3]!);
    // 10:00 CST = 02:00 UTC
    expect(expectedArrivals(10, new Date('2026-11-26T02:00:00Z'), 3600)).toBeCloseTo(10 * HOUR_FACTOR[10]!, 10);
  });

  it('draws Poisson counts with the asked mean', () => {
    const rng = new Random(1, 'poisson');
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += poisson(2.5, rng);
    expect(sum / n).toBeGreaterThan(2.4);
    expect(sum / n).toBeLessThan(2.6);
    expect(poisson(0, rng)).toBe(0);
  });

  it('takes night reports mostly from 110 and the hotline, never from office-hours channels', () => {
    const rng = new Random(2, 'sources');
    const night = new Date('2026-11-25T18:30:00Z'); // 02:30 CST
    const seen = new Set(Array.from({ length: 500 }, () => pickSource(night, rng)));
    expect(seen.has('department')).toBe(false);
    expect(seen.has('petition')).toBe(false);
    expect(seen.has('police_110')).toBe(true);
  });

  it('moves a team along the axes at its speed and says when it arrives', () => {
    const from = { lon: 119.9, lat: 29.1 };
    const to = { lon: 119.92, lat: 29.11 };
    const total = metres(from, to);
    const first = stepToward(from, to, 36, 60); // 600 m in a minute
    expect(first.arrived).toBe(false);
    expect(total - metres(first.at, to)).toBeGreaterThan(400);
    let at = first.at;
    let arrived = false;
    for (let i = 0; i < 20 && !arrived; i++) ({ at, arrived } = stepToward(at, to, 36, 60));
    expect(arrived).toBe(true);
    expect(metres(at, to)).toBeLessThanOrEqual(30);
  });

  it('reads the start in China Standard Time unless a zone is written, whatever the machine zone', () => {
    expect(parseSimulationStart('2026-11-23')?.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(parseSimulationStart('2026-11-23T09:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(parseSimulationStart('2026-11-23T09:00:30.5')?.toISOString()).toBe('2026-11-23T01:00:30.500Z');
    expect(parseSimulationStart('2026-11-23T01:00:00Z')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(parseSimulationStart('2026-11-22T17:00:00-08:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    const at = new Date('2026-12-31T23:59:30+08:00');
    expect(parseSimulationStart(at)).toBe(at);
  });

  it('refuses a start that is not a day or time instead of falling back to now', () => {
    for (const bad of ['', 'now', '09:00', '2026-02-30', '2026-02-30T09:00+08:00', '2026-11-23T24:30', '2026-11-23 09:00', '1700000000000', '2026-11-23T09:00+8']) {
      expect(parseSimulationStart(bad), bad).toBeNull();
    }
    expect(parseSimulationStart(new Date(Number.NaN))).toBeNull();
  });
});
