import { describe, expect, it } from 'vitest';
import type { KpiCounts } from '../../../../shared/contracts/kpi.js';
import { computeKpis } from '../../../../shared/domain/kpi.js';
import { buildGridWorkerResponse, buildKpiResponse, rankGroups, rollUpTowns } from './kpi.service.js';

const counts = (c: Partial<KpiCounts>): KpiCounts => ({ accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0, ...c });
const row = (key: string, c: Partial<KpiCounts>) => ({ key, name: key, counts: counts(c), kpis: computeKpis(counts(c)) });

describe('rankGroups', () => {
  it('ranks by on-time closure, then closure; equal rates share a rank; groups without due cases come last', () => {
    const ranked = rankGroups([
      row('none', { accepted: 5 }),
      row('half', { due: 4, closed: 4, closedOnTime: 2 }),
      row('half-less-closed', { due: 4, closed: 2, closedOnTime: 2 }),
      row('all', { due: 2, closed: 2, closedOnTime: 2 }),
      row('half-too', { due: 2, closed: 2, closedOnTime: 1 }),
      row('none-too', { accepted: 1 }),
    ]);
    expect(ranked.map((r) => [r.key, r.rank])).toEqual([
      ['all', 1],
      ['half', 2],
      ['half-too', 2],
      ['half-less-closed', 4],
      ['none', 5],
      ['none-too', 5],
    ]);
  });
});

describe('buildKpiResponse', () => {
  it('sums the groups into the total, names the unnamed group and reports the machine-dispatch share', () => {
    const res = buildKpiResponse(
      { from: 'a', to: 'b', groupBy: 'team' },
      [
        { key: 'TM0001', name: 'Team 1', counts: counts({ accepted: 3, filed: 3, dispatched: 3, due: 2, closed: 1, closedOnTime: 1 }), autoDispatched: 1 },
        { key: '', name: null, counts: counts({ accepted: 3, filed: 1 }), autoDispatched: 0 },
      ],
      'not dispatched',
    );
    expect(res.total.counts).toEqual(counts({ accepted: 6, filed: 4, dispatched: 3, due: 2, closed: 1, closedOnTime: 1 }));
    expect(res.autoDispatch).toEqual({ dispatched: 3, auto: 1, share: 33.33 });
    expect(res.groups.map((g) => [g.key, g.name, g.rank])).toEqual([
      ['TM0001', 'Team 1', 1],
      ['', 'not dispatched', 2],
    ]);
    const none = buildKpiResponse({ from: 'a', to: 'b', groupBy: null }, [], 'x');
    expect(none.autoDispatch).toEqual({ dispatched: 0, auto: 0, share: null });
    expect(none.groups).toEqual([]);
  });
});

describe('buildGridWorkerResponse', () => {
  const worker = (id: string, reported: number, households: number, employment: 'full_time' | 'part_time' = 'part_time') => ({
    id,
    name: id,
    employment,
    gridId: `G${id}`,
    gridCode: id,
    placeName: 't › v › g',
    townId: 't',
    households,
    gridWorkers: 1,
    reported,
    selfHandled: 0,
  });

  it('ranks by reports per 100 households, then reports; equal figures share a rank; no households last', () => {
    const res = buildGridWorkerResponse({ from: 'a', to: 'b', town: null }, [worker('a', 1, 200), worker('b', 2, 100), worker('c', 4, 200), worker('d', 3, 0), worker('e', 1, 50, 'full_time')], new Map([['Ga', counts({ due: 2, closed: 1, closedOnTime: 1 })]]));
    expect(res.workers.map((w) => [w.id, w.per100Households, w.rank])).toEqual([
      ['c', 2, 1],
      ['b', 2, 2],
      ['e', 2, 3],
      ['a', 0.5, 4],
      ['d', null, 5],
    ]);
    const tie = buildGridWorkerResponse({ from: 'a', to: 'b', town: null }, [worker('y', 1, 100), worker('x', 1, 100)], new Map());
    expect(tie.workers.map((w) => [w.id, w.rank])).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
    expect(res.workers.find((w) => w.id === 'a')!.grid.kpis.onTimeClosureRate).toBe(50);
    expect(res.employment).toEqual([
      { employment: 'full_time', workers: 1, reported: 1, selfHandled: 0, households: 50, per100Households: 2, perWorker: 1 },
      { employment: 'part_time', workers: 4, reported: 10, selfHandled: 0, households: 500, per100Households: 2, perWorker: 2.5 },
    ]);
  });
});

describe('rollUpTowns', () => {
  it('sums each county’s towns (auto-dispatch too), in id order, leaving out a town the tree cannot place', () => {
    const town = (key: string, c: Partial<KpiCounts>, autoDispatched = 0) => ({ key, name: key, counts: counts(c), autoDispatched });
    const county: Record<string, string> = { '330801001': '330801', '330801002': '330801', '330802001': '330802' };
    const rows = rollUpTowns(
      [town('330802001', { accepted: 1, due: 1, closed: 1 }), town('330801001', { accepted: 2, due: 2, closedOnTime: 1 }, 1), town('330801002', { accepted: 3, due: 1, closedOnTime: 1 }, 2), town('339999001', { accepted: 9 })],
      (id) => (county[id] ? { id: county[id], name: `县${county[id]}` } : null),
    );
    expect(rows).toEqual([
      { key: '330801', name: '县330801', counts: counts({ accepted: 5, due: 3, closedOnTime: 2 }), autoDispatched: 3 },
      { key: '330802', name: '县330802', counts: counts({ accepted: 1, due: 1, closed: 1 }), autoDispatched: 0 },
    ]);
  });
});
