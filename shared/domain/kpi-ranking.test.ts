import { describe, expect, it } from 'vitest';
import type { KpiRow } from '../contracts/kpi.js';
import { tableRows } from './kpi-ranking.js';

const row = (key: string, rank: number, onTime: number | null, closure: number | null = onTime): KpiRow => ({
  key,
  name: key,
  rank,
  counts: { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 },
  kpis: { filingRate: null, dispatchRate: null, closureRate: closure, onTimeClosureRate: onTime, reworkRate: null, extensionRate: null },
});

describe('tableRows', () => {
  it('lists the cases of no one last without a place and places the others among themselves', () => {
    const rows = tableRows([row('', 1, 100), row('a', 2, 96), row('b', 3, 90), row('c', 3, 90), row('d', 5, null)]);
    expect(rows.map((r) => [r.key, r.place])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
      ['', null],
    ]);
  });
});
