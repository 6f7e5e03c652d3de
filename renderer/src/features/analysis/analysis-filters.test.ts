import { describe, expect, it } from 'vitest';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import { activeQuickRange, apiQuery, countyToday, defaultFilters, filterProblem, filtersFromSearch, quickRange, townChoicesOf } from './analysis-filters';

describe('analysis filters', () => {
  it('take today on the county\'s clock, whatever the machine\'s zone', () => {
    expect(countyToday(Date.parse('2027-12-31T16:30:00Z'))).toBe('2028-01-01');
    expect(defaultFilters('2028-01-02')).toEqual({ unit: 'day', from: '2027-12-04', to: '2028-01-02', town: '' });
  });

  it('offer quick ranges ending today and know which one is shown', () => {
    expect(quickRange('d7', '2028-01-02')).toEqual({ from: '2027-12-27', to: '2028-01-02', unit: 'day' });
    expect(quickRange('month', '2028-01-02')).toEqual({ from: '2028-01-01', to: '2028-01-02', unit: 'day' });
    expect(quickRange('year', '2028-03-15')).toEqual({ from: '2028-01-01', to: '2028-03-15', unit: 'month' });
    expect(quickRange('d90', '2028-03-15').unit).toBe('week');
    expect(activeQuickRange({ ...defaultFilters('2028-01-02') }, '2028-01-02')).toBe('d30');
    expect(activeQuickRange({ unit: 'day', from: '2027-12-05', to: '2028-01-02', town: '' }, '2028-01-02')).toBeNull();
  });

  it('name the field of a period the server would refuse', () => {
    expect(filterProblem({ from: '2028-01-02', to: '2028-01-01' })).toEqual({ field: 'to', key: 'toBeforeFrom' });
    expect(filterProblem({ from: '2026-01-01', to: '2027-02-05' })).toEqual({ field: 'from', key: 'tooLong' });
    expect(filterProblem({ from: '2027-01-01', to: '2028-02-04' })).toBeNull(); // 400 days
    expect(filterProblem({ from: '2028-01-01', to: '2028-01-01' })).toBeNull();
  });

  it('read a deep link, keeping the defaults for what is not well formed', () => {
    const today = '2028-01-02';
    expect(filtersFromSearch(new URLSearchParams('from=2027-12-30&to=2028-01-01&unit=week&town=330899101'), today)).toEqual({ unit: 'week', from: '2027-12-30', to: '2028-01-01', town: '330899101' });
    expect(filtersFromSearch(new URLSearchParams('to=2027-06-30'), today)).toEqual({ unit: 'day', from: '2027-06-01', to: '2027-06-30', town: '' });
    expect(filtersFromSearch(new URLSearchParams('from=2027-02-30&unit=year&town=x'), today)).toEqual(defaultFilters(today));
  });

  it('leave the town out of the API query for all towns', () => {
    expect(apiQuery({ from: 'a', to: 'b', town: '' })).toEqual({ from: 'a', to: 'b', town: undefined });
    expect(apiQuery({ from: 'a', to: 'b', town: '330899101' })).toEqual({ from: 'a', to: 'b', town: '330899101' });
  });
});

describe('town choices', () => {
  const node = (id: string, level: RegionNode['level'], name: string, children?: RegionNode[]): RegionNode => ({ id, code: id, name, level, kind: level, counts: { grids: 0, microGrids: 0, households: 0, workers: 0 }, children });
  it('name a platform’s towns after their county (names repeat across counties), a county server’s by themselves', () => {
    const city = node('330800', 'city', 'T市', [node('330801', 'county', '甲县', [node('330801001', 'town', '城北街道')]), node('330802', 'county', '乙县', [node('330802001', 'town', '城北街道')])]);
    expect(townChoicesOf(city)).toEqual([
      { id: '330801001', name: '甲县 城北街道' },
      { id: '330802001', name: '乙县 城北街道' },
    ]);
    expect(townChoicesOf(node('330899', 'county', 'T县', [node('330899001', 'town', '城关镇')]))).toEqual([{ id: '330899001', name: '城关镇' }]);
  });
});
