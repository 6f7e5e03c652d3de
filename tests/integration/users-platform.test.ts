import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertListResponse } from '../../shared/contracts/alerts.js';
import type { LoginResponse, SessionUser, UserSummary } from '../../shared/contracts/auth.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { OverviewResponse } from '../../shared/contracts/overview.js';
import type { RegionNode, RegionsResponse } from '../../shared/contracts/regions.js';
import type { TeamListResponse, TeamSummary } from '../../shared/contracts/teams.js';
import type { UserFormOptions } from '../../shared/contracts/user-admin.js';
import type { RecommendationsResponse } from '../../shared/contracts/workflow.js';
import { api, cleanupAfterAll, connectClient, login, loginAs, ROOT, startTestServer, waitFor, type TestServer, type TestSocket } from './harness.js';
import { SMALL_PLATFORM, seedPlatform } from './platform-fixture.js';
import { columnOf, valueOf } from './store-rows.js';
import { as, catalogOf, manual, pick, pointIn, reported, TestClock, type Who } from './workflow-driver.js';

const { later, tempDir } = cleanupAfterAll();

/** The server's clock, fixed: accounts made now have passwords of now, no deadline moves during a test. */
const NOW = new Date('2026-11-20T12:00:00+08:00');
const STRONG = 'Strong#Pass2026';

let server: TestServer;
let secadmin: string;
/** The province's first city (two counties) and a county of the second city. */
let city: RegionNode;
let cityCounties: RegionNode[];
let otherCounty: RegionNode;
let cityUser: Who;
let countyUser: Who;
let platformUser: Who;

const townsOf = (n: RegionNode): string[] => (n.level === 'town' ? [n.id] : (n.children ?? []).flatMap(townsOf));
const errorOf = (res: { body: unknown }) => (res.body as ApiError).error;

/** The county a team serves, counted here in SQL written for this test (the region tree's parents). */
function countyOfTeam(teamId: string): Promise<string> {
  return valueOf<string>(
    server.store,
    `SELECT CASE r.level WHEN 'county' THEN r.id WHEN 'town' THEN r.parent_id ELSE p.parent_id END AS county
       FROM teams t JOIN regions r ON r.id = t.home_region_id LEFT JOIN regions p ON p.id = r.parent_id WHERE t.id = ?`,
    teamId,
  );
}

/** Teams of these counties, counted in SQL: their towns' and villages' teams and their county units. */
async function teamsOfCounties(counties: readonly string[]): Promise<string[]> {
  const of: string[] = [];
  for (const id of (await columnOf<string>(server.store, 'SELECT id FROM teams ORDER BY id')).sort()) if (counties.includes(await countyOfTeam(id))) of.push(id);
  return of;
}

/** Events of these towns, counted in SQL. */
function eventCount(towns: readonly string[]): Promise<number> {
  return valueOf<number>(server.store, `SELECT COUNT(*) AS n FROM events WHERE town_id IN (${towns.map(() => '?').join(',')})`, ...towns);
}

async function createUser(username: string, towns: string[]): Promise<{ status: number; body: UserSummary & ApiError }> {
  return api<UserSummary & ApiError>(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username, displayName: username, password: STRONG, roles: ['dispatcher'], towns } });
}

async function signIn(username: string): Promise<Who> {
  const res = await login(server.url, username, STRONG);
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const { user, token } = res.body as LoginResponse;
  return { username, token, userId: user.id, teamId: user.teamId, towns: user.scope.kind === 'towns' ? user.scope.towns : null };
}

beforeAll(async () => {
  // a province of two cities, so a city's user sees part of the platform, not all of it
  const dataDir = seedPlatform(tempDir(), { ...SMALL_PLATFORM, cities: 2, counties: 4 });
  server = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()) });
  later(() => server.stop());
  const tree = (await api<RegionsResponse>(server.url, '/api/v1/regions')).body;
  expect(tree.root.level).toBe('province');
  city = tree.root.children![0]!;
  cityCounties = city.children!;
  otherCounty = tree.root.children![1]!.children![0]!;
  expect(cityCounties.length).toBeGreaterThanOrEqual(1);
  secadmin = await loginAs(server.url, 'demo-secadmin');
  expect((await createUser('city.dispatcher', [city.id])).status).toBe(201);
  expect((await createUser('county.dispatcher', [otherCounty.id])).status).toBe(201);
  cityUser = await signIn('city.dispatcher');
  countyUser = await signIn('county.dispatcher');
  platformUser = await as(server.url, 'demo-dispatcher');
}, 120_000);

