import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertListResponse } from '../../shared/contracts/alerts.js';
import type { AssignmentListResponse, AssignmentRequest } from '../../shared/contracts/assignments.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import { EventsRepo } from '../../server/src/modules/events/events.repo.js';
import { api, cleanupAfterAll, connectClient, DEMO_PASSWORD, startTestServer, waitFor, type TestServer } from './harness.js';
import { columnOf, storedCountsIn, valueOf } from './store-rows.js';
import { SMALL_PLATFORM, seedPlatform } from './platform-fixture.js';
import { as, catalogOf, done, manual, pick, pointIn, TestClock, type Who } from './workflow-driver.js';

const { later, tempDir } = cleanupAfterAll();

/** The server's clock: noon of the platform's as-of day, fixed. */
const NOW = new Date('2026-11-20T12:00:00+08:00');
/** The city's deadline: three days on. */
const DUE = '2026-11-23T18:00:00+08:00';

let server: TestServer;
let city: Who;
/** The demo dispatcher: the whole platform, which is the city. */
let wholePlatform: Who;
/** Dispatchers of the first and second county (scope: the county), and a shift lead of the first. */
let countyA: Who;
let leadA: Who;
let countyB: Who;
let cityId: string;
let cityName: string;
let countyAId: string;
let countyBId: string;
let item: { code: string; urgency: 'P0' | 'P1' | 'P2' | 'P3'; verificationRequired: boolean };
let inA: { lon: number; lat: number };
let inB: { lon: number; lat: number };

/** A socket that records the cases and the alerts pushed to it. */
function listen(who: Who) {
  const client = connectClient(server.url, { token: who.token });
  const alerts: Alert[] = [];
  client.socket.on('alert:raised', ({ alert }) => alerts.push(alert));
  later(() => client.socket.close());
  return { ...client, alerts };
}

const assign = (body: object, who: Who = city, headers: Record<string, string> = {}) =>
  api<EventCreated & ApiError>(server.url, '/api/v1/assignments', { method: 'POST', json: body, token: who.token, headers });

const valid = (extra: Partial<AssignmentRequest> = {}): AssignmentRequest => ({
  countyId: countyAId,
  itemCode: item.code,
  description: '市级交办：群众反映河道漂浮物较多，请核实清理',
  location: inA,
  urgency: item.urgency,
  dueAt: DUE,
  note: '请于三日内办结并反馈结果',
  ...extra,
});

async function userOf(username: string, displayName: string, role: 'dispatcher' | 'shift_lead', area: string): Promise<Who> {
  await server.handles.auth.createUser(
    null,
    { username, displayName, password: DEMO_PASSWORD, roles: [role], scope: server.handles.users.scopeOf([area]) },
    { sourceIp: null, client: 'test' },
  );
  return as(server.url, username);
}

beforeAll(async () => {
  const dataDir = seedPlatform(tempDir());
  server = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()) });
  later(() => server.stop());
  const c = (await server.store.get<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'city'"))!;
  cityId = c.id;
  cityName = c.name;
  [countyAId, countyBId] = (await columnOf<string>(server.store, "SELECT id FROM regions WHERE level = 'county' ORDER BY code")) as [string, string];
  // a user granted the city (not the whole platform's demo dispatcher): its alerts come through the city's own room
  city = await userOf('city-dispatcher', '市指挥中心调度员', 'dispatcher', cityId);
  wholePlatform = await as(server.url, 'demo-dispatcher');
  countyA = await userOf('county-a-dispatcher', '甲县调度员', 'dispatcher', countyAId);
  leadA = await userOf('county-a-lead', '甲县带班领导', 'shift_lead', countyAId);
  countyB = await userOf('county-b-dispatcher', '乙县调度员', 'dispatcher', countyBId);
  const picked = pick(await catalogOf(server.url), 'dispatched by hand', (i, u) => manual(i, u) && u !== 'P0' && u !== 'P1');
  item = { code: picked.item.code, urgency: picked.urgency, verificationRequired: picked.item.verificationRequired };
  const townOf = (county: string) => valueOf<string>(server.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code LIMIT 1", county);
  const point = async (county: string) => {
    const { lon, lat } = await pointIn(server.url, await townOf(county));
    return { lon, lat };
  };
  inA = await point(countyAId);
  inB = await point(countyBId);
});

