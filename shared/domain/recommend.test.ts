import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../contracts/workflow.js';
import { autoDispatchChoice, ineligibility, rankTeams, type CaseForRanking, type TeamCandidate } from './recommend.js';

const NOW = new Date('2026-11-24T10:00:00+08:00');
const FRESH = '2026-11-24T09:30:00+08:00';
const CASE: CaseForRanking = { itemTeamType: 'grid_worker', lon: 120.5, lat: 30, villageId: 'V1', townId: 'T1' };
/** A position `km` north of the case. */
const north = (km: number) => ({ lon: CASE.lon, lat: CASE.lat + (km * 1000) / 111_195.08 });

function team(id: string, patch: Partial<TeamCandidate> = {}): TeamCandidate {
  return {
    id,
    name: `队伍${id}`,
    type: 'grid_worker',
    status: 'available',
    homeLevel: 'village',
    homeRegionId: 'V1',
    ...north(1),
    positionAt: FRESH,
    openCases: 0,
    roster: null,
    ...patch,
  };
}

const TEAMS: TeamCandidate[] = [
  team('TM0001', { name: '县网格巡查中队', homeLevel: 'county', homeRegionId: 'C1', ...north(0.1) }), // nearest, but a county unit
  team('TM0002', { name: '本村网格队', ...north(1.5), openCases: 1, roster: { name: '张三', role: 'grid_worker' } }),
  team('TM0003', { name: '镇网格队', homeLevel: 'town', homeRegionId: 'T1', ...north(3) }),
  team('TM0004', { name: '本村忙碌队', ...north(0.5), status: 'busy' }),
  team('TM0005', { name: '本村满载队', ...north(0.5), openCases: 8 }),
  team('TM0006', { name: '本村离岗队', ...north(0), status: 'off_duty' }),
  team('TM0007', { name: '本村执法队', ...north(0), type: 'law_enforcement' }),
  team('TM0008', { name: '邻镇网格队', homeLevel: 'town', homeRegionId: 'T2', ...north(3) }),
];

const byId = (recs: Recommendation[], id: string): Recommendation => {
  const r = recs.find((x) => x.teamId === id);
  if (!r) throw new Error(`no recommendation for ${id}`);
  return r;
};
const points = (r: Recommendation): Record<string, number> => Object.fromEntries(r.reasons.map((x) => [x.code, x.points]));

