import { describe, expect, it } from 'vitest';
import type { KpiCounts } from '../contracts/kpi.js';
import { computeKpis, KPI_FORMULAS } from './kpi.js';

/** domain.md §5: one city, one week, recomputed from a published weekly report. */
const FIXTURE: KpiCounts = {
  accepted: 51571,
  filed: 51229,
  dispatched: 49151,
  due: 52434,
  closed: 43523,
  closedOnTime: 40394,
  rework: 276,
  extended: 104,
};

const zero: KpiCounts = { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 };

describe('computeKpis', () => {
  it('reproduces the fixture of domain.md §5', () => {
    expect(computeKpis(FIXTURE)).toEqual({
      filingRate: 99.34,
      dispatchRate: 95.94,
      closureRate: 83.01,
      onTimeClosureRate: 77.04,
      reworkRate: 0.53,
      extensionRate: 0.2,
    });
  });

  it('rounds to other decimals', () => {
    expect(computeKpis(FIXTURE, { decimals: 0 })).toEqual({
      filingRate: 99,
      dispatchRate: 96,
      closureRate: 83,
      onTimeClosureRate: 77,
      reworkRate: 1,
      extensionRate: 0,
    });
    expect(computeKpis(FIXTURE, { decimals: 1 })).toMatchObject({ filingRate: 99.3, closureRate: 83, reworkRate: 0.5, extensionRate: 0.2 });
    // 51229 / 51571 = 0.99336836…, 104 / 52434 = 0.00198344…
    expect(computeKpis(FIXTURE, { decimals: 4 })).toMatchObject({ filingRate: 99.3368, extensionRate: 0.1983 });
  });

  it('rounds half up exactly where floats would round down', () => {
    // 201 / 20000 = 1.005 %: as floats, 201 / 20000 * 100 * 100 is 100.49999999999999.
    expect(Math.round((201 / 20000) * 100 * 100) / 100).toBe(1);
    expect(computeKpis({ ...zero, due: 20000, rework: 201 }).reworkRate).toBe(1.01);
    // 1 / 8 = 12.5 % → 13 at 0 decimals; 1 / 3 = 33.333… → 33.33; 2 / 3 → 66.67
    expect(computeKpis({ ...zero, due: 8, closed: 1 }, { decimals: 0 }).closureRate).toBe(13);
    expect(computeKpis({ ...zero, due: 3, closed: 1, closedOnTime: 2 })).toMatchObject({ closureRate: 33.33, onTimeClosureRate: 66.67 });
  });

  it('gives 100 for all and 0 for none', () => {
    expect(computeKpis({ ...zero, accepted: 7, filed: 7, dispatched: 0 })).toMatchObject({ filingRate: 100, dispatchRate: 0 });
  });

  it('gives null, not 0 or 100, when the denominator is 0', () => {
    expect(computeKpis(zero)).toEqual({
      filingRate: null,
      dispatchRate: null,
      closureRate: null,
      onTimeClosureRate: null,
      reworkRate: null,
      extensionRate: null,
    });
    expect(computeKpis({ ...zero, accepted: 5 })).toMatchObject({ filingRate: 0, dispatchRate: null, closureRate: null });
  });

  it('stays exact with large counts and many decimals', () => {
    expect(computeKpis({ ...zero, accepted: 2 ** 40, filed: 2 ** 40 - 1 }, { decimals: 10 }).filingRate).toBe(99.9999999999);
  });

  it('refuses counts that are not non-negative integers, naming the field', () => {
    expect(() => computeKpis({ ...FIXTURE, closed: -1 })).toThrow(RangeError);
    expect(() => computeKpis({ ...FIXTURE, closed: -1 })).toThrow(/^closed must be a non-negative integer/);
    expect(() => computeKpis({ ...FIXTURE, rework: 1.5 })).toThrow(/^rework /);
    expect(() => computeKpis({ ...FIXTURE, due: Number.NaN })).toThrow(/^due /);
    expect(() => computeKpis({ ...FIXTURE, extended: Number.POSITIVE_INFINITY })).toThrow(/^extended /);
    expect(() => computeKpis({ ...FIXTURE, filed: '3' as unknown as number })).toThrow(/^filed /);
  });

  it('refuses bad decimals', () => {
    expect(() => computeKpis(FIXTURE, { decimals: -1 })).toThrow(RangeError);
    expect(() => computeKpis(FIXTURE, { decimals: 1.5 })).toThrow(/decimals/);
    expect(() => computeKpis(FIXTURE, { decimals: 11 })).toThrow(/decimals/);
  });

  it('names a formula for each KPI', () => {
    expect(Object.keys(KPI_FORMULAS).sort()).toEqual(Object.keys(computeKpis(FIXTURE)).sort());
    expect(KPI_FORMULAS.closureRate).toMatchObject({ numerator: 'closed', denominator: 'due' });
  });
});
