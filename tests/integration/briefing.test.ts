import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BriefingCounts, BriefingResponse } from '../../shared/contracts/briefing.js';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { OPEN_STATUSES, type EventCreated, type EventRecord } from '../../shared/contracts/events.js';
import type { KpiResponse } from '../../shared/contracts/kpi.js';
import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import { maskName } from '../../shared/domain/masking.js';
import type { Clock } from '../../server/src/core/clock.js';
import { DEFAULT_AUTH_CONFIG } from '../../server/src/config.js';
import { api, cleanupAfterAll, intakeAt, login, loginAs, startTestServer, type TestServer } from './harness.js';

/**
 * The shift briefing (交班简报) over a small set of cases built through the API on a clock of our
 * own, months after the seeded history, on the county's default schedule with named leads:
 * 白班 08:30–17:30 (李明), 夜班 17:30–08:30 (王芳). The briefed shift is the night of 1–2 March
 * 2027, most of it after midnight China time, which is still the 1st in UTC.
 *
 *   week before  W1 (A)  reported 20:00 on 22 Feb, filed; open ever since
 *   day shift    P1 (A)  reported 09:00, filed, dispatched to FT; its closing deadline set to 03:00 (overdue by the night's end); closed next morning
 *                P2 (B)  reported 10:00, filed; due set to 12:00 on the 2nd (near the deadline at the night's end)
 *                P3 (A)  reported 11:00 … reported back by FT in the day; verified and closed in the night
 *                P4 (B)  reported 16:00, filed; dispatched to T2 in the night
 *   night        N1 (A)  18:00 … closed 21:00 by FT               N2 (B) 18:20 machine-dispatched to T2
 *                N3 (A)  23:00 … dispatched to FT, returned 01:00  N4 (B) 01:30, supervised 02:00
 *                N5 (A)  02:30 not admitted                         N6 (B) 03:00, not filed (03:10)
 *                N7 (A)  04:00 P0                                   N8, N9 (A) 05:00, 05:30: N1's item at N1's place
 *
 * Every figure of the JSON is checked against counts computed here with SQL of our own: the
 * state of a case at a moment is read from the change log's snapshots (`event_changes`), not
 * from the timeline the server reads, so the two ways must agree.
 */
const cst = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number) => new Date(ms).toISOString();
let now = cst('2027-02-22T19:00:00');
const clock: Clock = { now: () => new Date(now) };

const NIGHT = { from: iso(cst('2027-03-01T17:30:00')), to: iso(cst('2027-03-02T08:30:00')) };
const DAY = { from: iso(cst('2027-03-01T08:30:00')), to: iso(cst('2027-03-01T17:30:00')) };
const WEEK_AGO = { from: iso(cst('2027-02-22T17:30:00')), to: iso(cst('2027-02-23T08:30:00')) };
/** The end of the shift running at each period's end: open cases due before it are near their deadline. */
const NEAR_UNTIL = { night: iso(cst('2027-03-02T17:30:00')), day: iso(cst('2027-03-02T08:30:00')), weekAgo: iso(cst('2027-02-23T17:30:00')) };

let server: TestServer;
let towns: string[];
const tokens = new Map<string, string>();
const users = new Map<string, LoginResponse['user']>();
const cases = new Map<string, EventRecord>();
let FT: string;
let T2: string;

const USERS = ['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-field', 'demo-town-dispatcher', 'demo-wall', 'demo-sysadmin'];

async function loginAll() {
  for (const u of USERS) {
    const res = await login(server.url, u);
    expect(res.status, `login ${u}`).toBe(200);
    tokens.set(u, res.body.token);
    users.set(u, res.body.user);
  }
}

const at = (local: string) => {
  now = cst(local);
};

/** A label point of a micro-grid of the town (the `nth` one). */
async function pointOf(town: string, nth = 0) {
  return (await server.store.get<{ lon: number; lat: number }>(
    `SELECT m.label_lon AS lon, m.label_lat AS lat FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id
      WHERE m.level = 'microgrid' AND v.parent_id = ? ORDER BY m.code LIMIT 1 OFFSET ?`,
    town,
    nth,
  ))!;
}

