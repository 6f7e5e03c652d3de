import { describe, expect, it } from 'vitest';
import type { OverviewTown, OverviewUnit } from '../../../../shared/contracts/overview.js';
import { rankingOf, rankingRows, type RankingRow } from './ranking';

const towns = (n: number): OverviewTown[] => Array.from({ length: n }, (_, i) => ({ townId: `T${i + 1}`, name: `镇${i + 1}`, reported: 0, closed: 0, overdueNow: 0, onTimeRate: null, rank: i + 1 }));
const ids = (rows: RankingRow<{ townId: string }>[]) => rows.map((r) => (r.kind === 'town' ? r.town.townId : `…${r.count}`));

describe('rankingRows', () => {
  it('lists every town that fits', () => {
    expect(ids(rankingRows(towns(3), 5))).toEqual(['T1', 'T2', 'T3']);
    expect(ids(rankingRows(towns(5), 5))).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
  });

  it('keeps the best and the worst and counts the towns left out, in exactly maxRows rows', () => {
    const rows = rankingRows(towns(15), 9);
    expect(ids(rows)).toEqual(['T1', 'T2', 'T3', 'T4', '…7', 'T12', 'T13', 'T14', 'T15']);
    expect(rows).toHaveLength(9);
  });
});

describe('rankingOf', () => {
  const counties: OverviewUnit[] = [
    { unitId: '330802', name: '沙林县', level: 'county', reported: 9, closed: 7, overdueNow: 1, onTimeRate: 90, rank: 1 },
    { unitId: '330801', name: '文化区', level: 'county', reported: 4, closed: 2, overdueNow: 3, onTimeRate: null, rank: 2 },
  ];

  it('ranks the counties or cities of a platform, in the order the server ranked them', () => {
    const ranking = rankingOf({ towns: towns(150), unitLevel: 'county', units: counties });
    expect(ranking.unit).toBe('county');
    expect(ranking.entries.map((e) => [e.id, e.name, e.rank, e.onTimeRate])).toEqual([
      ['330802', '沙林县', 1, 90],
      ['330801', '文化区', 2, null],
    ]);
  });

  it('ranks the towns of a county, and of a server that sends no units', () => {
    expect(rankingOf({ towns: towns(2), unitLevel: null, units: [] })).toMatchObject({ unit: 'town', entries: [{ id: 'T1' }, { id: 'T2' }] });
    expect(rankingOf({ towns: towns(1) }).unit).toBe('town');
  });
});
