import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { WorkerActivityResponse, WorkerCoverageResponse } from '../../shared/contracts/workforce.js';
import { haversineMetres } from '../../server/src/modules/workforce/patrol.js';
import { api, intakeAt, startTestServer, type TestServer } from './harness.js';
import { as, catalogOf, done, manual, pick, pointIn, report, TestClock, towns, type Who } from './workflow-driver.js';

/**
 * Workload and activity (issue 16 part 2) through the real routes, on a controlled clock after the
 * seeded history: the linked field account reports positions through the field app's position route,
 * reports cases and acts on them; every figure is then read back and checked against what was done.
 */
const NOW = new Date('2026-11-25T10:00:00+08:00');
const at = (hhmm: string, day = '2026-11-25') => new Date(`${day}T${hhmm}:00+08:00`).toISOString();
/** `m` metres north and `e` metres east of a point. */
const shift = (p: { lon: number; lat: number }, m: number, e = 0) => ({
  lon: Math.round((p.lon + e / (111_195 * Math.cos((p.lat * Math.PI) / 180))) * 1e7) / 1e7,
  lat: Math.round((p.lat + m / 111_195) * 1e7) / 1e7,
});

let server: TestServer;
const clock = new TestClock(NOW.getTime());
let field: Who;
let dispatcher: Who;
let workerId: string;
let other: { id: string; town: string };
let microA: { id: string; lon: number; lat: number };
let microB: { id: string; lon: number; lat: number };
const period = 'from=2026-11-24&to=2026-11-25';