async function intake(name: string, item: CatalogItem, urgency: CatalogItem['defaultUrgency'], town: string, nth: number, itemCode = item.code): Promise<EventRecord> {
  const res = await api<EventCreated>(server.url, '/api/v1/events', {
    method: 'POST',
    token: tokens.get('demo-dispatcher'),
    json: intakeAt(itemCode, await pointOf(town, nth), { urgency, description: `交班简报测试 ${name}` }),
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

const OVERRIDE = { reason: '简报测试：指定队伍' };

const briefing = (query: string, user = 'demo-lead') => api<BriefingResponse & ApiError>(server.url, `/api/v1/briefings${query ? `?${query}` : ''}`, { token: tokens.get(user) });
const period = (p: { from: string; to: string }) => new URLSearchParams(p).toString();

// ---------- the figures, counted here ----------

const ZERO: BriefingCounts = { reported: 0, notAdmitted: 0, filed: 0, dispatched: 0, closed: 0, closedOnTime: 0, open: 0, overdueOpen: 0, nearDeadline: 0, supervisedOpen: 0 };

/** Per town of the scope: the briefing's counts of [from, to) and at `asOf`, computed from the tables directly. */
async function countedBySql(p: { from: string; to: string }, asOf: string, nearUntil: string, scope: string[] | null): Promise<Map<string, BriefingCounts>> {
  const store = server.store;
  const scopeTowns = scope ?? towns;
  const out = new Map(scopeTowns.map((t) => [t, { ...ZERO }]));
  const add = (town: string, key: keyof BriefingCounts) => {
    const c = out.get(town);
    if (c) c[key] += 1;
  };
  const inPeriod = (t: string | null) => t !== null && t >= p.from && t < p.to;
  const rows = await store.all<{
    id: string;
    town_id: string;
    status: string;
    reported_at: string;
    filed_at: string | null;
    closed_at: string | null;
    due_at: string | null;
  }>('SELECT id, town_id, status, reported_at, filed_at, closed_at, due_at FROM events');
  // the snapshot is JSON text on both databases: its status read in SQL, its flag in JS
  const snapshotStatus = store.dialect === 'postgres' ? "(snapshot::json)->>'status'" : "json_extract(snapshot, '$.status')";
  const lastSnapshot = async (id: string, before: string) => {
    const row = await store.get<{ snapshot: string }>('SELECT snapshot FROM event_changes WHERE event_id = ? AND at < ? ORDER BY seq DESC LIMIT 1', id, before);
    return row && (JSON.parse(row.snapshot) as { status: string; supervised: boolean });
  };
  const dispatchedIn = (id: string, from: string, to: string) =>
    store.get(
      `SELECT 1 AS found FROM event_changes WHERE event_id = ? AND at >= ? AND at < ?
          AND ((kind IN ('dispatch', 'auto-dispatch') AND ${snapshotStatus} = 'dispatched') OR kind = 'self-handled') LIMIT 1`,
      id,
      from,
      to,
    );
  for (const e of rows) {
    if (inPeriod(e.reported_at)) add(e.town_id, 'reported');
    if (inPeriod(e.reported_at) && e.status === 'not_admitted') add(e.town_id, 'notAdmitted');
    if (inPeriod(e.filed_at)) add(e.town_id, 'filed');
    if (await dispatchedIn(e.id, p.from, p.to)) add(e.town_id, 'dispatched');
    if (e.status === 'closed' && inPeriod(e.closed_at)) {
      add(e.town_id, 'closed');
      if (e.due_at !== null && e.closed_at! <= e.due_at) add(e.town_id, 'closedOnTime');
    }
    const then = await lastSnapshot(e.id, asOf);
    if (!then || !(OPEN_STATUSES as readonly string[]).includes(then.status)) continue;
    add(e.town_id, 'open');
    if (e.due_at !== null && e.due_at < asOf) add(e.town_id, 'overdueOpen');
    else if (e.due_at !== null && e.due_at < nearUntil) add(e.town_id, 'nearDeadline');
    if (then.supervised) add(e.town_id, 'supervisedOpen');
  }
  return out;
}

const total = (byTown: Map<string, BriefingCounts>): BriefingCounts =>
  [...byTown.values()].reduce((s, c) => Object.fromEntries(Object.keys(ZERO).map((k) => [k, s[k as keyof BriefingCounts] + c[k as keyof BriefingCounts]])) as unknown as BriefingCounts, ZERO);

const kpisOf = async (p: { from: string; to: string }, user = 'demo-lead', groupBy?: string) =>
  (await api<KpiResponse>(server.url, `/api/v1/kpis?${new URLSearchParams({ ...p, ...(groupBy ? { groupBy } : {}) })}`, { token: tokens.get(user) })).body;

beforeAll(async () => {
  server = await startTestServer({
    clock,
    config: {
      // Sessions outlive the hours this test's clock jumps; passwords do not expire on it.
      auth: { ...DEFAULT_AUTH_CONFIG, passwordProfile: 'asvs', idleTimeoutMinutes: 60 * 24 * 60, sessionLifetimeHours: 24 * 60 },
      rateLimit: { perMinute: 5000, anonymousPerMinute: 600, loginPerMinute: 200 },
    },
  });
  await loginAll();
  const shifts = await api(server.url, '/api/v1/settings/shifts', {
    method: 'PUT',
    token: tokens.get('demo-sysadmin'),
    json: {
      shifts: [
        { name: '白班', nameEn: 'Day shift', start: '08:30', end: '17:30', lead: '李明' },
        { name: '夜班', nameEn: 'Night shift', start: '17:30', end: '08:30', lead: '王芳' },
      ],
    },
  });
  expect(shifts.status, JSON.stringify(shifts.body)).toBe(200);
  const catalog = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
  towns = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code")).map((t) => t.id);
  const [A, B] = [towns[0]!, towns[1]!];
  FT = users.get('demo-field')!.teamId!;
  await server.store.run("UPDATE teams SET status = 'available'");

  const manual = catalog.items.flatMap((item) => item.urgencies.filter((u) => u !== 'P0' && u !== 'P1' && !item.autoDispatch?.urgencies.includes(u) && item.verificationRequired).map((u) => ({ item, urgency: u })))[0]!;
  const auto = catalog.items.flatMap((item) => (item.autoDispatch?.urgencies ?? []).filter((u) => u !== 'P0' && u !== 'P1').map((u) => ({ item, urgency: u })))[0]!;
  const urgent = catalog.items.find((i) => i.urgencies.includes('P0') && !i.autoDispatch?.urgencies.includes('P0'))!;
  expect([manual, auto, urgent].every(Boolean)).toBe(true);
  const m = (name: string, town: string, nth: number) => intake(name, manual.item, manual.urgency, town, nth);

  // --- a week before
  at('2027-02-22T20:00:00');
  await m('W1', A, 5);
  at('2027-02-22T20:10:00');
  await act('W1', 'demo-dispatcher', { action: 'file' });

  // --- the day shift
  at('2027-03-01T09:00:00');
  await m('P1', A, 1);
  at('2027-03-01T09:10:00');
  await act('P1', 'demo-dispatcher', { action: 'file' });
  at('2027-03-01T09:30:00');
  await act('P1', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE });
  at('2027-03-01T10:00:00');
  await m('P2', B, 1);
  at('2027-03-01T10:10:00');
  await act('P2', 'demo-dispatcher', { action: 'file' });
  at('2027-03-01T11:00:00');
  await m('P3', A, 2);
  for (const [time, user, request] of [
    ['11:05', 'demo-dispatcher', { action: 'file' }],
    ['11:10', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE }],
    ['11:20', 'demo-field', { action: 'accept' }],
    ['11:30', 'demo-field', { action: 'start' }],
    ['11:40', 'demo-field', { action: 'report', result: '已处置完毕' }],
  ] as const) {
    at(`2027-03-01T${time}:00`);
    await act('P3', user, request);
  }
  at('2027-03-01T16:00:00');
  await m('P4', B, 2);
  at('2027-03-01T16:10:00');
  await act('P4', 'demo-dispatcher', { action: 'file' });

  // --- the night shift
  at('2027-03-01T18:00:00');
  await m('N1', A, 0);
  for (const [time, user, request] of [
    ['18:05', 'demo-dispatcher', { action: 'file' }],
    ['18:10', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE }],
    ['18:40', 'demo-field', { action: 'accept' }],
    ['19:00', 'demo-field', { action: 'start' }],
    ['20:00', 'demo-field', { action: 'report', result: '已清理' }],
    ['20:30', 'demo-lead', { action: 'verify' }],
    ['21:00', 'demo-dispatcher', { action: 'close' }],
  ] as const) {
    at(`2027-03-01T${time}:00`);
    await act('N1', user, request);
  }
  at('2027-03-01T18:20:00');
  const n2 = await intake('N2', auto.item, auto.urgency, B, 3);
  expect(n2).toMatchObject({ status: 'dispatched', autoDispatched: true });
  T2 = n2.teamId!;
  at('2027-03-01T18:30:00');
  await act('P4', 'demo-dispatcher', { action: 'dispatch', teamId: T2, override: OVERRIDE });
  at('2027-03-01T22:00:00');
  await act('P3', 'demo-lead', { action: 'verify' });
  at('2027-03-01T22:05:00');
  await act('P3', 'demo-dispatcher', { action: 'close' });
  at('2027-03-01T23:00:00');
  await m('N3', A, 3);
  at('2027-03-01T23:05:00');
  await act('N3', 'demo-dispatcher', { action: 'file' });
  at('2027-03-01T23:10:00');
  await act('N3', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE });
  at('2027-03-01T23:30:00');
  await act('N3', 'demo-field', { action: 'accept' });
  at('2027-03-02T01:00:00');
  await act('N3', 'demo-field', { action: 'return', reason: '不属本队职责' });
  at('2027-03-02T01:30:00');
  await m('N4', B, 4);
  at('2027-03-02T02:00:00');
  await act('N4', 'demo-lead', { action: 'supervise', note: '请加快处置' });
  at('2027-03-02T02:30:00');
  expect((await intake('N5', manual.item, manual.urgency, A, 4, 'ZZ99')).status).toBe('not_admitted');
  at('2027-03-02T03:00:00');
  await m('N6', B, 5);
  at('2027-03-02T03:10:00');
  await act('N6', 'demo-dispatcher', { action: 'reject', reason: '属于刑事案件', receivingBody: '县公安局' });
  at('2027-03-02T04:00:00');
  await intake('N7', urgent, 'P0', A, 6);
  at('2027-03-02T05:00:00');
  await m('N8', A, 0);
  at('2027-03-02T05:30:00');
  await m('N9', A, 0);
  // the closing deadlines the standing counts turn on, set where this test needs them
  await server.store.run('UPDATE events SET due_at = ? WHERE id = ?', iso(cst('2027-03-02T03:00:00')), cases.get('P1')!.id);
  await server.store.run('UPDATE events SET due_at = ? WHERE id = ?', iso(cst('2027-03-02T12:00:00')), cases.get('P2')!.id);

  // --- the next morning: P1 closes after the night's end, which the night's briefing must not see
  for (const [time, user, request] of [
    ['08:40', 'demo-field', { action: 'accept' }],
    ['08:50', 'demo-field', { action: 'start' }],
    ['09:00', 'demo-field', { action: 'report', result: '已处置' }],
    ['09:10', 'demo-lead', { action: 'verify' }],
    ['09:20', 'demo-dispatcher', { action: 'close' }],
  ] as const) {
    at(`2027-03-02T${time}:00`);
    await act('P1', user, request);
  }
  at('2027-03-02T10:00:00');
}, 120_000);
afterAll(async () => server?.stop());

