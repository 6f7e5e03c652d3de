import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventRecord } from '../../shared/contracts/events.js';
import type { KpiResponse } from '../../shared/contracts/kpi.js';
import type { OverviewResponse } from '../../shared/contracts/overview.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import { api, intakeAt, login, startTestServer, type TestServer } from './harness.js';
import { microGridPointIn } from './store-rows.js';
import { TestClock } from './workflow-driver.js';

/**
 * A week of cases built through the API on a clock of our own, months after the seeded history,
 * and every figure of the overview checked against counts made here, in SQL written for this
 * test, through the server's store (SQLite or PostgreSQL):
 *
 *   day       case  town  path
 *   D−6 10:00 a1    1     the whole loop, closed that day
 *   D−6 10:05 a2    2     nothing
 *   D−2 15:00 y     2     dispatched by the machine at intake
 *   D−2 15:05 b     1     handled and verified; closed on D (a carry-over)
 *   D−1 23:59 d1    2     reported one millisecond before D
 *   D   00:00 d2    2     reported at D's first instant
 *   D   08:30       b closed; c1 (1) filed and dispatched; c2 (1) not admitted; c3 (2) nothing;
 *                   c4 (2) filed; c5 (1) the whole loop, closed that day; a team goes off duty
 *   D   20:00       the clock stands here (deadlines swept): the state figures are read now
 */
const D = '2027-04-05';
const at = (day: string, time: string) => Date.parse(`${day}T${time}+08:00`);
const clock = new TestClock(at('2027-03-30', '10:00:00'));

let server: TestServer;
let catalog: CatalogResponse;
let towns: string[];
const tokens = new Map<string, string>();
const cases = new Map<string, EventRecord>();
let FT: string;
let offDuty: string;

async function loginAll() {
  for (const u of ['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-field', 'demo-town-dispatcher', 'demo-wall', 'demo-auditor']) {
    const res = await login(server.url, u);
    expect(res.status, u).toBe(200);
    tokens.set(u, (res.body as LoginResponse).token);
  }
}

const overview = (query: string, user = 'demo-dispatcher', lang?: string) =>
  api<OverviewResponse & ApiError>(server.url, `/api/v1/overview${query ? `?${query}` : ''}`, { token: tokens.get(user), ...(lang ? { headers: { 'accept-language': lang } } : {}) });

/** A label point of a micro-grid of the village (or of the first village of the town). */
const pointOf = (region: string) => microGridPointIn(server.store, region, cases.size % 3);

