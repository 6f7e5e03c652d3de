import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { TeamListResponse } from '../../shared/contracts/teams.js';
import type { Recommendation, RecommendationsResponse } from '../../shared/contracts/workflow.js';
import { api, intakeAt, loginAs, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let catalog: CatalogResponse;
let towns: string[];
const tokens = new Map<string, string>();

const recommendations = (id: string, token?: string) => api<RecommendationsResponse & ApiError>(server.url, `/api/v1/events/${id}/recommendations`, token ? { token } : {});

/** A micro-grid of a village: its label point, and the chain above it. */
async function microGridOf(villageId: string) {
  return (await server.store.get<{ microGridId: string; lon: number; lat: number; gridId: string }>(
    `SELECT m.id AS "microGridId", m.label_lon AS lon, m.label_lat AS lat, g.id AS "gridId"
       FROM regions m JOIN regions g ON g.id = m.parent_id
      WHERE g.parent_id = ? AND m.level = 'microgrid' ORDER BY m.code LIMIT 1`,
    villageId,
  ))!;
}

/** The first village (by code) that has a team of this type. */
async function villageWithTeam(type: string, townId?: string) {
  return (await server.store.get<{ villageId: string; townId: string; teamId: string }>(
    `SELECT v.id AS "villageId", v.parent_id AS "townId", t.id AS "teamId" FROM teams t JOIN regions v ON v.id = t.home_region_id
      WHERE v.level = 'village' AND t.type = ? ${townId ? 'AND v.parent_id = ?' : ''} ORDER BY v.code, t.id LIMIT 1`,
    ...(townId ? [type, townId] : [type]),
  ))!;
}

/** An item of the active catalog with this team type that the machine does not dispatch by itself. */
function manualItem(teamType: string): { item: CatalogItem; urgency: CatalogItem['defaultUrgency'] } {
  for (const item of catalog.items.filter((i) => i.teamType === teamType)) {
    const urgency = item.urgencies.find((u) => !item.autoDispatch?.urgencies.includes(u));
    if (urgency) return { item, urgency };
  }
  throw new Error(`no manual item of team type ${teamType} in the demo catalog`);
}

async function intake(itemCode: string, point: { lon: number; lat: number }, urgency: CatalogItem['defaultUrgency']): Promise<EventRecord> {
  const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: point.lon, lat: point.lat }, { urgency }) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.event;
}

async function expectWellFormed(res: RecommendationsResponse, event: EventRecord) {
  expect(res.eventId).toBe(event.id);
  const recs = res.recommendations;
  expect(recs.length).toBeGreaterThan(0);
  expect(recs.map((r) => r.rank)).toEqual(recs.map((_, i) => i + 1));
  // eligible first, and within eligibility by score
  const eligibility = recs.map((r) => r.eligible);
  expect(eligibility).toEqual([...eligibility].sort((a, b) => Number(b) - Number(a)));
  for (const group of [recs.filter((r) => r.eligible), recs.filter((r) => !r.eligible)]) {
    for (let i = 1; i < group.length; i++) expect(group[i - 1]!.score).toBeGreaterThanOrEqual(group[i]!.score);
  }
  for (const r of recs) {
    expect(r.reasons.length).toBeGreaterThan(0);
    for (const reason of r.reasons) expect(typeof reason.points).toBe('number');
    expect(r.eligible).toBe(r.teamType === res.itemTeamType && r.status !== 'off_duty');
    expect(r.reasons.some((x) => x.code === (r.teamType === res.itemTeamType ? 'type_match' : 'type_mismatch'))).toBe(true);
  }
  // only the county units, the event's town and its village
  const homes = new Set(
    (await server.store.all<{ id: string }>(`SELECT id FROM teams WHERE home_region_id IN ((SELECT id FROM regions WHERE level = 'county'), ?, ?)`, event.townId, event.villageId)).map((t) => t.id),
  );
  expect(new Set(recs.map((r) => r.teamId))).toEqual(homes);
}

beforeAll(async () => {
  server = await startTestServer({ config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 200 } } });
  catalog = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
  towns = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code")).map((t) => t.id);
  for (const u of ['demo-dispatcher', 'demo-town-dispatcher', 'demo-field', 'demo-wall', 'demo-lead']) tokens.set(u, await loginAs(server.url, u));
});
afterAll(async () => server?.stop());