describe('市级交办: a city assigns a case down to a county', () => {
  let assigned: EventRecord;
  let sockets: { a: ReturnType<typeof listen>; b: ReturnType<typeof listen>; city: ReturnType<typeof listen> };

  beforeAll(async () => {
    sockets = { a: listen(countyA), b: listen(countyB), city: listen(city) };
    await Promise.all(Object.values(sockets).map((s) => s.ready));
    const res = await assign(valid(), city, { 'idempotency-key': 'assign-1' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    assigned = res.body.event;
  });

  it('stores a department case in the county with the city’s deadline and instructions', async () => {
    expect(assigned).toMatchObject({
      source: 'department',
      status: 'reported',
      dueAt: new Date(DUE).toISOString(),
      assignment: { byRegionId: cityId, byRegionName: cityName, dueAt: new Date(DUE).toISOString(), note: '请于三日内办结并反馈结果', reportedAt: null, outcome: null },
    });
    const county = await valueOf(server.store, 'SELECT parent_id FROM regions WHERE id = ?', assigned.townId);
    expect(county).toBe(countyAId);
    const audit = await server.store.all<{ username: string; result: string; details: string }>("SELECT username, result, details FROM audit_log WHERE action = 'event:assign_down' AND object_id = ?", assigned.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'city-dispatcher', result: 'success' });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ byRegionId: cityId, countyId: countyAId, dueAt: new Date(DUE).toISOString() });
  });

  it('lands in the county’s queue (list and socket) with the assignment, and not in another county’s', async () => {
    const list = await api<EventListResponse>(server.url, '/api/v1/events?status=reported', { token: countyA.token });
    expect(list.body.items.find((e) => e.id === assigned.id)?.assignment).toMatchObject({ byRegionName: cityName, dueAt: new Date(DUE).toISOString() });
    const pushed = await waitFor(() => sockets.a.changes.find((c) => c.event.id === assigned.id), 10_000, 'the county’s push');
    expect(pushed.event.assignment).toMatchObject({ byRegionId: cityId, dueAt: new Date(DUE).toISOString() });

    expect((await api<EventListResponse>(server.url, '/api/v1/events?status=reported', { token: countyB.token })).body.items.map((e) => e.id)).not.toContain(assigned.id);
    expect((await api(server.url, `/api/v1/events/${assigned.id}`, { token: countyB.token })).status).toBe(403);
    // a later case in county B reaches B's socket after anything before it would have
    const marker = await api<EventCreated>(server.url, '/api/v1/assignments', { method: 'POST', json: valid({ countyId: countyBId, location: inB, description: '市级交办：乙县标记事件' }), token: city.token });
    expect(marker.status).toBe(201);
    await waitFor(() => sockets.b.changes.some((c) => c.event.id === marker.body.id), 10_000, 'county B’s own push');
    expect(sockets.b.changes.map((c) => c.event.id)).not.toContain(assigned.id);
  });

  it('answers a repeat with the same key with the same case and stores nothing; another body under the key is refused', async () => {
    const before = await storedCountsIn(server.store);
    const again = await assign(valid(), city, { 'idempotency-key': 'assign-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(assigned.id);
    expect(await storedCountsIn(server.store)).toEqual(before);
    const other = await assign(valid({ dueAt: '2026-11-24T18:00:00+08:00' }), city, { 'idempotency-key': 'assign-1' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_conflict');
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('keeps the city’s deadline through the county’s dispatch, records the outcome when the county closes it, and tells the city alone', async () => {
    await done(server.url, countyA, assigned.id, { action: 'file' });
    const team = await valueOf<string>(
      server.store,
      'SELECT t.id FROM teams t JOIN regions r ON r.id = t.home_region_id LEFT JOIN regions p ON p.id = r.parent_id WHERE r.id = ? OR r.parent_id = ? OR p.parent_id = ? ORDER BY t.id LIMIT 1',
      countyAId,
      countyAId,
      countyAId,
    );
    const dispatched = await done(server.url, countyA, assigned.id, { action: 'dispatch', teamId: team, override: { reason: '市级交办：指定本县队伍' } });
    expect(dispatched.event.dueAt).toBe(new Date(DUE).toISOString());
    await done(server.url, countyA, assigned.id, { action: 'accept' });
    await done(server.url, countyA, assigned.id, { action: 'start' });
    await done(server.url, countyA, assigned.id, { action: 'report', result: '已组织打捞，河面已清理干净' });
    if (item.verificationRequired) await done(server.url, leadA, assigned.id, { action: 'verify' });
    const closed = await done(server.url, leadA, assigned.id, { action: 'close' });
    expect(closed.event.assignment).toMatchObject({ reportedAt: closed.entry.at, outcome: { status: 'closed', text: '已组织打捞，河面已清理干净' } });

    const alert = await waitFor(() => sockets.city.alerts.find((a) => a.kind === 'assignment_reported' && a.eventId === assigned.id), 10_000, 'the city’s alert');
    expect(alert).toMatchObject({ townId: null, regionId: cityId, params: { outcome: { status: 'closed' }, onTime: true } });
    // the county's socket hears its next case after anything pushed before it: no 交办结果 among them
    const marker = await assign(valid({ description: '市级交办：甲县标记事件' }));
    await waitFor(() => sockets.a.changes.some((c) => c.event.id === marker.body.id), 10_000, 'county A’s next push');
    expect(sockets.a.alerts.filter((a) => a.kind === 'assignment_reported')).toEqual([]);

    const cityAlerts = await api<AlertListResponse>(server.url, '/api/v1/alerts?kind=assignment_reported', { token: city.token });
    expect(cityAlerts.body.items.map((a) => a.eventId)).toContain(assigned.id);
    const countyAlerts = await api<AlertListResponse>(server.url, '/api/v1/alerts?kind=assignment_reported', { token: countyA.token });
    expect(countyAlerts.body.items).toEqual([]);
    // the city acknowledges it; the county cannot
    expect((await api(server.url, `/api/v1/alerts/${alert.id}/ack`, { method: 'POST', json: {}, token: countyA.token })).status).toBe(403);
    expect((await api(server.url, `/api/v1/alerts/${alert.id}/ack`, { method: 'POST', json: {}, token: city.token })).status).toBe(200);

    const reported = await api<AssignmentListResponse>(server.url, '/api/v1/assignments?state=reported', { token: city.token });
    expect(reported.status).toBe(200);
    expect(reported.body.items.find((a) => a.eventId === assigned.id)).toMatchObject({ status: 'closed', standing: 'on_time', countyId: countyAId, outcome: { status: 'closed' }, byUser: { userId: city.userId } });
    const open = await api<AssignmentListResponse>(server.url, '/api/v1/assignments?state=open', { token: city.token });
    expect(open.body.items.map((a) => a.eventId)).not.toContain(assigned.id);
    expect(open.body.items.every((a) => a.reportedAt === null)).toBe(true);
    expect(open.body.counties.map((c) => c.id)).toEqual(expect.arrayContaining([countyAId, countyBId]));
  });

  it('reports a case the county does not file, with its reason and receiving body; the whole platform assigns too', async () => {
    const res = await assign(valid({ description: '市级交办：需核实是否属本县事权' }), wholePlatform);
    expect(res.status).toBe(201);
    const rejected = await done(server.url, countyA, res.body.id, { action: 'reject', reason: '经核实属省级河道，不属本县事权', receivingBody: '省水利厅' });
    expect(rejected.event.assignment?.outcome).toEqual({ status: 'rejected', text: '经核实属省级河道，不属本县事权', receivingBody: '省水利厅' });
    await waitFor(() => sockets.city.alerts.find((a) => a.kind === 'assignment_reported' && a.eventId === res.body.id), 10_000, 'the city’s alert of the refusal');
  });
});

describe('the demo platform’s history', () => {
  it('holds a few of the city’s assignments, each case carrying its own, its deadline the city’s', async () => {
    const seeded = await columnOf<string>(server.store, 'SELECT event_id FROM event_assignments WHERE by_user_id IS NULL ORDER BY event_id');
    expect(seeded.length).toBeGreaterThan(0);
    const repo = new EventsRepo(server.store);
    for (const id of seeded) {
      const event = (await api<EventRecord>(server.url, `/api/v1/events/${id}`, { token: city.token })).body;
      expect(event.assignment).toMatchObject({ byRegionId: cityId, byRegionName: cityName });
      expect(event.dueAt).toBe(event.assignment!.dueAt);
      // the log's last snapshot of the case is the case as read now
      expect((await repo.changesAfter(event.seq - 1, 1))[0]!.event).toEqual(event);
    }
    const listed = await api<AssignmentListResponse>(server.url, '/api/v1/assignments?state=all&pageSize=500', { token: city.token });
    expect(listed.body.items.map((a) => a.eventId)).toEqual(expect.arrayContaining(seeded));
  });
});

describe('市级交办 refusals', () => {
  it('refuses a county’s user: its scope does not hold the city (403, audited)', async () => {
    const before = await storedCountsIn(server.store);
    const res = await assign(valid(), countyA);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_city_scope');
    expect(await storedCountsIn(server.store)).toEqual(before);
    const denied = await valueOf(server.store, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'event:assign_down' AND result = 'denied' AND username = ?", countyA.username);
    expect(denied).toBe(1);
  });

  it('names each bad field, in either language, and stores nothing', async () => {
    const before = await storedCountsIn(server.store);
    const missing = await assign({ ...valid(), countyId: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields?.map((f) => f.field)).toContain('countyId');
    const past = await api<ApiError>(server.url, '/api/v1/assignments', { method: 'POST', json: valid({ dueAt: '2026-11-20T11:00:00+08:00' }), token: city.token, headers: { 'accept-language': 'en' } });
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toEqual([expect.objectContaining({ field: 'dueAt', code: 'not_in_future', message: expect.stringMatching(/future/) })]);
    const zh = await assign(valid({ dueAt: '2026-11-20T11:00:00+08:00' }));
    expect(zh.body.error.fields?.[0]?.message).toMatch(/当前时间/);
    const far = await assign(valid({ dueAt: '2027-06-01T00:00:00+08:00' }));
    expect(far.body.error.fields).toEqual([expect.objectContaining({ field: 'dueAt', code: 'too_far' })]);
    const notCounty = await assign(valid({ countyId: cityId }));
    expect(notCounty.status).toBe(422);
    expect(notCounty.body.error.code).toBe('unknown_county');
    const badUrgency = await assign({ ...valid(), urgency: 'P9' });
    expect(badUrgency.status).toBe(400);
    expect(badUrgency.body.error.fields?.map((f) => f.field)).toContain('urgency');
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('refuses a place outside the county it is assigned to (422, in both languages)', async () => {
    const before = await storedCountsIn(server.store);
    const res = await assign(valid({ location: inB }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'outside_county', fields: [expect.objectContaining({ field: 'location', code: 'outside_county' })] });
    expect(res.body.error.message).toMatch(/不在.*范围内/);
    const en = await api<ApiError>(server.url, '/api/v1/assignments', { method: 'POST', json: valid({ location: inB }), token: city.token, headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toMatch(/outside/);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });
});

describe('市级交办 on a county server', () => {
  it('answers 409 no_city_level: one county has no city to assign from', async () => {
    const county = await startTestServer();
    later(() => county.stop());
    const res = await api<ApiError>(county.url, '/api/v1/assignments', { method: 'POST', json: { ...valid(), countyId: '330899' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('no_city_level');
    expect(res.body.error.message).toMatch(/没有市级平台/);
    expect((await api<ApiError>(county.url, '/api/v1/assignments')).status).toBe(409);
  });
});

describe('市级交办 on a province of two cities', () => {
  it('tells the assigning city’s own users (its room), not the other city’s, nor the county’s', async () => {
    const dataDir = seedPlatform(tempDir(), { ...SMALL_PLATFORM, cities: 2, counties: 4 });
    const province = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()) });
    later(() => province.stop());
    const cities = await columnOf<string>(province.store, "SELECT id FROM regions WHERE level = 'city' ORDER BY code");
    const countyOf = (cityId: string) => valueOf<string>(province.store, "SELECT id FROM regions WHERE level = 'county' AND parent_id = ? ORDER BY code LIMIT 1", cityId);
    const make = async (username: string, role: 'dispatcher' | 'shift_lead', area: string) => {
      await province.handles.auth.createUser(null, { username, displayName: username, password: DEMO_PASSWORD, roles: [role], scope: province.handles.users.scopeOf([area]) }, { sourceIp: null, client: 'test' });
      return as(province.url, username);
    };
    const [cityOne, cityTwo] = cities as [string, string];
    const county = await countyOf(cityOne);
    const one = await make('city-one', 'dispatcher', cityOne);
    const two = await make('city-two', 'dispatcher', cityTwo);
    const countyUser = await make('county-one', 'dispatcher', county);
    const countyLead = await make('county-one-lead', 'shift_lead', county);
    const sockets = [one, two, countyUser].map((who) => {
      const client = connectClient(province.url, { token: who.token });
      const alerts: Alert[] = [];
      client.socket.on('alert:raised', ({ alert }) => alerts.push(alert));
      later(() => client.socket.close());
      return { ...client, alerts };
    });
    await Promise.all(sockets.map((s) => s.ready));
    const [oneSocket, twoSocket, countySocket] = sockets as [(typeof sockets)[0], (typeof sockets)[0], (typeof sockets)[0]];
    const town = await valueOf<string>(province.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code LIMIT 1", county);
    const { lon, lat } = await pointIn(province.url, town);
    const body = { ...valid(), countyId: county, location: { lon, lat } };

    // the other city may not assign to this city's county
    const refused = await api<ApiError>(province.url, '/api/v1/assignments', { method: 'POST', json: body, token: two.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_city_scope');

    const res = await api<EventCreated>(province.url, '/api/v1/assignments', { method: 'POST', json: body, token: one.token });
    expect(res.status).toBe(201);
    expect(res.body.event.assignment?.byRegionId).toBe(cityOne);
    const voided = await api(province.url, `/api/v1/events/${res.body.id}/actions`, { method: 'POST', json: { action: 'void', reason: '与已办结案件重复' }, token: countyLead.token });
    expect(voided.status).toBe(200);

    const alert = await waitFor(() => oneSocket.alerts.find((a) => a.kind === 'assignment_reported'), 10_000, 'the city’s alert');
    expect(alert).toMatchObject({ regionId: cityOne, params: { outcome: { status: 'void', text: '与已办结案件重复' } } });
    // a later case of the county reaches both other sockets after anything before it would have
    const marker = await api<EventCreated>(province.url, '/api/v1/assignments', { method: 'POST', json: { ...body, description: '标记事件' }, token: one.token });
    await waitFor(() => countySocket.changes.some((c) => c.event.id === marker.body.id), 10_000, 'the county’s next push');
    const otherCounty = await countyOf(cityTwo);
    const otherTown = await valueOf<string>(province.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code LIMIT 1", otherCounty);
    const at = await pointIn(province.url, otherTown);
    const otherMarker = await api<EventCreated>(province.url, '/api/v1/assignments', { method: 'POST', json: { ...body, countyId: otherCounty, location: { lon: at.lon, lat: at.lat } }, token: two.token });
    await waitFor(() => twoSocket.changes.some((c) => c.event.id === otherMarker.body.id), 10_000, 'the other city’s next push');
    expect(twoSocket.alerts.filter((a) => a.kind === 'assignment_reported')).toEqual([]);
    expect(countySocket.alerts.filter((a) => a.kind === 'assignment_reported')).toEqual([]);

    const list = (who: Who) => api<AlertListResponse>(province.url, '/api/v1/alerts?kind=assignment_reported', { token: who.token });
    expect((await list(one)).body.items.map((a) => a.id)).toEqual([alert.id]);
    expect((await list(two)).body.items).toEqual([]);
    expect((await list(countyUser)).body.items).toEqual([]);
    const assignments = (who: Who) => api<AssignmentListResponse>(province.url, '/api/v1/assignments?state=reported', { token: who.token });
    // each city lists its own (the seeded history's among them), never the other's
    const ones = (await assignments(one)).body.items;
    expect(ones.map((a) => a.eventId)).toContain(res.body.id);
    expect(new Set(ones.map((a) => a.byRegionId))).toEqual(new Set([cityOne]));
    expect((await assignments(two)).body.items.filter((a) => a.byRegionId !== cityTwo)).toEqual([]);
  });
});