async function intake(name: string, item: CatalogItem, urgency: CatalogItem['defaultUrgency'], region: string, itemCode = item.code): Promise<EventRecord> {
  const res = await api<EventCreated>(server.url, '/api/v1/events', {
    method: 'POST',
    token: tokens.get('demo-dispatcher'),
    json: intakeAt(itemCode, await pointOf(region), { urgency, description: `大屏统计 ${name}` }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  cases.set(name, res.body.event);
  return res.body.event;
}

async function act(name: string, user: string, request: ActionRequest): Promise<EventRecord> {
  const res = await api<ActionResult>(server.url, `/api/v1/events/${cases.get(name)!.id}/actions`, { method: 'POST', token: tokens.get(user), json: request });
  expect(res.status, `${name} ${request.action} by ${user}: ${JSON.stringify(res.body)}`).toBe(200);
  cases.set(name, res.body.event);
  return res.body.event;
}

const OVERRIDE = { reason: '统计测试：指定队伍' };

async function toVerified(name: string) {
  await act(name, 'demo-dispatcher', { action: 'file' });
  await act(name, 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE });
  await act(name, 'demo-field', { action: 'accept' });
  await act(name, 'demo-field', { action: 'start' });
  await act(name, 'demo-field', { action: 'report', result: '已处置完毕' });
  await act(name, 'demo-lead', { action: 'verify' });
}

async function moveClock(to: number) {
  clock.set(new Date(to));
  await loginAll();
}

beforeAll(async () => {
  server = await startTestServer({ clock, config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 200 } } });
  await loginAll();
  catalog = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
  towns = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code")).map((t) => t.id);
  const me = (await api<{ teamId: string | null }>(server.url, '/api/v1/auth/me', { token: tokens.get('demo-field') })).body;
  FT = me.teamId!;
  const ftVillage = (await server.store.get<{ v: string }>('SELECT home_region_id AS v FROM teams WHERE id = ?', FT))!.v;
  expect(await server.store.get('SELECT parent_id AS t FROM regions WHERE id = ?', ftVillage)).toEqual({ t: towns[0] });

  const manual = catalog.items.flatMap((item) => item.urgencies.filter((u) => !item.autoDispatch?.urgencies.includes(u) && item.verificationRequired).map((u) => ({ item, urgency: u })))[0]!;
  const auto = catalog.items.flatMap((item) => (item.autoDispatch?.urgencies ?? []).map((u) => ({ item, urgency: u })))[0]!;
  const m = (name: string, region: string) => intake(name, manual.item, manual.urgency, region);

  await m('a1', ftVillage);
  await toVerified('a1');
  await act('a1', 'demo-dispatcher', { action: 'close' });
  clock.set(new Date(at('2027-03-30', '10:05:00')));
  await m('a2', towns[1]!);

  await moveClock(at('2027-04-03', '15:00:00'));
  expect((await intake('y', auto.item, auto.urgency, towns[1]!)).status).toBe('dispatched');
  clock.set(new Date(at('2027-04-03', '15:05:00')));
  await m('b', ftVillage);
  await toVerified('b');

  await moveClock(at('2027-04-04', '23:59:59.999'));
  await m('d1', towns[1]!);
  clock.set(new Date(at(D, '00:00:00.000')));
  await m('d2', towns[1]!);

  await moveClock(at(D, '08:30:00'));
  await act('b', 'demo-dispatcher', { action: 'close' });
  await m('c1', ftVillage);
  await act('c1', 'demo-dispatcher', { action: 'file' });
  await act('c1', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE });
  expect((await intake('c2', manual.item, manual.urgency, ftVillage, 'ZZ99')).status).toBe('not_admitted');
  await m('c3', towns[1]!);
  await m('c4', towns[1]!);
  await act('c4', 'demo-dispatcher', { action: 'file' });
  await m('c5', ftVillage);
  await toVerified('c5');
  await act('c5', 'demo-dispatcher', { action: 'close' });
  offDuty = (await server.store.get<{ id: string }>("SELECT id FROM teams WHERE status <> 'off_duty' ORDER BY id LIMIT 1"))!.id;
  const off = await api(server.url, `/api/v1/teams/${offDuty}/status`, { method: 'POST', token: tokens.get('demo-dispatcher'), json: { status: 'off_duty' } });
  expect(off.status, JSON.stringify(off.body)).toBe(200);

  await moveClock(at(D, '20:00:00'));
  await server.handles.deadlines.sweep();
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

// ---- the same figures, counted here in SQL of this test's own on either database ----
// A China day is the half-open range of stored times (ISO UTC strings with milliseconds, which
// compare as text) from its midnight to the next, computed here; no database date function.

const OPEN = "('reported','filed','dispatched','accepted','in_progress','handled','verified')";
const scoped = (towns: readonly string[] | null) => (towns ? `AND town_id IN (${towns.map((t) => `'${t}'`).join(',')})` : '');
const n = async (query: string, ...args: unknown[]) => (await server.store.get<{ n: number }>(query, ...args))!.n;
/** The first instant of a China day, plus `plus` days, as stored. */
const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plus * 86_400_000).toISOString();
/** The China day of a stored time. */
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
/** `column` falls on the China day: with its two arguments, dayArgs(day). */
const onDaySql = (column: string) => `${column} >= ? AND ${column} < ?`;
const dayArgs = (day: string) => [dayStart(day), dayStart(day, 1)];
const onDay = (column: string, day: string, towns: readonly string[] | null) =>
  n(`SELECT COUNT(*) AS n FROM events WHERE ${onDaySql(column)} ${scoped(towns)}`, ...dayArgs(day));
const nowIso = () => clock.now().toISOString();

async function figuresBySql(day: string, towns: readonly string[] | null) {
  const due = `status NOT IN ('rejected','void','merged','not_admitted') AND ${onDaySql('due_at')} ${scoped(towns)}`;
  const dueCount = await n(`SELECT COUNT(*) AS n FROM events WHERE ${due}`, ...dayArgs(day));
  const onTime = await n(`SELECT COUNT(*) AS n FROM events WHERE ${due} AND status = 'closed' AND closed_at <= due_at`, ...dayArgs(day));
  return {
    reported: await onDay('reported_at', day, towns),
    filed: await onDay('filed_at', day, towns),
    dispatched: await onDay('dispatched_at', day, towns),
    inProgress: await n(`SELECT COUNT(*) AS n FROM events WHERE status IN ('dispatched','accepted','in_progress','handled','verified') ${scoped(towns)}`),
    closed: await onDay('closed_at', day, towns),
    onTimeRate: dueCount === 0 ? null : Math.round((onTime / dueCount) * 10_000) / 100,
    overdueNow: await n(
      `SELECT COUNT(*) AS n FROM events WHERE status IN ${OPEN} AND deadline_at IS NOT NULL AND (deadline_at <= ? OR deadline_state = 'overdue') ${scoped(towns)}`,
      nowIso(),
    ),
    teamsOnDuty: await n(
      `SELECT COUNT(*) AS n FROM teams t JOIN regions r ON r.id = t.home_region_id
        WHERE t.status <> 'off_duty' ${towns ? `AND (r.level = 'county' OR r.id IN (${towns.map((x) => `'${x}'`).join(',')}) OR r.parent_id IN (${towns.map((x) => `'${x}'`).join(',')}))` : ''}`,
    ),
  };
}

