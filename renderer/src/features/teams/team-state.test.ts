import { describe, expect, it } from 'vitest';
import { teamFixture } from '../../testing/team-fixture';
import { appendToTrail, applyChanged, applyMoved, filterTeams, mergeFetched, NO_TEAM_FILTER, recentTrail, statusCounts } from './team-state';

const byId = (...teams: ReturnType<typeof teamFixture>[]) => new Map(teams.map((t) => [t.id, t]));
const collator = new Intl.Collator('zh-CN');

describe('applyMoved', () => {
  it('moves the listed teams, keeps the others as they were and ignores teams not held', () => {
    const a = teamFixture({ id: 'TM0001' });
    const b = teamFixture({ id: 'TM0002' });
    const next = applyMoved(byId(a, b), {
      at: '2026-03-02T08:00:01Z',
      teams: [
        { teamId: 'TM0001', lon: 120.2, lat: 29.2, accuracy: 8, at: '2026-03-02T08:00:00Z', status: 'en_route' },
        { teamId: 'TM9999', lon: 120.3, lat: 29.3, accuracy: null, at: '2026-03-02T08:00:00Z', status: 'available' },
      ],
    });
    expect(next.get('TM0001')).toMatchObject({ location: { lon: 120.2, lat: 29.2 }, positionAt: '2026-03-02T08:00:00Z', status: 'en_route' });
    expect(next.get('TM0002')).toBe(b);
    expect(next.has('TM9999')).toBe(false);
  });

  it('keeps a newer position and returns the same map when nothing changes', () => {
    const a = teamFixture({ positionAt: '2026-03-02T08:05:00Z' });
    const teams = byId(a);
    const stale = { at: '2026-03-02T08:06:00Z', teams: [{ teamId: a.id, lon: 1, lat: 1, accuracy: null, at: '2026-03-02T08:00:00Z', status: 'busy' as const }] };
    expect(applyMoved(teams, stale)).toBe(teams);
  });
});

describe('applyChanged', () => {
  it('takes the pushed summary but not an older position than the one held', () => {
    const held = teamFixture({ location: { lon: 120.5, lat: 29.5 }, positionAt: '2026-03-02T08:05:00Z' });
    const pushed = teamFixture({ status: 'on_scene', openCases: 1, positionAt: '2026-03-02T08:00:00Z' });
    const next = applyChanged(byId(held), { team: pushed });
    expect(next.get(held.id)).toMatchObject({ status: 'on_scene', openCases: 1, location: { lon: 120.5, lat: 29.5 }, positionAt: '2026-03-02T08:05:00Z' });
  });
});

describe('mergeFetched', () => {
  it('lets the newer position win per team, keeps unchanged teams and drops those no longer listed', () => {
    const moved = teamFixture({ id: 'TM0001', location: { lon: 121, lat: 30 }, positionAt: '2026-03-02T08:10:00Z' });
    const same = teamFixture({ id: 'TM0002' });
    const gone = teamFixture({ id: 'TM0003' });
    const merged = mergeFetched(byId(moved, same, gone), [
      teamFixture({ id: 'TM0001', status: 'busy', positionAt: '2026-03-02T08:00:00Z' }),
      teamFixture({ id: 'TM0002' }),
    ]);
    expect(merged.get('TM0001')).toMatchObject({ status: 'busy', location: { lon: 121, lat: 30 }, positionAt: '2026-03-02T08:10:00Z' });
    expect(merged.get('TM0002')).toBe(same);
    expect(merged.has('TM0003')).toBe(false);
  });
});

describe('filterTeams', () => {
  const teams = [
    teamFixture({ id: 'TM1', name: '乙队', status: 'busy', townId: 'T1' }),
    teamFixture({ id: 'TM2', name: '甲队', status: 'available', townId: 'T2', type: 'mediator' }),
    teamFixture({ id: 'TM3', name: '县执法', status: 'en_route', townId: null, homeLevel: 'county', type: 'law_enforcement' }),
    teamFixture({ id: 'TM4', name: '丙队', status: 'available', townId: 'T1' }),
  ];

  it('lists available teams first, then en route, on scene, busy, off duty, each by name', () => {
    expect(filterTeams(teams, NO_TEAM_FILTER, collator).map((t) => t.id)).toEqual(['TM4', 'TM2', 'TM3', 'TM1']);
  });

  it('filters by type, status and town; a town keeps the county units that serve it', () => {
    expect(filterTeams(teams, { ...NO_TEAM_FILTER, townId: 'T1' }, collator).map((t) => t.id)).toEqual(['TM4', 'TM3', 'TM1']);
    expect(filterTeams(teams, { ...NO_TEAM_FILTER, statuses: new Set(['available']) }, collator).map((t) => t.id)).toEqual(['TM4', 'TM2']);
    expect(filterTeams(teams, { ...NO_TEAM_FILTER, types: new Set(['mediator', 'law_enforcement']) }, collator).map((t) => t.id)).toEqual(['TM2', 'TM3']);
  });

  it('counts teams per status', () => {
    expect(statusCounts(teams)).toEqual({ available: 2, en_route: 1, on_scene: 0, busy: 1, off_duty: 0 });
  });
});

describe('trails', () => {
  const now = Date.parse('2026-03-02T09:00:00Z');
  const point = (at: string, lon = 1) => ({ lon, lat: 1, accuracy: null, at });
  const move = (at: string, lon: number) => ({ teamId: 'TM0001', lon, lat: 1, accuracy: 5, at, status: 'en_route' as const });

  it('grows by each newer pushed position and ignores older ones', () => {
    let trail = appendToTrail([point('2026-03-02T08:30:00Z')], move('2026-03-02T08:40:00Z', 2));
    trail = appendToTrail(trail, move('2026-03-02T08:50:00Z', 3));
    expect(appendToTrail(trail, move('2026-03-02T08:45:00Z', 9))).toBe(trail);
    expect(trail.map((p) => p.lon)).toEqual([1, 2, 3]);
  });

  it('keeps the last hour only', () => {
    const trail = [point('2026-03-02T07:30:00Z', 1), point('2026-03-02T08:30:00Z', 2)];
    expect(recentTrail(trail, now).map((p) => p.lon)).toEqual([2]);
    expect(recentTrail(trail, now + 2 * 3_600_000)).toEqual([]);
    expect(recentTrail(trail, Date.parse('2026-03-02T08:00:00Z'))).toBe(trail);
  });
});
