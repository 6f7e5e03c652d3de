import { describe, expect, it } from 'vitest';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import { areaFromSearch, evaluationTabs, formatRate, formatRatio, isKpiTab, pageOf, pathTo, tabBelow, tabFromSearch } from './evaluation-format';

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
    expect(tabFromSearch(new URLSearchParams('tab=province'))).toBeNull();
    expect(tabFromSearch(new URLSearchParams('tab=county'))).toBe('county');
    expect([areaFromSearch(new URLSearchParams('area=330801')), areaFromSearch(new URLSearchParams('area=x'))]).toEqual(['330801', '']);
    expect([isKpiTab('teamType'), isKpiTab('gridWorker'), isKpiTab('county')]).toEqual([true, false, true]);
  });

  it('show the county and city tables only where the platform has them, first', () => {
    expect(evaluationTabs('county')).toEqual(['town', 'village', 'grid', 'teamType', 'team', 'worker', 'gridWorker']);
    expect(evaluationTabs('city').slice(0, 2)).toEqual(['county', 'town']);
    expect(evaluationTabs('province').slice(0, 3)).toEqual(['city', 'county', 'town']);
  });

  it('find the path down the tree to a region, and the table below each step', () => {
    const node = (id: string, level: RegionNode['level'], children?: RegionNode[]): RegionNode => ({ id, code: id, name: id, level, kind: level, counts: { grids: 0, microGrids: 0, households: 0, workers: 0 }, children });
    const root = node('330800', 'city', [node('330801', 'county', [node('330801001', 'town')]), node('330802', 'county', [node('330802001', 'town')])]);
    expect(pathTo(root, '330802001').map((n) => n.id)).toEqual(['330800', '330802', '330802001']);
    expect(pathTo(root, '330800').map((n) => n.id)).toEqual(['330800']);
    expect(pathTo(root, '999999')).toEqual([]);
    const tabs = evaluationTabs('city');
    expect([tabBelow('city', tabs), tabBelow('county', tabs), tabBelow('town', tabs), tabBelow('province', tabs)]).toEqual(['county', 'town', 'grid', 'county']);
  });
});