describe('GET /api/v1/briefings for a night shift', () => {
  it('counts what happened in the night, as the table above says', async () => {
    const res = await briefing(period(NIGHT));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const b = res.body;
    expect(b.period).toEqual(NIGHT);
    expect(b.asOf).toBe(NIGHT.to);
    expect(b.counts).toMatchObject({ reported: 9, notAdmitted: 1, filed: 3, dispatched: 4, closed: 2 });
    const [A, B] = [towns[0]!, towns[1]!];
    expect(b.byArea.find((t) => t.id === A)!.counts).toMatchObject({ reported: 6, notAdmitted: 1, filed: 2, dispatched: 2, closed: 2 });
    expect(b.byArea.find((t) => t.id === B)!.counts).toMatchObject({ reported: 3, notAdmitted: 0, filed: 1, dispatched: 2, closed: 0 });
    expect(b.shift).toEqual({ name: '夜班', nameEn: 'Night shift', start: '17:30', end: '08:30', lead: '王芳' });
    // 1 March is day 59 of 2027 (from 0): its night is the year's 2 × 59 + 2nd shift
    expect(b.issue).toEqual({ year: 2027, number: 120 });
    expect(b.nearDeadlineUntil).toBe(NEAR_UNTIL.night);
  });

  it('has the counts and the towns that SQL over the database gives, the standing ones as of the night\'s end', async () => {
    const b = (await briefing(period(NIGHT))).body;
    const expected = await countedBySql(NIGHT, NIGHT.to, NEAR_UNTIL.night, null);
    expect(b.byArea.map((t) => [t.id, t.counts])).toEqual(towns.map((t) => [t, expected.get(t)]));
    expect(b.counts).toEqual(total(expected));
    // P1 closed the next morning: at the night's end it was open and past its deadline; P2 near its deadline; N4 supervised
    const ids = (list: Array<{ id: string }>) => list.map((c) => c.id);
    expect(ids(b.cases.overdue)).toContain(cases.get('P1')!.id);
    expect(b.cases.overdue.find((c) => c.id === cases.get('P1')!.id)).toMatchObject({ status: 'dispatched', closedAt: null });
    expect(ids(b.cases.nearDeadline)).toEqual([cases.get('P2')!.id]);
    expect(ids(b.cases.supervised)).toContain(cases.get('N4')!.id);
    expect(b.counts.overdueOpen).toBe(b.cases.overdue.length);
    expect(b.counts).toMatchObject({ nearDeadline: 1 });
  });

  it('gives exactly the KPIs of GET /api/v1/kpis, in total and per town', async () => {
    const b = (await briefing(period(NIGHT))).body;
    const k = await kpisOf(NIGHT);
    expect(b.kpiCounts).toEqual(k.total.counts);
    expect(b.kpis).toEqual(k.total.kpis);
    const byTown = await kpisOf(NIGHT, 'demo-lead', 'town');
    for (const t of b.byArea) {
      const g = byTown.groups.find((x) => x.key === t.id);
      expect(t.kpiCounts, t.name).toEqual(g?.counts ?? { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 });
      expect(t.kpis, t.name).toEqual(g?.kpis ?? { filingRate: null, dispatchRate: null, closureRate: null, onTimeClosureRate: null, reworkRate: null, extensionRate: null });
    }
  });

  it('compares with the day shift before and the same night a week before', async () => {
    const b = (await briefing(period(NIGHT))).body;
    expect(b.comparison.previous.period).toEqual(DAY);
    expect(b.comparison.previous.asOf).toBe(DAY.to);
    expect(b.comparison.previous.counts).toEqual(total(await countedBySql(DAY, DAY.to, NEAR_UNTIL.day, null)));
    expect(b.comparison.previous.counts).toMatchObject({ reported: 4, filed: 4, dispatched: 2, closed: 0 });
    expect(b.comparison.previous.kpis).toEqual((await kpisOf(DAY)).total.kpis);
    expect(b.comparison.weekAgo.period).toEqual(WEEK_AGO);
    expect(b.comparison.weekAgo.counts).toEqual(total(await countedBySql(WEEK_AGO, WEEK_AGO.to, NEAR_UNTIL.weekAgo, null)));
    expect(b.comparison.weekAgo.counts).toMatchObject({ reported: 1, filed: 1 });
    expect(b.comparison.weekAgo.kpiCounts).toEqual((await kpisOf(WEEK_AGO)).total.counts);
  });

  it('lists the items, hot spots, notable cases with their timelines up to the night\'s end, and what each team did', async () => {
    const b = (await briefing(period(NIGHT))).body;
    const hot = await server.store.all(
      `SELECT grid_id AS "gridId", item_code AS "itemCode", COUNT(*) AS count FROM events
        WHERE reported_at >= ? AND reported_at < ? AND status <> 'not_admitted' GROUP BY grid_id, item_code HAVING COUNT(*) >= 2 ORDER BY count DESC, grid_id, item_code`,
      NIGHT.from,
      NIGHT.to,
    );
    expect(b.hotSpots.map((h) => ({ gridId: h.gridId, itemCode: h.itemCode, count: h.count }))).toEqual(hot);
    expect(b.hotSpots[0]).toMatchObject({ gridId: cases.get('N1')!.gridId, itemCode: cases.get('N1')!.itemCode });
    expect(b.hotSpots[0]!.count).toBeGreaterThanOrEqual(3);
    expect(b.topItems[0]).toMatchObject({ itemCode: cases.get('N1')!.itemCode });
    expect(b.topItems.reduce((s, i) => s + i.count, 0)).toBe(8);

    const notable = new Map(b.notable.map((n) => [n.case.id, n]));
    expect(notable.get(cases.get('N7')!.id)?.reasons).toEqual(['urgent']);
    const n4 = notable.get(cases.get('N4')!.id)!;
    expect(n4.reasons).toContain('supervised');
    expect(n4.steps.map((s) => s.action)).toEqual(['intake', 'supervise']);
    expect(n4.steps[1]).toMatchObject({ actor: users.get('demo-lead')!.displayName, note: '请加快处置' });

    const team = (id: string) => b.teams.find((t) => t.teamId === id);
    expect(team(FT)).toMatchObject({ dispatched: 2, handled: 1, closed: 2, returned: 1 });
    expect(team(T2)).toMatchObject({ dispatched: 2, handled: 0, closed: 0, returned: 0 });
  });

  it('takes plain days (China time) as /kpis does', async () => {
    const res = await briefing('from=2027-03-01&to=2027-03-01');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: iso(cst('2027-03-01T00:00:00')), to: iso(cst('2027-03-02T00:00:00')) });
    expect(res.body.shift).toBeNull();
    expect(res.body.issue).toBeNull();
    // not one shift: compared with the day before and the same day a week before
    expect(res.body.comparison.previous.period).toEqual({ from: iso(cst('2027-02-28T00:00:00')), to: iso(cst('2027-03-01T00:00:00')) });
    expect(res.body.comparison.weekAgo.period).toEqual({ from: iso(cst('2027-02-22T00:00:00')), to: iso(cst('2027-02-23T00:00:00')) });
  });
});

