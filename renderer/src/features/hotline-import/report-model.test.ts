import { describe, expect, it } from 'vitest';
import { emptyTotals, type HotlineImportReport, type HotlineImportRow } from '../../../../shared/contracts/hotline-import.js';
import { filterRows, importVerdict, outcomeCounts } from './report-model';

const row = (n: number, outcome: HotlineImportRow['outcome']): HotlineImportRow => ({ row: n, caseNumber: `GD${n}`, outcome, written: false, reason: null });

function report(mode: 'file' | 'row', rows: HotlineImportRow[]): HotlineImportReport {
  const totals = emptyTotals();
  totals.rows = rows.length;
  for (const r of rows) totals[r.outcome] += 1;
  return {
    id: 'HI1',
    mode,
    dryRun: true,
    status: 'preview',
    file: { name: 'a.csv', format: 'csv', encoding: 'utf-8', bytes: 10, headerRow: 1, columns: [], ignored: [] },
    startedAt: '2026-12-02T00:00:00.000Z',
    finishedAt: '2026-12-02T00:00:01.000Z',
    by: { userId: 'u', displayName: 'U' },
    totals,
    rows,
  };
}

describe('the preview decides what the import button may do', () => {
  it('refuses all or nothing with an invalid row, names how many', () => {
    expect(importVerdict(report('file', [row(2, 'accepted'), row(3, 'invalid')]))).toEqual({ ok: false, reason: 'invalid_rows', count: 1 });
  });
  it('lets row by row import the good rows of the same file', () => {
    expect(importVerdict(report('row', [row(2, 'accepted'), row(3, 'invalid'), row(4, 'triaged')]))).toEqual({ ok: true, rows: 2 });
  });
  it('has nothing to do when every row was imported before', () => {
    expect(importVerdict(report('file', [row(2, 'duplicate_of_earlier_import')]))).toEqual({ ok: false, reason: 'nothing_to_write' });
  });
});

describe('filters', () => {
  it('counts every outcome, zeros included, and filters by one', () => {
    const r = report('row', [row(2, 'accepted'), row(3, 'invalid'), row(4, 'accepted')]);
    expect(outcomeCounts(r).map((c) => c.count)).toEqual([3, 2, 0, 0, 1, 0]);
    expect(filterRows(r.rows, 'accepted').map((x) => x.row)).toEqual([2, 4]);
    expect(filterRows(r.rows, 'all')).toHaveLength(3);
  });
});