describe('GET /api/v1/events/{id}/recommendations', () => {
  it('ranks the teams for a seeded case, with reasons and points, eligible first, and lists the micro-grid roster', async () => {
    const list = await api<EventListResponse>(server.url, '/api/v1/events?status=reported,filed&pageSize=5');
    const event = list.body.items[0]!;
    expect(event).toBeDefined();
    const res = await recommendations(event.id);
    expect(res.status).toBe(200);
    // a seeded reported/filed case always has an item of the active catalog
    const item = catalog.items.find((i) => i.code === event.itemCode);
    expect(item).toBeDefined();
    expect(res.body.itemTeamType).toBe(item!.teamType);
    await expectWellFormed(res.body, event);
    // the "5包1" five and the grid's workers, unmasked for a dispatcher
    const roles = res.body.roster.map((p) => p.role);
    expect(roles).toEqual(expect.arrayContaining(['community_police', 'town_cadre', 'medical_worker', 'unit_leader', 'unit_assistant']));
    const police = res.body.roster.find((p) => p.role === 'community_police')!;
    const stored = (await server.store.get<{ name: string; phone: string }>("SELECT name, phone FROM micro_grid_roster WHERE micro_grid_id = ? AND role = 'community_police'", event.microGridId))!;
    expect(police).toEqual({ role: 'community_police', ...stored });
  });

  it('puts the home village team first for a case in its village, with the roster reason; off duty, it is no longer eligible', async () => {
    const { villageId, townId, teamId } = await villageWithTeam('grid_worker');
    const { item, urgency } = manualItem('grid_worker');
    const mg = await microGridOf(villageId);
    // a fair start: every team of the area free, at its base, with no cases
    await server.store.run("UPDATE teams SET status = 'available'");
    const event = await intake(item.code, mg, urgency);
    expect(event).toMatchObject({ villageId, townId, microGridId: mg.microGridId });

    const res = await recommendations(event.id);
    expect(res.status).toBe(200);
    await expectWellFormed(res.body, event);
    const first = res.body.recommendations[0]!;
    expect(first).toMatchObject({ teamId, eligible: true, status: 'available', teamType: 'grid_worker', rank: 1 });
    const codes = first.reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['type_match', 'home_village', 'roster', 'available']));
    const roster = first.reasons.find((r) => r.code === 'roster')!;
    expect(roster.points).toBeGreaterThan(0);
    const worker = (await server.store.get<{ name: string }>(
      "SELECT name FROM workers WHERE grid_id = ? AND status <> 'left' ORDER BY status = 'active' DESC, CASE WHEN employment = 'full_time' THEN 1 ELSE 0 END DESC, id LIMIT 1",
      mg.gridId,
    ))!;
    expect(roster.params).toMatchObject({ name: worker.name });

    // the town's police team holds the micro-grid's community police officer
    const police = res.body.recommendations.find((r) => r.teamType === 'police' && r.reasons.some((x) => x.code === 'home_town'));
    expect(police?.reasons.some((x) => x.code === 'roster')).toBe(true);

    await server.store.run("UPDATE teams SET status = 'off_duty' WHERE id = ?", teamId);
    try {
      const after = await recommendations(event.id);
      expect(after.status).toBe(200);
      await expectWellFormed(after.body, event);
      const off = after.body.recommendations.find((r) => r.teamId === teamId)!;
      expect(off).toMatchObject({ status: 'off_duty', eligible: false });
      expect(off.reasons.some((r) => r.code === 'off_duty')).toBe(true);
      const eligible = after.body.recommendations.filter((r: Recommendation) => r.eligible);
      expect(off.rank).toBeGreaterThan(eligible.length);
    } finally {
      await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", teamId);
    }
  });

  it('puts the town team of the item\'s type ahead of the county unit of that type, and below it when off duty', async () => {
    const type = 'law_enforcement';
    const { item, urgency } = manualItem(type);
    const { villageId, townId } = await villageWithTeam('grid_worker', towns[1]);
    await server.store.run("UPDATE teams SET status = 'available'");
    const event = await intake(item.code, await microGridOf(villageId), urgency);
    const res = await recommendations(event.id);
    expect(res.status).toBe(200);
    await expectWellFormed(res.body, event);
    const first = res.body.recommendations[0]!;
    const home = (await server.store.get<{ home: string }>('SELECT home_region_id AS home FROM teams WHERE id = ?', first.teamId))!;
    expect(first.teamType).toBe(type);
    expect(home.home).toBe(townId);
    expect(first.reasons.map((r) => r.code)).toContain('home_town');
    const county = res.body.recommendations.find((r) => r.teamType === type && r.reasons.some((x) => x.code === 'county_unit'))!;
    expect(county.eligible).toBe(true);
    expect(county.rank).toBeGreaterThan(first.rank);

    // off duty, the home team drops below every eligible team, the county unit included
    await server.store.run("UPDATE teams SET status = 'off_duty' WHERE id = ?", first.teamId);
    try {
      const after = await recommendations(event.id);
      await expectWellFormed(after.body, event);
      const off = after.body.recommendations.find((r) => r.teamId === first.teamId)!;
      expect(off).toMatchObject({ status: 'off_duty', eligible: false });
      expect(off.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['type_match', 'home_town', 'off_duty']));
      expect(after.body.recommendations[0]!.teamId).not.toBe(first.teamId);
      const eligible = after.body.recommendations.filter((r) => r.eligible);
      expect(eligible.map((r) => r.teamId)).toContain(county.teamId);
      expect(off.rank).toBeGreaterThan(eligible.length);
    } finally {
      await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", first.teamId);
    }
  });

  it('answers 404 for an unknown case, 403 out of the caller\'s towns, 403 without case:dispatch', async () => {
    expect((await recommendations('EV000000000000')).status).toBe(404);

    const other = (await api<EventListResponse>(server.url, `/api/v1/events?town=${towns[1]}&pageSize=1`)).body.items[0]!;
    const own = (await api<EventListResponse>(server.url, `/api/v1/events?town=${towns[0]}&pageSize=1`)).body.items.find((e) => e.status !== 'not_admitted')!;
    const denied = await recommendations(other.id, tokens.get('demo-town-dispatcher'));
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('out_of_scope');
    expect((await recommendations(own.id, tokens.get('demo-town-dispatcher'))).status).toBe(200);

    for (const user of ['demo-field', 'demo-wall']) {
      const res = await recommendations(own.id, tokens.get(user));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await recommendations(own.id, tokens.get('demo-lead'))).status).toBe(200);
  });

  it('refuses a not-admitted case with 409: there is no item to rank teams for', async () => {
    const mg = await microGridOf((await villageWithTeam('grid_worker')).villageId);
    const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt('ZZ99', { lon: mg.lon, lat: mg.lat }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('not_admitted');
    const rec = await recommendations(res.body.id);
    expect(rec.status).toBe(409);
    expect(rec.body.error).toMatchObject({ code: 'illegal_transition', status: 'not_admitted', allowed: [] });
  });
});