describe('the default period: the shift ending near the server\'s now', () => {
  const defaultAt = async (local: string) => {
    const saved = now;
    at(local);
    try {
      const res = await briefing('');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    } finally {
      now = saved;
    }
  };

  it('is the running night once more than half of it has passed: at 02:15 China time, counted as of then', async () => {
    const b = await defaultAt('2027-03-02T02:15:00');
    expect(b.period).toEqual(NIGHT);
    expect(b.asOf).toBe(iso(cst('2027-03-02T02:15:00')));
    expect(b.shift?.lead).toBe('王芳');
    expect(b.nearDeadlineUntil).toBe(NIGHT.to);
    expect(b.counts).toEqual(total(await countedBySql(NIGHT, b.asOf, NIGHT.to, null)));
    // as of 02:15: N4 under supervision, N3 back with the command centre, P1 not yet past its deadline (03:00)
    expect(b.cases.supervised.map((c) => c.id)).toContain(cases.get('N4')!.id);
    expect(b.cases.overdue.map((c) => c.id)).not.toContain(cases.get('P1')!.id);
    expect(b.cases.nearDeadline.map((c) => c.id)).toContain(cases.get('P1')!.id);
    const n3 = [...b.cases.overdue, ...b.cases.nearDeadline].find((c) => c.id === cases.get('N3')!.id);
    if (n3) expect(n3.status).toBe('filed');
  });

  it('is the day shift before while the night is less than half over (00:30, still 1 March in UTC)', async () => {
    const b = await defaultAt('2027-03-02T00:30:00');
    expect(b.period).toEqual(DAY);
    expect(b.asOf).toBe(DAY.to);
    expect(b.shift).toMatchObject({ name: '白班', lead: '李明' });
    expect(b.issue).toEqual({ year: 2027, number: 119 });
  });

  it('is the night just ended early in the next day shift', async () => {
    const b = await defaultAt('2027-03-02T09:00:00');
    expect(b.period).toEqual(NIGHT);
    expect(b.asOf).toBe(NIGHT.to);
  });
});

