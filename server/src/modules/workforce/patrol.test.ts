import { describe, expect, it } from 'vitest';
import { haversineMetres, patrolSpans, summarize, type PatrolPoint } from './patrol.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-18T01:00:00Z'); // 09:00 China time
/** A point `north` metres north of (120, 30), `min` minutes after T0 (1° of latitude ≈ 111,195 m on the mean sphere). */
const p = (min: number, north: number, east = 0): PatrolPoint => ({ lon: 120 + east / (111_195 * Math.cos(Math.PI / 6)), lat: 30 + north / 111_194.93, at: T0 + min * MIN });

describe('haversineMetres', () => {
  it('measures great-circle distance on the mean sphere', () => {
    expect(haversineMetres({ lon: 120, lat: 30 }, { lon: 120, lat: 31 })).toBeCloseTo(111_195, 0);
    expect(haversineMetres({ lon: 120, lat: 30 }, { lon: 120, lat: 30 })).toBe(0);
    // Hangzhou to Shanghai, about 165 km
    expect(haversineMetres({ lon: 120.1551, lat: 30.2741 }, { lon: 121.4737, lat: 31.2304 }) / 1000).toBeCloseTo(164.9, 0);
  });
});

describe('patrolSpans', () => {
  it('joins positions at most 10 min apart, splits on a longer gap, and drops a lone position', () => {
    const spans = patrolSpans([p(0, 0), p(5, 100), p(15, 200), p(25.01, 300), p(40, 400), p(49, 500)]);
    expect(spans.map((s) => s.points.length)).toEqual([3, 2]);
    expect(spans.map((s) => s.ms / MIN)).toEqual([15, 9]);
    expect(spans[0]!.metres).toBeCloseTo(200, 0);
    expect(spans[1]!.metres).toBeCloseTo(100, 0);
  });

  it('does not count a step faster than 30 km/h, nor a jump in no time', () => {
    // 600 m in 1 min is 36 km/h: skipped; 400 m in 1 min is 24 km/h: counted
    const spans = patrolSpans([p(0, 0), p(1, 600), p(2, 1000), { ...p(2, 5000) }]);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.metres).toBeCloseTo(400, 0);
    expect(spans[0]!.ms).toBe(2 * MIN);
  });

  it('draws the line at 30 km/h: 499 m in a minute counts, 501 m does not', () => {
    expect(patrolSpans([p(0, 0), p(1, 499)])[0]!.metres).toBeCloseTo(499, 0);
    expect(patrolSpans([p(0, 0), p(1, 501)])[0]!.metres).toBe(0);
  });
});

describe('summarize', () => {
  it('sums minutes and metres (rounded once) and counts China days with a span', () => {
    const morning = [p(0, 0), p(10, 300), p(20, 600)];
    // 23:55 China time the same day to 00:05 the next: one span on two days
    const late = [p(14 * 60 + 55, 0), p(15 * 60 + 5, 250)];
    const nextDay = [p(24 * 60, 0), p(24 * 60 + 7, 0, 70)];
    const s = summarize(patrolSpans([...morning, ...late, ...nextDay]));
    expect(s).toEqual({ minutes: 20 + 10 + 7, metres: 600 + 250 + 70, days: 2 });
    expect(summarize([])).toEqual({ minutes: 0, metres: 0, days: 0 });
  });
});
