import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { TeamChangedPayload, TeamListResponse, TeamMovedPayload, TeamPositionAck, TeamPositionResult, TeamSummary, TrailResponse } from '../../shared/contracts/teams.js';
import { TEAM_STATUSES, type EventRecord } from '../../shared/contracts/events.js';
import { toWgs84 } from '../../shared/domain/coords.js';
import { api, connectClient, DEMO_PASSWORD, startTestServer, waitFor, type TestServer, type TestSocket } from './harness.js';
import { valueOf } from './store-rows.js';
import { as, catalogOf, done, manual, pick, pointIn, reported, TestClock, towns, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
let server: TestServer;
let dispatcher: Who;
let townDispatcher: Who;
let field: Who;
/** A field worker of a village team of another town (created for these tests). */
let otherField: Who;
let fieldTown: string;
let otherTown: string;
let base: { lon: number; lat: number };
let otherBase: { lon: number; lat: number };
const sockets: TestSocket[] = [];

const positionsOf = (teamId: string) => valueOf<number>(server.store, 'SELECT COUNT(*) AS n FROM team_positions WHERE team_id = ?', teamId);
const teamRow = async (teamId: string) =>
  (await server.store.get<{ status: string; lon: number; lat: number; positionAt: string }>('SELECT status, lon, lat, position_at AS "positionAt" FROM teams WHERE id = ?', teamId))!;

function report(who: Who, teamId: string, body: unknown) {
  return api<TeamPositionResult & ApiError>(server.url, `/api/v1/teams/${teamId}/position`, { method: 'POST', json: body, token: who.token });
}

/** A console socket that records `team:moved` (with the time each arrived) and `team:changed`. */
async function console_(who: Who) {
  const client = connectClient(server.url, { token: who.token });
  sockets.push(client.socket);
  const moved: Array<{ received: number; payload: TeamMovedPayload }> = [];
  const changed: TeamChangedPayload[] = [];
  client.socket.on('team:moved', (payload) => moved.push({ received: Date.now(), payload }));
  client.socket.on('team:changed', (payload) => changed.push(payload));
  await client.ready;
  return { socket: client.socket, moved, changed };
}

const sawPosition = (moved: Array<{ payload: TeamMovedPayload }>, teamId: string, lon: number) =>
  moved.some((m) => m.payload.teams.some((t) => t.teamId === teamId && t.lon === lon));

beforeAll(async () => {
  server = await startTestServer({ clock });
  [dispatcher, townDispatcher, field] = (await Promise.all(['demo-dispatcher', 'demo-town-dispatcher', 'demo-field'].map((u) => as(server.url, u)))) as [Who, Who, Who];
  fieldTown = field.towns![0]!;
  otherTown = (await towns(server.url)).find((t) => t !== fieldTown)!;
  const teams = (await api<TeamListResponse>(server.url, `/api/v1/teams?town=${otherTown}`)).body.items;
  const otherTeam = teams.find((t) => t.homeLevel === 'village' && t.townId === otherTown)!;
  await server.handles.auth.createUser(
    null,
    { username: 'it-field-other', displayName: '测试·邻镇网格员', password: DEMO_PASSWORD, roles: ['field_worker'], scope: server.handles.users.scopeOf([otherTown]), teamId: otherTeam.id },
    { sourceIp: null, client: 'test' },
  );
  otherField = await as(server.url, 'it-field-other');
  base = await pointIn(server.url, fieldTown);
  otherBase = await pointIn(server.url, otherTown);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

describe('position reports', () => {
  it('batches many device reports into at most one team:moved per console per second, with the latest position', async () => {
    const county = await console_(dispatcher);
    const town = await console_(townDispatcher);
    const teamId = field.teamId!;
    const before = await positionsOf(teamId);

    // 50 reports in a burst, then 60 more spread over at least 3 s: a busy machine stretches the
    // window instead of thinning the reports, and the bound on pushes follows the window's length
    const lonOf = (i: number) => Math.round((base.lon + i * 1e-5) * 1e7) / 1e7;
    for (let i = 0; i < 50; i++) expect((await report(field, teamId, { lon: lonOf(i), lat: base.lat, accuracy: 8 })).status).toBe(200);
    const windowStart = Date.now();
    let sent = 50;
    while (sent < 110 || Date.now() - windowStart < 3000) {
      expect((await report(field, teamId, { lon: lonOf(sent), lat: base.lat, accuracy: 8 })).status).toBe(200);
      sent++;
      await new Promise((r) => setTimeout(r, 15));
    }
    const windowEnd = Date.now();
    // at most one push a second: one per whole second of the window, plus one on its way as it opened
    const maxPushes = Math.floor((windowEnd - windowStart) / 1000) + 1;
    const last = lonOf(sent - 1);
    await waitFor(() => sawPosition(county.moved, teamId, last) && sawPosition(town.moved, teamId, last), 10_000, 'the latest position on both consoles');

    expect((await positionsOf(teamId)) - before).toBe(sent);
    for (const c of [county, town]) {
      const inWindow = c.moved.filter((m) => m.received >= windowStart && m.received <= windowEnd);
      expect(inWindow.length).toBeGreaterThanOrEqual(1);
      expect(inWindow.length).toBeLessThanOrEqual(maxPushes);
      // one entry per team per push, and the last push carries the last report
      for (const m of c.moved) expect(new Set(m.payload.teams.map((t) => t.teamId)).size).toBe(m.payload.teams.length);
      const lastPush = c.moved.filter((m) => m.payload.teams.some((t) => t.teamId === teamId)).at(-1)!;
      expect(lastPush.payload.teams.find((t) => t.teamId === teamId)).toMatchObject({ lon: last, lat: base.lat, accuracy: 8, at: clock.now().toISOString() });
    }
    expect(await teamRow(teamId)).toMatchObject({ lon: last, lat: base.lat, positionAt: clock.now().toISOString() });

    // the trail holds every report, oldest first
    const trail = await api<TrailResponse>(server.url, `/api/v1/teams/${teamId}/trail`, { token: dispatcher.token });
    expect(trail.status).toBe(200);
    expect(trail.body.points.length).toBeGreaterThanOrEqual(sent);
    expect(trail.body.points.at(-1)).toEqual({ lon: last, lat: base.lat, accuracy: 8, at: clock.now().toISOString() });
    county.socket.close();
    town.socket.close();
  });

  it("keeps a town console to its own town's teams", async () => {
    const county = await console_(dispatcher);
    const town = await console_(townDispatcher);
    const far = { lon: otherBase.lon + 2e-4, lat: otherBase.lat };
    const near = { lon: base.lon + 3e-4, lat: base.lat };
    expect((await report(otherField, otherField.teamId!, far)).status).toBe(200);
    expect((await report(field, field.teamId!, near)).status).toBe(200);
    // the town console's push with its own team's report comes no earlier than the one with the other town's
    await waitFor(() => sawPosition(town.moved, field.teamId!, near.lon) && sawPosition(county.moved, otherField.teamId!, far.lon), 10_000, 'both pushes');
    expect(sawPosition(county.moved, field.teamId!, near.lon)).toBe(true);
    expect(town.moved.flatMap((m) => m.payload.teams).some((t) => t.teamId === otherField.teamId)).toBe(false);

    // nor its trail
    const trail = await api<ApiError>(server.url, `/api/v1/teams/${otherField.teamId}/trail`, { token: townDispatcher.token });
    expect(trail.status).toBe(403);
    expect(trail.body.error.code).toBe('out_of_scope');
    county.socket.close();
    town.socket.close();
  });

  it("refuses another team's position, and roles that do not report", async () => {
    const before = await positionsOf(otherField.teamId!);
    const res = await report(field, otherField.teamId!, { lon: otherBase.lon, lat: otherBase.lat });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_your_team');
    const byDispatcher = await report(dispatcher, otherField.teamId!, { lon: otherBase.lon, lat: otherBase.lat });
    expect(byDispatcher.status).toBe(403);
    expect(byDispatcher.body.error.code).toBe('forbidden');
    const wall = await as(server.url, 'demo-wall');
    const byWall = await report(wall, otherField.teamId!, { lon: otherBase.lon, lat: otherBase.lat });
    expect(byWall.status).toBe(403);
    expect(byWall.body.error.code).toBe('forbidden');
    expect(await positionsOf(otherField.teamId!)).toBe(before);

    // a vehicle-tracking gateway (teams:track) reports for any team of its scope
    const gateway = await as(server.url, 'demo-gateway');
    const tracked = await report(gateway, otherField.teamId!, { lon: otherBase.lon, lat: otherBase.lat, accuracy: 20 });
    expect(tracked.status).toBe(200);
    expect(await positionsOf(otherField.teamId!)).toBe(before + 1);
    const status = await api<ApiError>(server.url, `/api/v1/teams/${otherField.teamId}/status`, { method: 'POST', json: { status: 'busy' }, token: gateway.token });
    expect(status.status).toBe(403);
  });

  it('refuses bad positions naming the fields, and stores nothing', async () => {
    const teamId = field.teamId!;
    const before = await positionsOf(teamId);
    const row = await teamRow(teamId);
    const now = clock.now().getTime();
    const cases: Array<[unknown, string[], string]> = [
      [{ lon: 200, lat: -91 }, ['lon', 'lat'], 'too_big'],
      [{ lon: base.lon }, ['lat'], 'required'],
      [{ lon: base.lon, lat: base.lat, accuracy: -1 }, ['accuracy'], 'too_small'],
      [{ lon: base.lon, lat: base.lat, at: new Date(now + 5 * 60_000).toISOString() }, ['at'], 'in_future'],
      [{ lon: base.lon, lat: base.lat, at: new Date(now - 25 * 3_600_000).toISOString() }, ['at'], 'too_old'],
      [{ lon: base.lon, lat: base.lat, at: 'yesterday' }, ['at'], 'bad_format'],
      [{ lon: base.lon, lat: base.lat, crs: 'bd09' }, ['crs'], 'not_allowed'],
      [{ lon: base.lon, lat: base.lat, teamId }, ['teamId'], 'unknown_field'],
    ];
    for (const [body, fields, code] of cases) {
      const res = await report(field, teamId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields!.map((f) => f.field).sort(), JSON.stringify(body)).toEqual([...fields].sort());
      expect(res.body.error.fields![0]!.code, JSON.stringify(body)).toBe(code);
    }
    expect(await positionsOf(teamId)).toBe(before);
    expect(await teamRow(teamId)).toEqual(row);
  });

  it('converts a GCJ-02 position to WGS84, and keeps an older report in the trail only', async () => {
    const teamId = field.teamId!;
    const gcj = { lon: base.lon + 0.0048, lat: base.lat - 0.0021 };
    const res = await report(field, teamId, { ...gcj, crs: 'gcj02', accuracy: 12 });
    expect(res.status).toBe(200);
    const wgs = toWgs84(gcj.lon, gcj.lat, 'gcj02');
    expect(res.body).toMatchObject({ teamId, latest: true, position: { ...wgs, accuracy: 12 } });
    expect(Math.abs(wgs.lon - gcj.lon)).toBeGreaterThan(1e-3);
    expect(await teamRow(teamId)).toMatchObject(wgs);

    const older = new Date(clock.now().getTime() - 10 * 60_000).toISOString();
    const late = await report(field, teamId, { lon: base.lon, lat: base.lat, at: older.replace('Z', '+00:00') });
    expect(late.body).toMatchObject({ latest: false, position: { at: older } });
    expect(await teamRow(teamId)).toMatchObject(wgs);
    const trail = await api<TrailResponse>(server.url, `/api/v1/teams/${teamId}/trail?since=${encodeURIComponent(new Date(clock.now().getTime() - 11 * 60_000).toISOString())}`, { token: field.token });
    expect(trail.body.points[0]).toMatchObject({ lon: base.lon, lat: base.lat, at: older });
  });

  it('takes the same report over the socket, acknowledged, with the same rules', async () => {
    const client = connectClient(server.url, { token: field.token });
    sockets.push(client.socket);
    await client.ready;
    const send = (payload: unknown) => client.socket.timeout(2000).emitWithAck('team:position', payload as never) as Promise<TeamPositionAck>;
    const before = await positionsOf(field.teamId!);
    const ok = await send({ lon: base.lon + 1e-4, lat: base.lat, accuracy: 4 });
    expect(ok).toMatchObject({ ok: true, result: { teamId: field.teamId, latest: true } });
    const wrong = await send({ teamId: otherField.teamId, lon: base.lon, lat: base.lat });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not_your_team' } });
    const bad = await send({ lon: 'east', lat: 95 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect((bad as Extract<TeamPositionAck, { ok: false }>).error.fields!.map((f) => f.field).sort()).toEqual(['lat', 'lon']);
    expect(await positionsOf(field.teamId!)).toBe(before + 1);

    // rate-limited like every socket command, and told so
    const acks: TeamPositionAck[] = [];
    for (let i = 0; i < 40; i++) acks.push(await send({ lon: base.lon, lat: base.lat }));
    expect(acks.some((a) => !a.ok && a.error.code === 'rate_limited')).toBe(true);
    client.socket.close();
  });
});

describe('team status', () => {
  it('follows the case: accept → en route, start → on scene, report → available; pushed as team:changed', async () => {
    const teamId = field.teamId!;
    // the team starts free: it returns what the seed gave it
    const held = await server.store.all<{ id: string }>(`SELECT id FROM events WHERE team_id = ? AND status IN (${TEAM_STATUSES.map(() => '?').join(',')}) ORDER BY id`, teamId, ...TEAM_STATUSES);
    for (const { id } of held) await done(server.url, field, id, { action: 'return', reason: '测试前清空' });
    await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", teamId);

    const county = await console_(dispatcher);
    const catalog = await catalogOf(server.url);
    const item = pick(catalog, 'dispatched by hand', manual);
    const duty = await as(server.url, 'demo-duty');
    const event: EventRecord = await reported(server.url, duty, item, await pointIn(server.url, fieldTown, 2), { description: `队伍状态测试 ${Math.random()}` });
    await done(server.url, dispatcher, event.id, { action: 'file' });
    // with a reason: the item may ask for another team type than the field team's
    const toTeam = { action: 'dispatch', teamId, override: { reason: '队伍状态测试：指定网格员队伍' } } as const;
    await done(server.url, dispatcher, event.id, toTeam);
    const statusNow = async () => (await api<{ items: TeamSummary[] }>(server.url, `/api/v1/teams?town=${fieldTown}`, { token: dispatcher.token })).body.items.find((t) => t.id === teamId)!;
    expect((await statusNow()).status).toBe('available');

    const steps = [
      ['accept', 'en_route'],
      ['start', 'on_scene'],
      ['report', 'available'],
    ] as const;
    for (const [action, status] of steps) {
      await done(server.url, field, event.id, action === 'report' ? { action, result: '已清理完毕' } : { action });
      expect((await statusNow()).status, action).toBe(status);
      await waitFor(() => county.changed.some((c) => c.team.id === teamId && c.team.status === status), 10_000, `team:changed ${status}`);
    }

    // a return frees the team as well
    const second: EventRecord = await reported(server.url, duty, item, await pointIn(server.url, fieldTown, 3), { description: `队伍状态测试 ${Math.random()}` });
    await done(server.url, dispatcher, second.id, { action: 'file' });
    await done(server.url, dispatcher, second.id, toTeam);
    await done(server.url, field, second.id, { action: 'accept' });
    expect((await statusNow()).status).toBe('en_route');
    await done(server.url, field, second.id, { action: 'return', reason: '力量不足' });
    expect((await statusNow()).status).toBe('available');
    county.socket.close();
  });

  it('is set by the team itself or a dispatcher, audited, and pushed', async () => {
    const county = await console_(dispatcher);
    const set = (who: Who, teamId: string, status: string) =>
      api<{ team: TeamSummary } & ApiError>(server.url, `/api/v1/teams/${teamId}/status`, { method: 'POST', json: { status }, token: who.token });
    const own = await set(field, field.teamId!, 'busy');
    expect(own.status).toBe(200);
    expect(own.body.team).toMatchObject({ id: field.teamId, status: 'busy' });
    await waitFor(() => county.changed.some((c) => c.team.id === field.teamId && c.team.status === 'busy'), 10_000, 'team:changed busy');

    const notOwn = await set(field, otherField.teamId!, 'off_duty');
    expect(notOwn.status).toBe(403);
    expect(notOwn.body.error.code).toBe('not_your_team');
    const outOfScope = await set(townDispatcher, otherField.teamId!, 'off_duty');
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.error.code).toBe('out_of_scope');
    const bad = await set(dispatcher, field.teamId!, 'asleep');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields![0]!.field).toBe('status');

    const byDispatcher = await set(dispatcher, field.teamId!, 'available');
    expect(byDispatcher.status).toBe(200);
    expect((await teamRow(field.teamId!)).status).toBe('available');

    const auditor = await as(server.url, 'demo-auditor');
    const audit = await api<AuditListResponse>(server.url, `/api/v1/audit?action=team:status&objectId=${field.teamId}`, { token: auditor.token });
    const records = audit.body.items.filter((r) => r.result === 'success');
    expect(records.slice(0, 2).map((r) => [r.username, r.details?.from, r.details?.to])).toEqual([
      ['demo-dispatcher', 'busy', 'available'],
      ['demo-field', 'available', 'busy'],
    ]);
    county.socket.close();
  });
});