beforeAll(async () => {
  server = await startTestServer({ clock });
  field = await as(server.url, 'demo-field');
  dispatcher = await as(server.url, 'demo-dispatcher');
  const w = (await server.store.get<{ id: string; grid_id: string }>(
    'SELECT w.id, w.grid_id FROM workers w JOIN regions g ON g.id = w.grid_id WHERE g.parent_id = (SELECT home_region_id FROM teams WHERE id = ?) ORDER BY w.id LIMIT 1',
    field.teamId,
  ))!;
  workerId = w.id;
  // the record links the field account (as the records' PATCH does) and names two micro-grids served
  await server.store.run('UPDATE workers SET user_id = ?, team_id = ? WHERE id = ?', field.userId, field.teamId, workerId);
  const micro = (await api<{ features: Array<{ properties: { id: string; parentId: string; labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid')).body.features
    .map((f) => f.properties)
    .filter((p) => p.parentId === w.grid_id)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(micro.length).toBeGreaterThanOrEqual(2);
  [microA, microB] = micro.slice(0, 2).map((m) => ({ id: m.id, lon: m.labelLon, lat: m.labelLat })) as [typeof microA, typeof microB];
  await server.store.run('DELETE FROM worker_micro_grids WHERE worker_id = ?', workerId);
  for (const m of [microA, microB]) await server.store.run('INSERT INTO worker_micro_grids (worker_id, micro_grid_id) VALUES (?, ?)', workerId, m.id);
  const o = (await server.store.get<{ id: string; town: string }>(
    'SELECT w.id, v.parent_id AS town FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id <> ? ORDER BY w.id LIMIT 1',
    field.towns![0],
  ))!;
  other = o;
});
afterAll(async () => {
  await server?.stop();
});

const activityOf = (who: Who, id: string, query = period) => api<WorkerActivityResponse & ApiError>(server.url, `/api/v1/workforce/workers/${id}/activity?${query}`, { token: who.token });

describe('a worker\'s activity from positions, reports and actions', () => {
  const expected = { metres: 0 };
  let first: string;
  let second: string;
  let items: { dispatched: string; selfHandled: string };

  it('stamps the linked worker on positions reported through the field app and computes patrol time, distance, days and coverage', async () => {
    const a0 = { lon: microA.lon, lat: microA.lat };
    const b0 = { lon: microB.lon, lat: microB.lat };
    const far = await pointIn(server.url, other.town);
    const track: Array<[string, { lon: number; lat: number }]> = [
      // the day before: one span of 4 min
      [at('10:30', '2026-11-24'), a0],
      [at('10:34', '2026-11-24'), shift(a0, 30)],
      // a span of 12 min with a jump out and back (faster than 30 km/h: not counted)
      [at('09:00'), a0],
      [at('09:05'), shift(a0, 30)],
      [at('09:10'), shift(a0, 60)],
      [at('09:11'), { lon: far.lon, lat: far.lat }],
      [at('09:12'), shift(a0, 60)],
      // 18 min later: a span of 8 min in micro-grid B
      [at('09:30'), b0],
      [at('09:38'), shift(b0, 0, 30)],
      // alone (17 min after the last): no span, but a position inside A
      [at('09:55'), a0],
    ];
    for (const [when, p] of track) {
      const res = await api(server.url, `/api/v1/teams/${field.teamId}/position`, { method: 'POST', token: field.token, json: { ...p, accuracy: 5, at: when } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM team_positions WHERE worker_id = ?', workerId))!.n).toBe(track.length);
    expect(await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM team_positions WHERE worker_id IS NOT NULL AND worker_id <> ?', workerId)).toEqual({ n: 0 });
    expected.metres = haversineMetres(a0, shift(a0, 30)) * 2 + haversineMetres(shift(a0, 30), shift(a0, 60)) + haversineMetres(b0, shift(b0, 0, 30));

    const res = await activityOf(field, workerId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.from).toBe('2026-11-23T16:00:00.000Z');
    expect(res.body.to).toBe('2026-11-25T16:00:00.000Z');
    expect(res.body.workers).toHaveLength(1);
    expect(res.body.workers[0]!.patrol).toEqual({ minutes: 4 + 12 + 8, metres: Math.round(expected.metres), days: 2, microGridsCovered: 2, microGridsServed: 2 });

    const cov = await api<WorkerCoverageResponse>(server.url, `/api/v1/workforce/workers/${workerId}/coverage?${period}`, { token: field.token });
    expect(cov.status).toBe(200);
    const grids = cov.body.features.flatMap((f) => (f.properties.kind === 'microGrid' ? [f.properties] : []));
    expect(grids.map((g) => [g.id, g.covered, g.lastAt])).toEqual([
      [microA.id, true, at('09:55')],
      [microB.id, true, at('09:38')],
    ]);
    const tracks = cov.body.features.filter((f) => f.properties.kind === 'track');
    expect(tracks.map((f) => [f.properties.kind === 'track' && f.properties.minutes, f.geometry.coordinates.length])).toEqual([
      [4, 2],
      [12, 5],
      [8, 2],
    ]);
  });

  it('counts the cases the worker reported (by account and by phone), handled, closed on time, reworked and returned, and the workload', async () => {
    const catalog = await catalogOf(server.url);
    const dispatchable = pick(catalog, 'for grid workers, dispatched by hand, closed without verification', (i, u) => i.teamType === 'grid_worker' && manual(i, u) && !i.verificationRequired);
    const selfHandled = pick(catalog, 'self-handled by a grid worker', (i, u) => i.selfHandle && i.code !== dispatchable.item.code && manual(i, u));
    items = { dispatched: dispatchable.item.code, selfHandled: selfHandled.item.code };
    const where = { lon: microA.lon, lat: microA.lat };
    const intake = async (who: Who, code: string, urgency: string, extra: Record<string, unknown> = {}) => {
      const res = await report(server.url, who, intakeAt(code, where, { urgency: urgency as never, reporter: { name: '网格员', phone: '13800000001' }, ...extra }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.event.id;
    };
    // the linked account reports two cases and fixes a third on the spot
    await intake(field, items.dispatched, dispatchable.urgency);
    await intake(field, items.dispatched, dispatchable.urgency);
    await intake(field, items.selfHandled, selfHandled.urgency, { selfHandled: true, result: '已当场清理完毕' });
    // a report phoned in from the worker's own phone is theirs too
    const phone = (await server.store.get<{ phone: string }>('SELECT phone FROM workers WHERE id = ?', workerId))!.phone;
    await intake(dispatcher, items.dispatched, dispatchable.urgency, { reporter: { name: '网格员', phone } });
    // two cases someone else reported, for the worker's team to handle (a reporter never handles their own)
    first = await intake(dispatcher, items.dispatched, dispatchable.urgency, { reporter: { name: '居民', phone: '13800000002' } });
    second = await intake(dispatcher, items.dispatched, dispatchable.urgency, { reporter: { name: '居民', phone: '13800000002' } });

    // the first: handled, sent back for rework, handled again and closed; the second: returned by the team
    for (const id of [first, second]) {
      await done(server.url, dispatcher, id, { action: 'file' });
      await done(server.url, dispatcher, id, { action: 'dispatch', teamId: field.teamId! });
      await done(server.url, field, id, { action: 'accept' });
    }
    await done(server.url, field, first, { action: 'start' });
    await done(server.url, field, first, { action: 'report', result: '已清运' });
    await done(server.url, dispatcher, first, { action: 'rework', reason: '现场仍有残留垃圾' });
    await done(server.url, field, first, { action: 'report', result: '已彻底清运' });
    await done(server.url, dispatcher, first, { action: 'close' });
    await done(server.url, field, second, { action: 'return', reason: '不属于本网格服务团队职责' });

    const res = await activityOf(field, workerId);
    expect(res.status).toBe(200);
    const a = res.body.workers[0]!;
    expect(a.reported).toEqual({
      total: 4,
      selfHandled: 1,
      byItem: [
        { itemCode: items.dispatched, itemName: dispatchable.item.name, count: 3 },
        { itemCode: items.selfHandled, itemName: selfHandled.item.name, count: 1 },
      ],
    });
    expect(a.handled).toEqual({ total: 3, closed: 2, onTime: 2, reworked: 1, returned: 1 });

    const households = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM households WHERE micro_grid_id IN (?, ?)', microA.id, microB.id))!.n;
    const gridHouseholds = (await server.store.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM households h JOIN regions m ON m.id = h.micro_grid_id WHERE m.parent_id = (SELECT grid_id FROM workers WHERE id = ?)",
      workerId,
    ))!.n;
    const countyHouseholds = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM households'))!.n;
    // the period holds only these six cases, all in the worker's grid: (6 / grid households) / (6 / county households)
    const difficulty = countyHouseholds / gridHouseholds;
    const perHundred = ((4 + 3) / households) * 100;
    expect(a.households).toBe(households);
    expect(a.workload).toEqual({
      perHundredHouseholds: Math.round(perHundred * 100) / 100,
      gridDifficulty: Math.round(difficulty * 1000) / 1000,
      weighted: Math.round(perHundred * difficulty * 100) / 100,
    });
  });

  it('lists every worker of the caller\'s towns with the same figures, for the county and the town grid office', async () => {
    const county = await as(server.url, 'demo-gridoffice');
    const town = await as(server.url, 'demo-town-gridoffice');
    const one = (await activityOf(county, workerId)).body.workers[0]!;
    const all = await api<WorkerActivityResponse>(server.url, `/api/v1/workforce/activity?${period}`, { token: county.token });
    expect(all.status).toBe(200);
    // every worker but those who left before the period
    expect(all.body.workers).toHaveLength((await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM workers WHERE left_on IS NULL OR left_on >= '2026-11-24'"))!.n);
    expect(all.body.workers.find((w) => w.workerId === workerId)).toEqual(one);
    const mine = await api<WorkerActivityResponse>(server.url, `/api/v1/workforce/activity?${period}`, { token: town.token });
    expect(mine.status).toBe(200);
    expect(new Set(mine.body.workers.map((w) => w.townId))).toEqual(new Set(town.towns));
    expect(mine.body.workers.find((w) => w.workerId === workerId)).toEqual(one);
    // a town's other workers: the grid's households shared by its active workers, nothing else done
    const idle = mine.body.workers.find((w) => w.workerId !== workerId)!;
    expect(idle.reported.total + idle.handled.total + idle.patrol.minutes).toBe(0);
  });
});

describe('who may read what', () => {
  it('refuses a field worker another worker, and the county list; a town grid office another town; each audited', async () => {
    const town = await as(server.url, 'demo-town-gridoffice');
    const denials = async () => (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access:denied'"))!.n;
    const before = await denials();
    const theirs = await activityOf(field, other.id);
    expect([theirs.status, theirs.body.error?.code]).toEqual([403, 'forbidden']);
    const cov = await api<ApiError>(server.url, `/api/v1/workforce/workers/${other.id}/coverage`, { token: field.token });
    expect([cov.status, cov.body.error?.code]).toEqual([403, 'forbidden']);
    expect((await api<ApiError>(server.url, '/api/v1/workforce/activity', { token: field.token })).status).toBe(403);
    const outside = await activityOf(town, other.id);
    expect([outside.status, outside.body.error?.code]).toEqual([403, 'out_of_scope']);
    const list = await api<ApiError>(server.url, `/api/v1/workforce/activity?town=${other.town}`, { token: town.token });
    expect([list.status, list.body.error?.code]).toEqual([403, 'out_of_scope']);
    expect(await denials()).toBe(before + 5);
    const unknown = await activityOf(await as(server.url, 'demo-gridoffice'), 'W99999');
    expect(unknown.status).toBe(404);
  });

  it('refuses a bad query naming the field, and a bad worker id', async () => {
    const county = await as(server.url, 'demo-gridoffice');
    const backwards = await activityOf(county, workerId, 'from=2026-11-25&to=2026-11-24T00:00:00%2B08:00');
    expect([backwards.status, backwards.body.error?.code, backwards.body.error?.fields]).toEqual([400, 'invalid_query', [expect.objectContaining({ field: 'to', code: 'not_after_from' })]]);
    const list = await api<ApiError>(server.url, '/api/v1/workforce/activity?from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z', { token: county.token });
    expect([list.status, list.body.error.fields?.[0]?.field]).toEqual([400, 'to']);
    const junk = await activityOf(county, workerId, 'from=yesterday');
    expect([junk.status, junk.body.error?.fields?.[0]?.field]).toEqual([400, 'from']);
    const extra = await activityOf(county, workerId, 'town=330899001');
    expect([extra.status, extra.body.error?.fields?.[0]]).toEqual([400, expect.objectContaining({ field: 'town', code: 'unknown_field' })]);
    const badId = await api<ApiError>(server.url, '/api/v1/workforce/workers/x1/activity', { token: county.token });
    expect([badId.status, badId.body.error?.code]).toEqual([400, 'invalid_params']);
    expect((await towns(server.url)).length).toBeGreaterThan(1);
  });
});