describe('rankTeams', () => {
  const recs = rankTeams(CASE, TEAMS, NOW);

  it('puts the home team before a nearer county unit, and drops busy and loaded teams', () => {
    expect(recs.map((r) => r.teamId)).toEqual(['TM0002', 'TM0003', 'TM0004', 'TM0005', 'TM0001', 'TM0008', 'TM0006', 'TM0007']);
    expect(recs.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('explains each score with reasons whose points add up to it', () => {
    const home = byId(recs, 'TM0002');
    expect(home.reasons).toEqual([
      { code: 'type_match', params: { type: 'grid_worker' }, points: 40 },
      { code: 'home_village', params: {}, points: 30 },
      { code: 'roster', params: { name: '张三', role: 'grid_worker' }, points: 10 },
      { code: 'distance', params: { km: 1.5 }, points: 17 },
      { code: 'available', params: {}, points: 10 },
      { code: 'load', params: { open: 1 }, points: -3 },
    ]);
    expect(home).toMatchObject({ score: 104, distanceKm: 1.5, openCases: 1, eligible: true, status: 'available', teamName: '本村网格队', teamType: 'grid_worker' });
    for (const r of recs) expect(r.score).toBeCloseTo(r.reasons.reduce((s, x) => s + x.points, 0), 9);
  });

  it('scores the home level, distance, status and load', () => {
    expect(points(byId(recs, 'TM0001'))).toEqual({ type_match: 40, county_unit: 5, distance: 19.8, available: 10, load: 0 });
    expect(byId(recs, 'TM0001').score).toBe(74.8);
    expect(points(byId(recs, 'TM0003'))).toMatchObject({ home_town: 20, distance: 14 });
    expect(points(byId(recs, 'TM0004'))).toMatchObject({ busy: -10 });
    expect(byId(recs, 'TM0004').score).toBe(79);
    expect(points(byId(recs, 'TM0005'))).toMatchObject({ load: -24 });
    // a team of another town gets no home points
    expect(byId(recs, 'TM0008').reasons.map((r) => r.code)).toEqual(['type_match', 'distance', 'available', 'load']);
  });

  it('scores a team en route to or on the scene of another case like a busy one, and keeps it eligible', () => {
    for (const status of ['en_route', 'on_scene'] as const) {
      const [rec] = rankTeams(CASE, [team('TM0031', { ...north(0.5), status })], NOW);
      expect(rec).toMatchObject({ eligible: true, status, score: byId(recs, 'TM0004').score });
      expect(rec!.reasons).toContainEqual({ code: 'busy', params: { status }, points: -10 });
    }
  });

  it('gives no distance points beyond 10 km, and never negative ones', () => {
    const far = rankTeams(CASE, [team('TM0001', north(25))], NOW)[0]!;
    expect(far.distanceKm).toBe(25);
    expect(points(far).distance).toBe(0);
  });

  it('makes off-duty and wrong-type teams ineligible, ranked last', () => {
    expect(byId(recs, 'TM0006')).toMatchObject({ eligible: false, status: 'off_duty' });
    expect(points(byId(recs, 'TM0006')).off_duty).toBe(0);
    expect(byId(recs, 'TM0007').eligible).toBe(false);
    expect(byId(recs, 'TM0007').reasons[0]).toEqual({ code: 'type_mismatch', params: { type: 'law_enforcement', wanted: 'grid_worker' }, points: 0 });
    // ineligible even with a higher score (on the spot, home village) than eligible teams
    expect(byId(recs, 'TM0006').score).toBe(90);
    expect(byId(recs, 'TM0006').score).toBeGreaterThan(byId(recs, 'TM0001').score);
    expect(recs.slice(-2).map((r) => r.eligible)).toEqual([false, false]);
  });

  it('marks a stale or unknown position', () => {
    const seenAt = (positionAt: string | null) => rankTeams(CASE, [team('TM0011', { positionAt })], NOW)[0]!.reasons.filter((r) => r.code === 'stale_position');
    expect(seenAt('2026-11-24T06:45:00+08:00')).toEqual([{ code: 'stale_position', params: { hours: 3.3 }, points: -5 }]);
    expect(seenAt(null)).toEqual([{ code: 'stale_position', params: {}, points: -5 }]);
    // exactly two hours old is still fresh
    expect(seenAt('2026-11-24T08:00:00+08:00')).toEqual([]);
  });

  it('breaks ties by distance, then by id, whatever the input order', () => {
    // TM0010 shows the same 1.0 km and score as the others but is 40 m farther
    const tied = [team('TM0022'), team('TM0010', north(1.04)), team('TM0021')];
    const ranked = rankTeams(CASE, tied, NOW);
    expect(new Set(ranked.map((r) => `${r.score}/${r.distanceKm}`)).size).toBe(1);
    const ids = (ts: TeamCandidate[]) => rankTeams(CASE, ts, NOW).map((r) => r.teamId);
    expect(ids(tied)).toEqual(['TM0021', 'TM0022', 'TM0010']);
    expect(ids([...tied].reverse())).toEqual(['TM0021', 'TM0022', 'TM0010']);
  });

  it('returns nothing for no teams', () => {
    expect(rankTeams(CASE, [], NOW)).toEqual([]);
  });
});

describe('autoDispatchChoice', () => {
  it('picks the best available home team', () => {
    expect(autoDispatchChoice(rankTeams(CASE, TEAMS, NOW))?.teamId).toBe('TM0002');
  });

  it('falls back to the town team when the village team is busy', () => {
    const teams = TEAMS.map((t) => (t.id === 'TM0002' || t.id === 'TM0005' ? { ...t, status: 'busy' as const } : t));
    expect(autoDispatchChoice(rankTeams(CASE, teams, NOW))?.teamId).toBe('TM0003');
  });

  it('never sends a county unit, a busy team or an ineligible one', () => {
    const teams = [TEAMS[0]!, TEAMS[3]!, TEAMS[5]!, TEAMS[6]!, TEAMS[7]!];
    const recs = rankTeams(CASE, teams, NOW);
    expect(recs[0]!.teamId).toBe('TM0004'); // busy home team ranks first, yet is not auto-dispatched
    expect(autoDispatchChoice(recs)).toBeNull();
    expect(autoDispatchChoice([])).toBeNull();
  });

  it('never sends a home team that is en route or on scene', () => {
    for (const status of ['en_route', 'on_scene'] as const) {
      const teams = TEAMS.map((t) => (t.id === 'TM0002' || t.id === 'TM0005' ? { ...t, status } : t));
      expect(autoDispatchChoice(rankTeams(CASE, teams, NOW))?.teamId).toBe('TM0003');
    }
  });

  it('goes by rank, not by array order', () => {
    const recs = rankTeams(CASE, TEAMS, NOW);
    expect(autoDispatchChoice([...recs].reverse())?.teamId).toBe('TM0002');
  });
});

describe('separation of duties in the ranking (采办分离)', () => {
  const reported = { ...CASE, reporterUserId: 'U-reporter' };

  it('makes a team whose only handling member is the reporter ineligible, with the reason, and the machine passes it over', () => {
    const teams = TEAMS.map((t) => (t.id === 'TM0002' ? { ...t, memberIds: ['U-reporter'] } : t));
    const recs = rankTeams(reported, teams, NOW);
    const own = byId(recs, 'TM0002');
    expect(own.eligible).toBe(false);
    expect(own.reasons.at(-1)).toEqual({ code: 'reporter_only_member', params: {}, points: 0 });
    expect(autoDispatchChoice(recs)?.teamId).toBe('TM0003');
  });

  it('keeps a team eligible when another member can handle it, when its members are unknown, or when nobody signed in reported it', () => {
    const withOther = TEAMS.map((t) => (t.id === 'TM0002' ? { ...t, memberIds: ['U-reporter', 'U-other'] } : t));
    expect(byId(rankTeams(reported, withOther, NOW), 'TM0002').eligible).toBe(true);
    const unknown = TEAMS.map((t) => (t.id === 'TM0002' ? { ...t, memberIds: [] } : t));
    expect(byId(rankTeams(reported, unknown, NOW), 'TM0002').eligible).toBe(true);
    const onlyReporter = TEAMS.map((t) => (t.id === 'TM0002' ? { ...t, memberIds: ['U-reporter'] } : t));
    expect(byId(rankTeams(CASE, onlyReporter, NOW), 'TM0002').eligible).toBe(true);
    expect(autoDispatchChoice(rankTeams(CASE, onlyReporter, NOW))?.teamId).toBe('TM0002');
  });
});

describe('a team that returned the case (回退)', () => {
  const returned = { ...CASE, returnedBy: new Map([['TM0002', 2]]) };

  it('ranks it after every other eligible team, whatever its points, and says why', () => {
    const recs = rankTeams(returned, TEAMS, NOW);
    expect(recs.map((r) => r.teamId)).toEqual(['TM0003', 'TM0004', 'TM0005', 'TM0001', 'TM0008', 'TM0002', 'TM0006', 'TM0007']);
    const own = byId(recs, 'TM0002');
    expect(own).toMatchObject({ eligible: true, score: byId(rankTeams(CASE, TEAMS, NOW), 'TM0002').score });
    expect(own.reasons).toContainEqual({ code: 'returned_before', params: { times: 2 }, points: 0 });
  });

  it('is never the machine’s choice, even when it is the only eligible home team left', () => {
    expect(autoDispatchChoice(rankTeams(returned, TEAMS, NOW))?.teamId).toBe('TM0003');
    const alone = TEAMS.filter((t) => t.id === 'TM0002' || t.id === 'TM0006');
    const recs = rankTeams(returned, alone, NOW);
    expect(recs[0]).toMatchObject({ teamId: 'TM0002', eligible: true });
    expect(autoDispatchChoice(recs)).toBeNull();
  });
});

describe('ineligibility', () => {
  const recs = rankTeams({ ...CASE, reporterUserId: 'U-reporter' }, TEAMS.map((t) => (t.id === 'TM0005' ? { ...t, memberIds: ['U-reporter'] } : t)), NOW);

  it('is null for an eligible team, and names what a written reason may override: off duty, another team type', () => {
    expect(ineligibility(byId(recs, 'TM0002'))).toBeNull();
    expect(ineligibility(byId(recs, 'TM0006'))).toEqual({ codes: ['off_duty'], overridable: true });
    expect(ineligibility(byId(recs, 'TM0007'))).toEqual({ codes: ['type_mismatch'], overridable: true });
  });

  it('never lets a reason lift separation of duties, alone or with another ineligibility', () => {
    expect(ineligibility(byId(recs, 'TM0005'))).toEqual({ codes: ['reporter_only_member'], overridable: false });
    const offToo = rankTeams({ ...CASE, reporterUserId: 'U-reporter' }, [team('TM0009', { status: 'off_duty', memberIds: ['U-reporter'] })], NOW);
    expect(ineligibility(offToo[0]!)).toEqual({ codes: ['off_duty', 'reporter_only_member'], overridable: false });
  });
});