describe('who reads which briefing', () => {
  it('answers 400 naming the bad field', async () => {
    const fieldsOf = async (query: string) => {
      const res = await briefing(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      return res.body.error.fields!.map((f) => `${f.field}:${f.code}`);
    };
    expect(await fieldsOf(period({ from: NIGHT.to, to: NIGHT.from }))).toEqual(['to:not_after_from']);
    expect(await fieldsOf('from=2027-03-32&to=2027-04-01')).toEqual(['from:bad_format']);
    expect(await fieldsOf('from=yesterday')).toEqual(['from:bad_format']);
    expect(await fieldsOf('from=2027-01-01&to=2027-06-30')).toEqual(['to:period_too_long']);
    expect(await fieldsOf(`${period(NIGHT)}&town=330000000`)).toEqual(['town:unknown_field']);
    const en = await api<ApiError>(server.url, '/api/v1/briefings?from=2027-01-01&to=2027-06-30', { token: tokens.get('demo-lead'), headers: { 'accept-language': 'en' } });
    expect(en.body.error.fields![0]!.message).toBe('must be at most 93 days after from');
  });

  it('is for the roles that read figures: shift lead, dispatcher, duty officer (and the wall); not a field worker or an administrator', async () => {
    for (const u of ['demo-lead', 'demo-dispatcher', 'demo-duty', 'demo-wall']) expect((await briefing(period(NIGHT), u)).status, u).toBe(200);
    for (const u of ['demo-field', 'demo-sysadmin']) {
      const res = await briefing(period(NIGHT), u);
      expect(res.status, u).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      const xlsx = await api(server.url, `/api/v1/briefings/export.xlsx?${period(NIGHT)}`, { token: tokens.get(u) });
      expect(xlsx.status, `${u} xlsx`).toBe(403);
    }
  });

  it('limits a town dispatcher to their towns: figures, exports and the map', async () => {
    const scope = users.get('demo-town-dispatcher')!.scope;
    expect(scope).toMatchObject({ kind: 'towns', towns: [towns[0]] });
    const b = (await briefing(period(NIGHT), 'demo-town-dispatcher')).body;
    expect(b.byArea.map((t) => t.id)).toEqual([towns[0]]);
    const expected = await countedBySql(NIGHT, NIGHT.to, NEAR_UNTIL.night, [towns[0]!]);
    expect(b.counts).toEqual(total(expected));
    expect(b.kpis).toEqual((await kpisOf(NIGHT, 'demo-town-dispatcher')).total.kpis);
    for (const list of [b.cases.overdue, b.cases.nearDeadline, b.cases.supervised, b.notable.map((n) => n.case)]) {
      for (const c of list) expect(c.townId).toBe(towns[0]);
    }
    expect(b.hotSpots.every((h) => h.townId === towns[0])).toBe(true);

    const svg = await api<string>(server.url, `/api/v1/briefings/map.svg?${period(NIGHT)}`, { token: tokens.get('demo-town-dispatcher') });
    const marks = [...svg.body.matchAll(/data-event="(EV\d+)"/g)].map((m) => m[1]);
    const inTown = ['N1', 'N3', 'N7', 'N8', 'N9'].map((n) => cases.get(n)!.id);
    expect(marks.sort()).toEqual(inTown.sort());
    expect([...svg.body.matchAll(/data-town="(\d+)"/g)].map((m) => m[1])).toEqual([towns[0]]);
  });
});

describe('the map picture', () => {
  it('is an SVG drawn from the regions table: every town named, each admitted case of the period marked by urgency, filled while open', async () => {
    const res = await api<string>(server.url, `/api/v1/briefings/map.svg?${period(NIGHT)}`, { token: tokens.get('demo-lead') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = res.body;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|url\(/i);
    for (const t of await server.store.all<{ name: string }>("SELECT name FROM regions WHERE level = 'town'")) expect(svg).toContain(`fill="#2f2a1f">${t.name}</text>`);
    const marks = [...svg.matchAll(/data-event="(EV\d+)" data-urgency="(P\d)" data-open="(true|false)"/g)].map((m) => ({ id: m[1], urgency: m[2], open: m[3] === 'true' }));
    expect(marks).toHaveLength(8);
    expect(marks.find((m) => m.id === cases.get('N7')!.id)).toEqual({ id: cases.get('N7')!.id, urgency: 'P0', open: true });
    expect(marks.find((m) => m.id === cases.get('N1')!.id)?.open).toBe(false);
  });
});

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; lines end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('exports', () => {
  const download = async (path: string, user = 'demo-lead') => {
    const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${tokens.get(user)}` } });
    expect(res.status, path).toBe(200);
    return { bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  };
  const workbook = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  };
  /** The row of a sheet whose first cell is `label`, as plain values (index 1 = column A). */
  const rowOf = (ws: ExcelJS.Worksheet, label: string): ExcelJS.Row => {
    let found: ExcelJS.Row | undefined;
    ws.eachRow((row) => {
      if (!found && row.getCell(1).value === label) found = row;
    });
    if (!found) throw new Error(`no row ${label} in ${ws.name}`);
    return found;
  };

  it('XLSX: the same figures in numeric cells with formats, frozen Chinese headers, reporters unmasked for the shift lead', async () => {
    const b = (await briefing(period(NIGHT))).body;
    const { bytes, headers } = await download(`/api/v1/briefings/export.xlsx?${period(NIGHT)}`);
    expect(headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="briefing_20270301_1730-20270302_0830.xlsx"; filename*=UTF-8''${encodeURIComponent('交班简报_20270301_1730-20270302_0830.xlsx')}`,
    );
    const wb = await workbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['摘要', '各镇街指标', '案件', '在办案件', '高发事项', '热点网格', '队伍工作量', '重点事件']);

    const summary = wb.getWorksheet('摘要')!;
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
    expect(String(summary.getCell('A1').value)).toContain('交班简报');
    expect(rowOf(summary, '指标').values).toEqual([undefined, '指标', '单位', '本时段', '上一班次', '上周同班次']);
    const counts: Array<[string, keyof BriefingCounts]> = [['上报', 'reported'], ['立案', 'filed'], ['派遣', 'dispatched'], ['结案', 'closed'], ['超期未结', 'overdueOpen'], ['临期', 'nearDeadline']];
    for (const [label, key] of counts) {
      const row = rowOf(summary, label);
      expect([row.getCell(3).value, row.getCell(4).value, row.getCell(5).value], label).toEqual([b.counts[key], b.comparison.previous.counts[key], b.comparison.weekAgo.counts[key]]);
      expect(row.getCell(3).numFmt).toBe('0');
    }
    const rate = rowOf(summary, '立案率').getCell(3);
    expect(typeof rate.value).toBe('number');
    expect(rate.value as number).toBeCloseTo(b.kpis.filingRate! / 100, 10);
    expect(rate.numFmt).toBe('0.00%');

    const byTown = wb.getWorksheet('各镇街指标')!;
    expect(byTown.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(byTown.getRow(1).getCell(2).value).toBe('上报（件）');
    for (const t of [...b.byArea, { name: '合计', counts: b.counts, kpis: b.kpis }]) {
      const row = rowOf(byTown, t.name);
      expect(row.getCell(2).value, t.name).toBe(t.counts.reported);
      expect(typeof row.getCell(2).value).toBe('number');
      expect(row.getCell(9).value, t.name).toBe(t.counts.overdueOpen);
      const onTime = row.getCell(15);
      if (t.kpis.onTimeClosureRate === null) expect(onTime.value ?? null).toBeNull();
      else expect(onTime.value as number).toBeCloseTo(t.kpis.onTimeClosureRate / 100, 10);
    }

    const reported = wb.getWorksheet('案件')!;
    expect(reported.rowCount - 1).toBe(b.counts.reported);
    const n1 = rowOf(reported, cases.get('N1')!.id);
    expect(n1.getCell(10).value).toBe('13905710001');
    expect(n1.getCell(2).value).toEqual(new Date(Date.parse(cases.get('N1')!.reportedAt) + 8 * 3600_000));
    expect(n1.getCell(2).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(wb.getWorksheet('在办案件')!.rowCount - 1).toBe(b.counts.open);

    const audit = (await server.store.get<{ username: string; result: string; details: string }>(
      "SELECT username, result, details FROM audit_log WHERE action = 'briefing:export' AND username = 'demo-lead' ORDER BY seq DESC LIMIT 1",
    ))!;
    expect(JSON.parse(audit.details)).toMatchObject({ format: 'xlsx', from: NIGHT.from, to: NIGHT.to, personalData: 'unmasked', cases: 9 });
  });

  it('XLSX: reporters masked for a role that does not see personal data (the wall)', async () => {
    const { bytes } = await download(`/api/v1/briefings/export.xlsx?${period(NIGHT)}`, 'demo-wall');
    const row = rowOf((await workbook(bytes)).getWorksheet('案件')!, cases.get('N1')!.id);
    expect([row.getCell(9).value, row.getCell(10).value]).toEqual([maskName('王建国'), '139****0001']);
    const audit = (await server.store.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'briefing:export' AND username = 'demo-wall' ORDER BY seq DESC LIMIT 1"))!;
    expect(JSON.parse(audit.details)).toMatchObject({ format: 'xlsx', personalData: 'masked' });
  });

  it('CSV: UTF-8 with a BOM, RFC 4180, the total and each town with the same counts and rates', async () => {
    const b = (await briefing(period(NIGHT))).body;
    const { bytes, headers } = await download(`/api/v1/briefings/export.csv?${period(NIGHT)}`);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const header = rows[0]!;
    expect(header.slice(0, 6)).toEqual(['范围', '镇街编码', '时段开始', '时段结束', '在办截至', '上报（件）']);
    expect(rows).toHaveLength(2 + b.byArea.length);
    const col = (name: string) => header.indexOf(name);
    for (const [row, figures] of [[rows[1]!, b] as const, ...b.byArea.map((t, i) => [rows[i + 2]!, t] as const)]) {
      expect(row[col('上报（件）')]).toBe(String(figures.counts.reported));
      expect(row[col('派遣（件）')]).toBe(String(figures.counts.dispatched));
      expect(row[col('超期未结（件）')]).toBe(String(figures.counts.overdueOpen));
      expect(row[col('按期结案率（%）')]).toBe(figures.kpis.onTimeClosureRate === null ? '' : String(figures.kpis.onTimeClosureRate));
    }
    expect(rows[1]!.slice(0, 5)).toEqual(['合计', '', '2027-03-01 17:30', '2027-03-02 08:30', '2027-03-02 08:30']);
    const audit = (await server.store.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'briefing:export' ORDER BY seq DESC LIMIT 1"))!;
    expect(JSON.parse(audit.details)).toMatchObject({ format: 'csv', from: NIGHT.from, to: NIGHT.to });
  });
});

describe('the automatic briefing (--briefing-dir)', () => {
  const cleanup = cleanupAfterAll();

  it('writes the county\'s briefing of each shift that ended into the folder, once, as JSON, XLSX, CSV and SVG', async () => {
    const dir = join(cleanup.tempDir(), 'briefings');
    // the seeded county's last night, ended an hour ago on this server's clock
    let at = cst('2026-11-20T09:30:00');
    const own = await startTestServer({ clock: { now: () => new Date(at) }, config: { briefingDir: dir } });
    cleanup.later(() => own.stop());
    const auto = own.handles.autoBriefing!;
    await auto.writeDue();
    const night = { from: iso(cst('2026-11-19T17:30:00')), to: iso(cst('2026-11-20T08:30:00')) };
    const base = '交班简报_20261119_1730-20261120_0830';
    expect(readdirSync(dir).sort()).toEqual([`${base}.csv`, `${base}.json`, `${base}.svg`, `${base}.xlsx`]);

    const json = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8')) as BriefingResponse;
    const lead = await loginAs(own.url, 'demo-lead');
    const served = (await api<BriefingResponse>(own.url, `/api/v1/briefings?${period(night)}`, { token: lead })).body;
    expect(json).toEqual(served);
    expect(json.counts.reported).toBeGreaterThan(0);
    expect([...readFileSync(join(dir, `${base}.csv`)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readFileSync(join(dir, `${base}.svg`), 'utf8')).toMatch(/^<svg xmlns/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, `${base}.xlsx`));
    const cases = wb.getWorksheet('案件')!;
    expect(cases.rowCount - 1).toBe(json.counts.reported);
    // reporters masked: a folder is read by whoever can open it
    const phones = cases.getColumn(10).values.slice(2) as string[];
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(phone).toMatch(/\*{4}/);

    // the same shift again: nothing; once the day shift has ended: its briefing
    at = cst('2026-11-20T12:00:00');
    expect(await auto.writeDue()).toEqual([]);
    at = cst('2026-11-20T17:31:00');
    expect((await auto.writeDue()).map((f) => f.slice(dir.length + 1))).toContain('交班简报_20261120_0830-20261120_1730.xlsx');
    expect(existsSync(join(dir, '交班简报_20261120_0830-20261120_1730.json'))).toBe(true);
    const audited = await own.store.all<{ username: string; details: string }>("SELECT username, details FROM audit_log WHERE action = 'briefing:export' ORDER BY seq");
    expect(audited.map((a) => [a.username, (JSON.parse(a.details) as { format: string; from: string }).from])).toEqual([
      ['system', night.from],
      ['system', iso(cst('2026-11-20T08:30:00'))],
    ]);
  });
});
