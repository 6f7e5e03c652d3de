import { describe, expect, it } from 'vitest';
import type { KpiCounts } from '../../../../shared/contracts/kpi.js';
import { overviewDay } from '../../../../shared/contracts/overview.js';
import { buildOverview, rankUnits, unitLevelOf, type OverviewInput } from './overview.service.js';

const counts = (c: Partial<KpiCounts>): KpiCounts => ({ accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0, ...c });
const town = (townId: string, name: string) => ({ townId, name, reported: 1, closed: 1, overdueNow: 0 });

const input = (patch: Partial<OverviewInput> = {}): OverviewInput => ({
  day: overviewDay('2026-12-03', new Date('2026-12-05T00:00:00Z')),
  now: new Date('2026-12-05T00:00:00Z'),
  townId: null,
  flows: { reported: 5, filed: 4, dispatched: 3, closed: 2 },
  state: { inProgress: 7, overdueNow: 1 },
  teams: { total: 10, onDuty: 8 },
  reportedPerDay: [],
  closedPerDay: [],
  categories: [],
  kpiTotal: counts({}),
  kpiTowns: [],
  towns: [],
  categoryName: (row) => ({ name: `名${row.category}`, nameEn: `name ${row.category}` }),
  ...patch,
});

describe('overviewDay', () => {
  it('reads a day as China midnight to midnight, and defaults to the China day of now', () => {
    expect(overviewDay('2026-12-03', new Date())).toEqual({ date: '2026-12-03', from: new Date('2026-12-02T16:00:00Z'), to: new Date('2026-12-03T16:00:00Z') });
    // 23:30 UTC is already 07:30 the next morning in the county
    expect(overviewDay(undefined, new Date('2026-12-03T23:30:00Z')).date).toBe('2026-12-04');
    expect(overviewDay(undefined, new Date('2026-12-03T15:59:59Z')).date).toBe('2026-12-03');
  });
});

describe('buildOverview', () => {
  it('gives every day of the week ending with the date, oldest first, zero where nothing happened', () => {
    const o = buildOverview(
      input({
        reportedPerDay: [
          { date: '2026-11-27', count: 4 },
          { date: '2026-12-03', count: 9 },
        ],
        closedPerDay: [{ date: '2026-12-01', count: 2 }],
      }),
    );
    expect(o.trend.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(o.trend.map((d) => [d.reported, d.closed])).toEqual([[4, 0], [0, 0], [0, 0], [0, 0], [0, 2], [0, 0], [9, 0]]);
  });

  it('sums a category over its items and catalog versions and lists the largest first', () => {
    const o = buildOverview(
      input({
        categories: [
          { category: 'safety', catalogVersion: 1, itemCode: 'A', count: 2 },
          { category: 'dispute', catalogVersion: 1, itemCode: 'B', count: 3 },
          { category: 'safety', catalogVersion: 2, itemCode: 'C', count: 2 },
        ],
      }),
    );
    expect(o.categories).toEqual([
      { category: 'safety', name: '名safety', nameEn: 'name safety', count: 4 },
      { category: 'dispute', name: '名dispute', nameEn: 'name dispute', count: 3 },
    ]);
  });

  it('takes the on-time rate from the KPI counts and ranks the towns as the KPI groups, towns with nothing due last', () => {
    const o = buildOverview(
      input({
        kpiTotal: counts({ due: 4, closed: 3, closedOnTime: 3 }),
        kpiTowns: [
          { key: 'T2', name: 'b', counts: counts({ due: 2, closed: 2, closedOnTime: 2 }), autoDispatched: 0 },
          { key: 'T1', name: 'a', counts: counts({ due: 2, closed: 1, closedOnTime: 1 }), autoDispatched: 0 },
        ],
        towns: [town('T1', '甲镇'), town('T2', '乙镇'), town('T3', '丙镇')],
      }),
    );
    expect(o.figures).toEqual({ reported: 5, filed: 4, dispatched: 3, inProgress: 7, closed: 2, onTimeRate: 75, overdueNow: 1, teamsOnDuty: 8 });
    expect(o.teamsTotal).toBe(10);
    expect(o.towns.map((t) => [t.townId, t.onTimeRate, t.rank])).toEqual([
      ['T2', 100, 1],
      ['T1', 50, 2],
      ['T3', null, 3],
    ]);
  });
});

describe('the units of a platform', () => {
  const unit = (unitId: string, level: 'county' | 'city', towns: string[]) => ({ unitId, name: unitId, level, towns });

  it('ranks cities on a province, counties on a city, nothing on a county server', () => {
    const counties = [unit('330101', 'county', ['A']), unit('330201', 'county', ['B'])];
    expect(unitLevelOf({ counties, cities: [unit('330100', 'city', ['A']), unit('330200', 'city', ['B'])] })).toBe('city');
    expect(unitLevelOf({ counties, cities: [unit('330100', 'city', ['A', 'B'])] })).toBe('county');
    expect(unitLevelOf({ counties: [unit('330899', 'county', ['A', 'B'])], cities: [] })).toBeNull();
    expect(buildOverview(input({ towns: [town('A', 'a')], units: { counties: [unit('330899', 'county', ['A'])], cities: [] } }))).toMatchObject({ unitLevel: null, units: [] });
  });

  it('rates a unit over its towns’ counts summed, not their rates averaged', () => {
    // county X: a town 1/1 on time and a town 0/9 → 10 %; county Y: one town 5/10 → 50 %. Averaged, X would be 50 %.
    const kpi = new Map([
      ['A', counts({ due: 1, closed: 1, closedOnTime: 1 })],
      ['B', counts({ due: 9, closed: 9, closedOnTime: 0 })],
      ['C', counts({ due: 10, closed: 10, closedOnTime: 5 })],
    ]);
    const ranked = rankUnits([unit('X', 'county', ['A', 'B']), unit('Y', 'county', ['C']), unit('Z', 'county', ['D'])], [town('A', 'a'), town('B', 'b'), town('C', 'c')], kpi);
    // Z holds none of the caller's towns: left out
    expect(ranked.map((u) => [u.unitId, u.onTimeRate, u.rank, u.reported])).toEqual([
      ['Y', 50, 1, 1],
      ['X', 10, 2, 2],
    ]);
  });
});