const dayBefore = (day: string, k: number) => new Date(Date.parse(`${day}T00:00:00Z`) - k * 86_400_000).toISOString().slice(0, 10);

describe('GET /api/v1/overview', () => {
  it("counts the constructed day exactly, as the table above says, and as SQL on the database file counts it", async () => {
    const res = await overview(`date=${D}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ date: D, from: new Date(at(D, '00:00:00')).toISOString(), to: new Date(at('2027-04-06', '00:00:00')).toISOString(), asOf: nowIso(), townId: null });
    // d2, c1–c5 reported; c1, c4, c5 filed; c1, c5 dispatched; b and c5 closed
    expect(res.body.figures).toMatchObject({ reported: 6, filed: 3, dispatched: 2, closed: 2 });
    expect(res.body.figures).toEqual(await figuresBySql(D, null));
    // the seeded history's open cases are long overdue: the state figures are far from zero
    expect(res.body.figures.overdueNow).toBeGreaterThan(0);
    expect(res.body.figures.inProgress).toBeGreaterThan(1);
    expect(res.body.teamsTotal).toBe(await n('SELECT COUNT(*) AS n FROM teams'));
    expect(res.body.figures.teamsOnDuty).toBe(res.body.teamsTotal - (await n("SELECT COUNT(*) AS n FROM teams WHERE status = 'off_duty'")));
  });

  it("gives the 7 days ending with the date, the midnight boundary in China time, and every figure of every day as SQL does", async () => {
    const res = await overview(`date=${D}`);
    const days = Array.from({ length: 7 }, (_, i) => dayBefore(D, 6 - i));
    const trend: Array<{ date: string; reported: number; closed: number }> = [];
    for (const date of days) trend.push({ date, reported: await onDay('reported_at', date, null), closed: await onDay('closed_at', date, null) });
    expect(res.body.trend).toEqual(trend);
    // a1, a2 on D−6 (a1 closed); y, b on D−2; d1 on D−1, one millisecond before d2 on D
    expect(res.body.trend.map((d) => [d.reported, d.closed])).toEqual([[2, 1], [0, 0], [0, 0], [0, 0], [2, 0], [1, 0], [6, 2]]);
    for (const date of days) {
      const day = await overview(`date=${date}`);
      expect(day.body.figures, date).toEqual(await figuresBySql(date, null));
    }
  });

  it('gives the on-time rate of /api/v1/kpis for the day, where cases were due and where none were', async () => {
    const closedDueDays = new Set((await server.store.all<{ due_at: string }>("SELECT due_at FROM events WHERE status = 'closed' AND closed_at > '2027'")).map((r) => chinaDay(r.due_at)));
    let withDue = 0;
    for (const date of [D, dayBefore(D, 6), ...closedDueDays]) {
      const [o, k] = await Promise.all([overview(`date=${date}`), api<KpiResponse>(server.url, `/api/v1/kpis?from=${date}&to=${date}`, { token: tokens.get('demo-dispatcher') })]);
      expect(o.body.figures.onTimeRate, date).toBe(k.body.total.kpis.onTimeClosureRate);
      expect(o.body.figures.onTimeRate, date).toBe((await figuresBySql(date, null)).onTimeRate);
      if (o.body.figures.onTimeRate !== null) withDue++;
    }
    expect(withDue).toBeGreaterThan(0);
  });

  it("mixes the day's reported cases by catalog category, named in both languages, most first", async () => {
    const res = await overview(`date=${D}`);
    const rows = await server.store.all<{ category: string; n: number }>(`SELECT category, COUNT(*) AS n FROM events WHERE ${onDaySql('reported_at')} GROUP BY category`, ...dayArgs(D));
    expect(Object.fromEntries(res.body.categories.map((c) => [c.category, c.count]))).toEqual(Object.fromEntries(rows.map((r) => [r.category, r.n])));
    expect(res.body.categories.map((c) => c.count)).toEqual([...res.body.categories.map((c) => c.count)].sort((a, b) => b - a));
    for (const c of res.body.categories) {
      const item = catalog.items.find((i) => i.category === c.category);
      expect(c, c.category).toMatchObject(item ? { name: item.categoryName, nameEn: item.categoryNameEn } : { category: 'not_admitted', name: '不予受理', nameEn: 'Not admitted' });
    }
    expect(res.body.categories.some((c) => c.category === 'not_admitted')).toBe(true);
  });

  it('ranks every town as /api/v1/kpis?groupBy=town does, with its own counts', async () => {
    const [res, k] = await Promise.all([overview(`date=${D}`), api<KpiResponse>(server.url, `/api/v1/kpis?from=${D}&to=${D}&groupBy=town`, { token: tokens.get('demo-dispatcher') })]);
    expect(res.body.towns.map((t) => t.townId).sort()).toEqual([...towns].sort());
    for (const t of res.body.towns) {
      const f = await figuresBySql(D, [t.townId]);
      expect({ reported: t.reported, closed: t.closed, overdueNow: t.overdueNow }, t.townId).toEqual({ reported: f.reported, closed: f.closed, overdueNow: f.overdueNow });
      expect(t.name).toBe((await server.store.get<{ name: string }>('SELECT name FROM regions WHERE id = ?', t.townId))!.name);
      const group = k.body.groups.find((g) => g.key === t.townId);
      if (group) expect([t.onTimeRate, t.rank], t.townId).toEqual([group.kpis.onTimeClosureRate, group.rank]);
      else expect(t.onTimeRate).toBeNull();
    }
    expect(res.body.towns.map((t) => t.rank)).toEqual([...res.body.towns.map((t) => t.rank)].sort((a, b) => a - b));
  });

  it("defaults to today on the server's clock", async () => {
    const res = await overview('');
    expect(res.status).toBe(200);
    expect(res.body.date).toBe(D);
    expect(res.body.figures).toEqual((await overview(`date=${D}`)).body.figures);
  });
});

describe('GET /api/v1/overview: who may read it, and where', () => {
  it('is readable by the wall display, duty officer and shift lead, not by a field worker or the auditor, and not anonymously', async () => {
    for (const user of ['demo-wall', 'demo-duty', 'demo-lead']) expect((await overview(`date=${D}`, user)).status, user).toBe(200);
    for (const user of ['demo-field', 'demo-auditor']) expect((await overview(`date=${D}`, user)).status, user).toBe(403);
    expect((await api(server.url, '/api/v1/overview', { anonymous: true })).status).toBe(401);
  });

  it("counts only a town user's towns, and refuses another town (audited)", async () => {
    const me = (await api<{ scope: { kind: string; towns: string[] } }>(server.url, '/api/v1/auth/me', { token: tokens.get('demo-town-dispatcher') })).body;
    expect(me.scope).toMatchObject({ kind: 'towns', towns: [towns[0]], areas: [towns[0]] });
    const res = await overview(`date=${D}`, 'demo-town-dispatcher');
    expect(res.status).toBe(200);
    expect(res.body.figures).toEqual(await figuresBySql(D, [towns[0]!]));
    // c1, c2, c5 in town 1 that day
    expect(res.body.figures.reported).toBe(3);
    expect(res.body.towns.map((t) => t.townId)).toEqual([towns[0]]);
    const reportedInTown: number[] = [];
    for (const d of res.body.trend) reportedInTown.push(await onDay('reported_at', d.date, [towns[0]!]));
    expect(res.body.trend.map((d) => d.reported)).toEqual(reportedInTown);
    expect(res.body.categories.reduce((s, c) => s + c.count, 0)).toBe(3);

    const refused = await overview(`date=${D}&town=${towns[1]}`, 'demo-town-dispatcher');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'out_of_scope', fields: [{ field: 'town', code: 'out_of_scope' }] });
    const audited = await server.store.get("SELECT reason FROM audit_log WHERE action = 'access:denied' AND object_type = 'town' AND object_id = ? ORDER BY seq DESC LIMIT 1", towns[1]);
    expect(audited).toEqual({ reason: 'out_of_scope' });
  });

  it('narrows to one town of the scope on request', async () => {
    const res = await overview(`date=${D}&town=${towns[1]}`);
    expect(res.status).toBe(200);
    expect(res.body.townId).toBe(towns[1]);
    expect(res.body.figures).toEqual(await figuresBySql(D, [towns[1]!]));
    expect(res.body.towns.map((t) => t.townId)).toEqual([towns[1]]);
    expect((await overview(`date=${D}&town=999999999`)).status).toBe(404);
  });
});

describe('GET /api/v1/overview: bad input', () => {
  it.each([
    ['date=2027-02-30', 'date', 'bad_format'],
    ['date=today', 'date', 'bad_format'],
    ['date=2027-04-05T08:00:00Z', 'date', 'bad_format'],
    ['town=abc', 'town', 'bad_format'],
    ['from=2027-04-05', 'from', 'unknown_field'],
  ])('refuses %s with a 400 naming %s, in both languages', async (query, field, code) => {
    const zh = await overview(query);
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatchObject({ code: 'invalid_query', fields: [{ field, code }] });
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await overview(query, 'demo-dispatcher', 'en');
    expect(en.body.error.message).toMatch(/^[\x20-\x7e]+$/);
    expect(en.body.error.fields![0]!.message).toMatch(/^[\x20-\x7e]+$/);
  });
});
