import { describe, expect, it } from 'vitest';
import { rankingRows } from './ranking';

const towns = (n: number) => Array.from({ length: n }, (_, i) => ({ townId: `T${i + 1}`, name: `镇${i + 1}`, reported: 0, closed: 0, overdueNow: 0, onTimeRate: null, rank: i + 1 }));
const ids = (rows: ReturnType<typeof rankingRows>) => rows.map((r) => (r.kind === 'town' ? r.town.townId : `…${r.count}`));

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