describe('GET /api/v1/teams', () => {
  it('lists every team with its home area, status, position and open case load', async () => {
    const res = await api<TeamListResponse>(server.url, '/api/v1/teams');
    expect(res.status).toBe(200);
    const total = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM teams'))!.n;
    expect(res.body.items).toHaveLength(total);
    const open = await server.store.all<{ id: string; n: number }>(
      "SELECT team_id AS id, COUNT(*) AS n FROM events WHERE team_id IS NOT NULL AND status IN ('dispatched','accepted','in_progress') GROUP BY team_id",
    );
    for (const t of res.body.items) {
      expect(t.openCases).toBe(open.find((o) => o.id === t.id)?.n ?? 0);
      expect(['county', 'town', 'village']).toContain(t.homeLevel);
      expect(t.townId === null).toBe(t.homeLevel === 'county');
    }
    expect(res.body.items[0]!.homeLevel).toBe('county');
  });

  it('filters by status, type and town; a town\'s list holds its own teams, its villages\' and the county units', async () => {
    const byType = await api<TeamListResponse>(server.url, '/api/v1/teams?type=police,mediator&status=available,busy');
    expect(byType.status).toBe(200);
    expect(byType.body.items.length).toBeGreaterThan(0);
    expect(byType.body.items.every((t) => ['police', 'mediator'].includes(t.type) && t.status !== 'off_duty')).toBe(true);

    const town = await api<TeamListResponse>(server.url, `/api/v1/teams?town=${towns[1]}`);
    expect(town.body.items.length).toBeGreaterThan(0);
    expect(town.body.items.every((t) => t.homeLevel === 'county' || t.townId === towns[1])).toBe(true);
    expect(town.body.items.some((t) => t.homeLevel === 'village')).toBe(true);

    const bad = await api<ApiError>(server.url, '/api/v1/teams?type=pirates&town=1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.field.split('.')[0]).sort()).toEqual(['town', 'type']);
  });

  it('limits a town user to its towns and masks leaders for roles that do not see personal data', async () => {
    const scoped = await api<TeamListResponse>(server.url, '/api/v1/teams', { token: tokens.get('demo-town-dispatcher') });
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.every((t) => t.homeLevel === 'county' || t.townId === towns[0])).toBe(true);
    const denied = await api<ApiError>(server.url, `/api/v1/teams?town=${towns[1]}`, { token: tokens.get('demo-town-dispatcher') });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('out_of_scope');

    const wall = await api<TeamListResponse>(server.url, '/api/v1/teams', { token: tokens.get('demo-wall') });
    expect(wall.status).toBe(200);
    const full = (await api<TeamListResponse>(server.url, '/api/v1/teams')).body.items[0]!;
    const masked = wall.body.items.find((t) => t.id === full.id)!;
    expect(masked.leader.phone).not.toBe(full.leader.phone);
    expect(masked.leader.phone).toMatch(/^\d{3}\*+\d{4}$/);
  });
});