describe('a city and a county user on one platform (市县贯通)', () => {
  it('grants a city or a county as one area: the scope holds its towns and counties, and is named after it', async () => {
    const me = (await api<SessionUser>(server.url, '/api/v1/auth/me', { token: cityUser.token })).body;
    const cityTowns = townsOf(city);
    expect(me.scope).toEqual({ kind: 'towns', areas: [city.id], towns: [...cityTowns].sort(), counties: cityCounties.map((c) => c.id).sort() });
    expect(me.scopeNames).toEqual([city.name]);
    const listed = (await api<{ items: UserSummary[] }>(server.url, '/api/v1/users', { token: secadmin })).body.items.find((u) => u.username === 'county.dispatcher')!;
    expect(listed.scope).toMatchObject({ kind: 'towns', areas: [otherCounty.id], towns: [...townsOf(otherCounty)].sort(), counties: [otherCounty.id] });
  });

  it('offers the administrator the province, its cities and counties with their parents, and the towns', async () => {
    const options = (await api<UserFormOptions>(server.url, '/api/v1/users/form-options', { token: secadmin })).body;
    expect(options.root).toMatchObject({ level: 'province', parentId: null });
    expect(options.areas.find((a) => a.id === city.id)).toEqual({ id: city.id, name: city.name, level: 'city', parentId: options.root!.id });
    expect(options.areas.find((a) => a.id === otherCounty.id)).toMatchObject({ level: 'county', parentId: options.root!.id === otherCounty.id ? null : expect.any(String) });
    expect(options.towns.filter((t) => t.parentId === otherCounty.id).map((t) => t.id)).toEqual(townsOf(otherCounty));
    expect(options.teams.every((t) => typeof t.countyId === 'string')).toBe(true);
  });

  it('refuses an unknown area, changing nothing', async () => {
    const before = await server.handles.users.count();
    const res = await createUser('nowhere.dispatcher', ['999999']);
    expect(res.status).toBe(400);
    expect(errorOf(res).fields).toEqual([expect.objectContaining({ field: 'towns', code: 'not_allowed' })]);
    expect(await server.handles.users.count()).toBe(before);
  });

  it('lists exactly the cases of the user’s counties', async () => {
    for (const [who, area] of [
      [cityUser, city],
      [countyUser, otherCounty],
    ] as const) {
      const towns = townsOf(area);
      const res = await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1000', { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body.total, who.username).toBe(await eventCount(towns));
      expect(res.body.total).toBeGreaterThan(0);
      expect(res.body.items.every((e) => towns.includes(e.townId))).toBe(true);
    }
  });

  it('pushes a case on the socket only to the users of its county', async () => {
    const catalog = await catalogOf(server.url, platformUser);
    const item = pick(catalog, 'dispatched by hand', manual);
    const sockets = new Map<Who, { socket: TestSocket; ids: string[] }>();
    for (const who of [cityUser, countyUser]) {
      const client = connectClient(server.url, { token: who.token });
      later(() => client.socket.close());
      await client.ready;
      sockets.set(who, { socket: client.socket, ids: [] });
      client.socket.on('event:changed', (c) => sockets.get(who)!.ids.push(c.event.id));
    }
    const inCity = townsOf(cityCounties.at(-1)!)[0]!;
    const inOther = townsOf(otherCounty)[0]!;
    // reported in turn, so each socket's last case arrives after the other county's would have
    const e1 = await reported(server.url, platformUser, item, await pointIn(server.url, inCity));
    const e2 = await reported(server.url, platformUser, item, await pointIn(server.url, inOther));
    const e3 = await reported(server.url, platformUser, item, await pointIn(server.url, inCity, 1));
    const e4 = await reported(server.url, platformUser, item, await pointIn(server.url, inOther, 1));
    await waitFor(() => sockets.get(cityUser)!.ids.includes(e3.id), 10_000, 'the city user hears of its second case');
    await waitFor(() => sockets.get(countyUser)!.ids.includes(e4.id), 10_000, 'the county user hears of its second case');
    expect(new Set(sockets.get(cityUser)!.ids)).toEqual(new Set([e1.id, e3.id]));
    expect(new Set(sockets.get(countyUser)!.ids)).toEqual(new Set([e2.id, e4.id]));
  });

  it('lists the teams of the user’s counties with their own county units only, each with the county it serves', async () => {
    for (const [who, counties] of [
      [cityUser, cityCounties.map((c) => c.id)],
      [countyUser, [otherCounty.id]],
    ] as const) {
      const { items } = (await api<TeamListResponse>(server.url, '/api/v1/teams', { token: who.token })).body;
      expect(items.map((t) => t.id).sort(), who.username).toEqual(await teamsOfCounties(counties));
      for (const t of items) expect(t.countyId, t.id).toBe(await countyOfTeam(t.id));
      const units = items.filter((t) => t.homeLevel === 'county');
      expect(units.length).toBeGreaterThan(0);
      expect(new Set(units.map((t) => t.countyId))).toEqual(new Set(counties));
      const overview = (await api<OverviewResponse>(server.url, '/api/v1/overview', { token: who.token })).body;
      expect(overview.teamsTotal, who.username).toBe(items.length);
    }
  });

  it('recommends the units of the case’s own county, never another county’s', async () => {
    const catalog = await catalogOf(server.url, platformUser);
    const item = pick(catalog, 'dispatched by hand', manual);
    for (const [who, county] of [
      [countyUser, otherCounty],
      [platformUser, cityCounties.at(-1)!],
    ] as const) {
      const event = await reported(server.url, platformUser, item, await pointIn(server.url, townsOf(county)[0]!, 2));
      const res = await api<RecommendationsResponse>(server.url, `/api/v1/events/${event.id}/recommendations`, { token: who.token });
      expect(res.status).toBe(200);
      const counties = new Set(await Promise.all(res.body.recommendations.map((r) => countyOfTeam(r.teamId))));
      expect(counties, who.username).toEqual(new Set([county.id]));
      const units: typeof res.body.recommendations = [];
      for (const r of res.body.recommendations) {
        if (await server.store.get("SELECT 1 AS found FROM teams t JOIN regions r ON r.id = t.home_region_id WHERE t.id = ? AND r.level = 'county'", r.teamId)) units.push(r);
      }
      expect(units.map((r) => r.teamId).sort()).toEqual((await columnOf<string>(server.store, 'SELECT id FROM teams WHERE home_region_id = ? ORDER BY id', county.id)).sort());
    }
  });

  it('refuses a county user another county’s town, case and team', async () => {
    const foreignTown = townsOf(city)[0]!;
    const teams = await api<ApiError>(server.url, `/api/v1/teams?town=${foreignTown}`, { token: countyUser.token });
    expect(teams.status).toBe(403);
    expect(errorOf(teams).code).toBe('out_of_scope');
    const overview = await api<ApiError>(server.url, `/api/v1/overview?town=${foreignTown}`, { token: countyUser.token });
    expect(overview.status).toBe(403);
    const foreign = (await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1', { token: cityUser.token })).body.items[0] as EventRecord;
    const recommendations = await api<ApiError>(server.url, `/api/v1/events/${foreign.id}/recommendations`, { token: countyUser.token });
    expect(recommendations.status).toBe(403);
    const unit = await valueOf<string>(server.store, 'SELECT id FROM teams WHERE home_region_id = ? ORDER BY id LIMIT 1', cityCounties[0]!.id);
    const status = await api<ApiError>(server.url, `/api/v1/teams/${unit}/status`, { method: 'POST', json: { status: 'busy' }, token: countyUser.token });
    expect(status.status).toBe(403);
    expect(errorOf(status).code).toBe('out_of_scope');
    const trail = await api<ApiError>(server.url, `/api/v1/teams/${unit}/trail`, { token: countyUser.token });
    expect(trail.status).toBe(403);
  });

  it('tells a county unit’s status change to the consoles of its county only', async () => {
    const heard = new Map<Who, string[]>();
    for (const who of [cityUser, countyUser]) {
      const client = connectClient(server.url, { token: who.token });
      later(() => client.socket.close());
      await client.ready;
      heard.set(who, []);
      client.socket.on('team:changed', ({ team }: { team: TeamSummary }) => heard.get(who)!.push(team.id));
    }
    const unitOf = (county: string) => valueOf<string>(server.store, 'SELECT id FROM teams WHERE home_region_id = ? ORDER BY id LIMIT 1', county);
    const cityUnit = await unitOf(cityCounties[0]!.id);
    const otherUnit = await unitOf(otherCounty.id);
    for (const id of [cityUnit, otherUnit]) {
      const res = await api(server.url, `/api/v1/teams/${id}/status`, { method: 'POST', json: { status: 'off_duty' }, token: platformUser.token });
      expect(res.status).toBe(200);
    }
    const unitCityAgain = await api(server.url, `/api/v1/teams/${cityUnit}/status`, { method: 'POST', json: { status: 'available' }, token: platformUser.token });
    expect(unitCityAgain.status).toBe(200);
    await waitFor(() => heard.get(cityUser)!.filter((id) => id === cityUnit).length === 2, 10_000, 'the city console hears its unit twice');
    await waitFor(() => heard.get(countyUser)!.includes(otherUnit), 10_000, 'the county console hears its unit');
    expect(heard.get(cityUser)).toEqual([cityUnit, cityUnit]);
    // the county's last push came after the city unit's first change: it would have been heard by then
    expect(heard.get(countyUser)).toEqual([otherUnit]);
  });

  it('shows an alert of no town to the users of the county its team serves', async () => {
    const unit = await valueOf<string>(server.store, 'SELECT id FROM teams WHERE home_region_id = ? ORDER BY id LIMIT 1', otherCounty.id);
    const rowId = await valueOf<number>(
      server.store,
      "INSERT INTO alerts (kind, severity, event_id, team_id, town_id, raised_at, message_params, cause_key) VALUES ('team_silent', 'warning', NULL, ?, NULL, ?, '{}', ?) RETURNING id",
      unit,
      NOW.toISOString(),
      `team_silent:${unit}:test`,
    );
    const id = `AL${String(rowId).padStart(8, '0')}`;
    const alertsOf = async (who: Who) => (await api<AlertListResponse>(server.url, '/api/v1/alerts?state=all&pageSize=200', { token: who.token })).body.items.map((a: Alert) => a.id);
    expect(await alertsOf(countyUser)).toContain(id);
    expect(await alertsOf(platformUser)).toContain(id);
    expect(await alertsOf(cityUser)).not.toContain(id);
    const refused = await api<ApiError>(server.url, `/api/v1/alerts/${id}/ack`, { method: 'POST', json: {}, token: cityUser.token });
    expect(refused.status).toBe(403);
    const acked = await api<{ alert: Alert }>(server.url, `/api/v1/alerts/${id}/ack`, { method: 'POST', json: {}, token: countyUser.token });
    expect(acked.status).toBe(200);
  });

  it('makes a county user with npm run admin -- create-user --towns <county>', async () => {
    const admin = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', ...args, ...server.databaseArgs], { cwd: ROOT, env: { ...process.env, GRIDCOMMAND_NEW_PASSWORD: STRONG }, encoding: 'utf8' });
    const made = admin('create-user', '--username', 'cli.county', '--role', 'dispatcher', '--towns', otherCounty.id);
    expect(made.status, made.stderr).toBe(0);
    const user = await signIn('cli.county');
    expect(user.towns).toEqual([...townsOf(otherCounty)].sort());
    const unknown = admin('create-user', '--username', 'cli.nowhere', '--role', 'dispatcher', '--towns', '999999');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown town, county or city ids 999999');
    expect(await server.handles.users.byUsername('cli.nowhere')).toBeNull();
  });
});

