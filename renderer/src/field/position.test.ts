import { describe, expect, it } from 'vitest';
import { distanceM, problemOf, REPORT_INTERVAL_MS, shouldReport, toWgs84, type FieldPosition } from './position';

const at = (lon: number, lat: number, crs: FieldPosition['crs'] = 'wgs84'): FieldPosition => ({ lon, lat, crs, at: 0 });

describe('position reports', () => {
  it('reports the first fix, then every 30 s or after a move of 50 m', () => {
    const p = at(120.1, 29.1);
    expect(shouldReport(null, p, 0)).toBe(true);
    const last = { pos: p, sentAt: 0 };
    expect(shouldReport(last, at(120.1001, 29.1), 1000)).toBe(false); // ~10 m
    expect(shouldReport(last, at(120.101, 29.1), 1000)).toBe(true); // ~97 m
    expect(shouldReport(last, p, REPORT_INTERVAL_MS)).toBe(true);
  });

  it('measures distance on the sphere', () => {
    expect(distanceM(at(120, 30), at(120, 30.001))).toBeCloseTo(111.2, 0);
  });

  it('converts a GCJ-02 fix to WGS84 for actions, and leaves WGS84 alone', () => {
    expect(toWgs84({ ...at(120.123456789, 29.1), accuracy: 12.4 })).toEqual({ lon: 120.123457, lat: 29.1, accuracy: 12 });
    const w = toWgs84(at(120.1, 29.1, 'gcj02'));
    // GCJ-02 is offset by a few hundred metres in China
    const d = distanceM(w, at(120.1, 29.1));
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(1000);
  });

  it('names why there is no position: an http page first, then no geolocation, then the error the browser gave', () => {
    const ok = { secure: true, supported: true };
    expect(problemOf({ code: 1 }, { secure: false, supported: true })).toBe('insecure'); // browsers deny http pages without asking
    expect(problemOf(null, { secure: true, supported: false })).toBe('unsupported');
    expect(problemOf({ code: 1 }, ok)).toBe('denied');
    expect(problemOf({ code: 2 }, ok)).toBe('unavailable');
    expect(problemOf({ code: 3 }, ok)).toBe('timeout');
    expect(problemOf(null, ok)).toBe('unavailable');
  });
});
