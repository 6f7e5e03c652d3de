import { describe, expect, it } from 'vitest';
import { formatRate, formatRatio, isKpiTab, pageOf, tabFromSearch } from './evaluation-format';

describe('evaluation formats', () => {
  it('write rates with two decimals, and a dash where there is no denominator', () => {
    expect([formatRate(98.6), formatRate(0), formatRate(null), formatRatio(1.333), formatRatio(null)]).toEqual(['98.60%', '0.00%', '—', '1.33', '—']);
  });

  it('pages a ranked list and keeps the page inside it', () => {
    const rows = Array.from({ length: 250 }, (_, i) => i);
    expect(pageOf(rows, 0, 100)).toMatchObject({ page: 0, pages: 3, from: 1, to: 100 });
    expect(pageOf(rows, 2, 100)).toMatchObject({ page: 2, from: 201, to: 250 });
    expect(pageOf(rows, 9, 100).page).toBe(2);
    expect(pageOf([], 0, 100)).toMatchObject({ rows: [], pages: 1, from: 0, to: 0 });
  });

  it('reads the tab of a deep link', () => {
    expect(tabFromSearch(new URLSearchParams('tab=gridWorker'))).toBe('gridWorker');
    expect(tabFromSearch(new URLSearchParams('tab=province'))).toBe('town');
    expect([isKpiTab('teamType'), isKpiTab('gridWorker')]).toEqual([true, false]);
  });
});
