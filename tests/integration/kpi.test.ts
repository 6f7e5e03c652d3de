import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventRecord } from '../../shared/contracts/events.js';
import type { KpiCounts, KpiResponse } from '../../shared/contracts/kpi.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { Clock } from '../../server/src/core/clock.js';
import { api, intakeAt, login, startTestServer, type TestServer } from './harness.js';
import { microGridPointIn } from './store-rows.js';

/**
 * A small, known set of cases built through the API on a clock of our own, far from the seeded
 * history, and the KPIs of domain.md §5 checked exactly against it:
 *
 *   case  town  reported   path                                        team  handler  due in P1  closed    notes
 *   A     1     T0         file, dispatch, accept, start, report,      FT    field    yes        on time   carry-over: reported before P1
 *                          verify, close
 *   Y     2     T0+10m     auto-dispatched at intake                   T2    -        yes        no        machine dispatch
 *   B     1     T0+10m     … report, rework, report, verify, close     FT    field    yes        on time   rework
 *   C     2     T0+10m     file, dispatch, accept, start               T2    -        yes        no
 *   D     2     T0+10m     file                                        -     -        yes        no
 *   E     1     T0+10m     reject (不予立案)                            -     -        no         -
 *   F     2     T0+10m     (nothing)                                   -     -        yes        no
 *   G     1     T0+10m     not admitted                                -     -        no         -         not counted at all
 *   X     1     T0+10m     … accept, request + approve extension       FT    -        yes        no        extended
 *   H     2     T0+10m     … report (duty), verify, close after due    T2    duty     yes        late
 *
 * P1 = [T0+5m, T0+60d), P0 = [T0-1d, T0+5m).
 */
const T0 = Date.parse('2027-03-01T09:00:00+08:00'); // a Monday, months after the seeded history
let now = T0;
const clock: Clock = { now: () => new Date(now) };

let server: TestServer;
let catalog: CatalogResponse;
let towns: string[];
const tokens = new Map<string, string>();
const users = new Map<string, { id: string; displayName: string; teamId: string | null }>();
const cases = new Map<string, EventRecord>();
let FT: string;
let T2: string;

const iso = (ms: number) => new Date(ms).toISOString();
const P1 = { from: iso(T0 + 5 * 60_000), to: iso(T0 + 60 * 86_400_000) };
const P0 = { from: iso(T0 - 86_400_000), to: iso(T0 + 5 * 60_000) };

async function loginAll() {
  for (const u of ['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-field', 'demo-town-dispatcher', 'demo-wall']) {
    const res = await login(server.url, u);
    expect(res.status).toBe(200);
    const body = res.body as LoginResponse;
    tokens.set(u, body.token);
    users.set(u, { id: body.user.id, displayName: body.user.displayName, teamId: body.user.teamId });
  }
}

const kpis = (query: string, user = 'demo-dispatcher', lang?: string) =>
  api<KpiResponse & ApiError>(server.url, `/api/v1/kpis?${query}`, { token: tokens.get(user), ...(lang ? { headers: { 'accept-language': lang } } : {}) });
const period = (p: { from: string; to: string }, groupBy?: string) =>
  new URLSearchParams({ from: p.from, to: p.to, ...(groupBy ? { groupBy } : {}) }).toString();

/** A label point of a micro-grid of the village (or of the first village of the town). */
const pointOf = (region: string) => microGridPointIn(server.store, region, cases.size % 3);

async function intake(name: string, item: CatalogItem, urgency: CatalogItem['defaultUrgency'], region: string, itemCode = item.code): Promise<EventRecord> {
  const res = await api<EventCreated>(server.url, '/api/v1/events', {
    method: 'POST',
    token: tokens.get('demo-dispatcher'),
    json: intakeAt(itemCode, await pointOf(region), { urgency, description: `KPI case ${name}` }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  cases.set(name, res.body.event);
  return res.body.event;
}

async function act(name: string, user: string, request: ActionRequest): Promise<EventRecord> {
  const id = cases.get(name)!.id;
  const res = await api<ActionResult>(server.url, `/api/v1/events/${id}/actions`, { method: 'POST', token: tokens.get(user), json: request });
  expect(res.status, `${name} ${request.action} by ${user}: ${JSON.stringify(res.body)}`).toBe(200);
  cases.set(name, res.body.event);
  return res.body.event;
}

/** The teams are chosen for the figures, not the item's team type: a dispatch says why (ignored where the team fits). */
const OVERRIDE = { reason: '统计测试：指定队伍' };

/** file → dispatch → accept → start → report, the team's steps by `handler`. */
async function toHandled(name: string, team: string, handler: string) {
  await act(name, 'demo-dispatcher', { action: 'file' });
  await act(name, 'demo-dispatcher', { action: 'dispatch', teamId: team, override: OVERRIDE });
  await act(name, handler, { action: 'accept' });
  await act(name, handler, { action: 'start' });
  await act(name, handler, { action: 'report', result: '已处置完毕' });
}

const counts = (c: Partial<KpiCounts>): KpiCounts => ({ accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0, ...c });

beforeAll(async () => {
  server = await startTestServer({ clock, config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 200 } } });
  await loginAll();
  catalog = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
  towns = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code")).map((t) => t.id);
  FT = users.get('demo-field')!.teamId!;
  expect(FT).toMatch(/^TM/);
  const ftVillage = (await server.store.get<{ v: string }>('SELECT home_region_id AS v FROM teams WHERE id = ?', FT))!.v;
  // every team free, so dispatching and the machine's choice do not depend on the seeded statuses
  await server.store.run("UPDATE teams SET status = 'available'");

  // manual: the machine never dispatches it at this urgency; auto: it does
  const manual = catalog.items.flatMap((item) => item.urgencies.filter((u) => !item.autoDispatch?.urgencies.includes(u) && item.verificationRequired).map((u) => ({ item, urgency: u })))[0]!;
  const auto = catalog.items.flatMap((item) => (item.autoDispatch?.urgencies ?? []).map((u) => ({ item, urgency: u })))[0]!;
  expect(manual).toBeDefined();
  expect(auto).toBeDefined();
  const m = (name: string, region: string) => intake(name, manual.item, manual.urgency, region);

  // --- T0: the carry-over
  await m('A', ftVillage);
  await toHandled('A', FT, 'demo-field');
  await act('A', 'demo-lead', { action: 'verify' });
  await act('A', 'demo-dispatcher', { action: 'close' });

  // --- T0 + 10 min: the period's cases
  now = T0 + 10 * 60_000;
  await loginAll();
  const y = await intake('Y', auto.item, auto.urgency, towns[1]!);
  expect(y).toMatchObject({ autoDispatched: true, status: 'dispatched' });
  T2 = y.teamId!;

  await m('B', ftVillage);
  await toHandled('B', FT, 'demo-field');
  await act('B', 'demo-lead', { action: 'rework', reason: '现场仍有垃圾' });
  await act('B', 'demo-field', { action: 'report', result: '已清理干净' });
  await act('B', 'demo-lead', { action: 'verify' });
  await act('B', 'demo-dispatcher', { action: 'close' });

  await m('C', towns[1]!);
  await act('C', 'demo-dispatcher', { action: 'file' });
  await act('C', 'demo-dispatcher', { action: 'dispatch', teamId: T2, override: OVERRIDE });
  await act('C', 'demo-duty', { action: 'accept' });
  await act('C', 'demo-duty', { action: 'start' });

  await m('D', towns[1]!);
  await act('D', 'demo-dispatcher', { action: 'file' });

  await m('E', ftVillage);
  await act('E', 'demo-dispatcher', { action: 'reject', reason: '属于刑事案件', receivingBody: '县公安局' });

  await m('F', towns[1]!);

  const g = await intake('G', manual.item, manual.urgency, ftVillage, 'ZZ99');
  expect(g.status).toBe('not_admitted');

  await m('X', ftVillage);
  await act('X', 'demo-dispatcher', { action: 'file' });
  await act('X', 'demo-dispatcher', { action: 'dispatch', teamId: FT, override: OVERRIDE });
  await act('X', 'demo-field', { action: 'accept' });
  await act('X', 'demo-field', { action: 'request-extension', reason: '需等待配件', extension: { value: 1, unit: 'work_days' } });
  await act('X', 'demo-duty', { action: 'approve-extension' });

  await m('H', towns[1]!);
  await toHandled('H', T2, 'demo-duty');
  const h = await act('H', 'demo-lead', { action: 'verify' });

  // --- after H's closing deadline: H closes late
  now = Date.parse(h.dueAt!) + 3_600_000;
  await loginAll();
  await act('H', 'demo-dispatcher', { action: 'close' });
}, 60_000);
afterAll(async () => server?.stop());

describe('the constructed cases', () => {
  it('have closing deadlines inside the period (A before it started), and the states the table says', () => {
    const get = (n: string) => cases.get(n)!;
    expect(Date.parse(get('A').reportedAt)).toBeLessThan(Date.parse(P1.from));
    for (const n of ['A', 'Y', 'B', 'C', 'D', 'F', 'X', 'H']) {
      const due = Date.parse(get(n).dueAt!);
      expect(due, n).toBeGreaterThanOrEqual(Date.parse(P1.from));
      expect(due, n).toBeLessThan(Date.parse(P1.to));
    }
    expect(Object.fromEntries([...cases].map(([n, e]) => [n, e.status]))).toEqual({
      A: 'closed', Y: 'dispatched', B: 'closed', C: 'in_progress', D: 'filed', E: 'rejected', F: 'reported', G: 'not_admitted', X: 'accepted', H: 'closed',
    });
    expect(get('B').reworkCount).toBe(1);
    expect(get('X').extensionCount).toBe(1);
    expect(Date.parse(get('H').closedAt!)).toBeGreaterThan(Date.parse(get('H').dueAt!));
  });
});

describe('GET /api/v1/kpis', () => {
  it('counts the period exactly, carry-over included, and computes the rates', async () => {
    const res = await kpis(period(P1));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ from: P1.from, to: P1.to, groupBy: null, groups: [] });
    expect(res.body.total.counts).toEqual(counts({ accepted: 8, filed: 6, dispatched: 5, due: 8, closed: 3, closedOnTime: 2, rework: 1, extended: 1 }));
    expect(res.body.total.kpis).toEqual({ filingRate: 75, dispatchRate: 83.33, closureRate: 37.5, onTimeClosureRate: 25, reworkRate: 12.5, extensionRate: 12.5 });
    expect(res.body.autoDispatch).toEqual({ dispatched: 5, auto: 1, share: 20 });
  });

  it('counts the carry-over as accepted in its own period, and nothing due there', async () => {
    const res = await kpis(period(P0));
    expect(res.status).toBe(200);
    expect(res.body.total.counts).toEqual(counts({ accepted: 1, filed: 1, dispatched: 1 }));
    expect(res.body.total.kpis).toEqual({ filingRate: 100, dispatchRate: 100, closureRate: null, onTimeClosureRate: null, reworkRate: null, extensionRate: null });
    expect(res.body.autoDispatch).toEqual({ dispatched: 1, auto: 0, share: 0 });
  });

  it('groups by town, ranked by on-time closure', async () => {
    const res = await kpis(period(P1, 'town'));
    expect(res.status).toBe(200);
    const names = Object.fromEntries((await server.store.all<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'town'")).map((r) => [r.id, r.name]));
    expect(res.body.groups.map((g) => ({ key: g.key, name: g.name, rank: g.rank, counts: g.counts }))).toEqual([
      { key: towns[0], name: names[towns[0]!], rank: 1, counts: counts({ accepted: 3, filed: 2, dispatched: 2, due: 3, closed: 2, closedOnTime: 2, rework: 1, extended: 1 }) },
      { key: towns[1], name: names[towns[1]!], rank: 2, counts: counts({ accepted: 5, filed: 4, dispatched: 3, due: 5, closed: 1, closedOnTime: 0 }) },
    ]);
    expect(res.body.groups[0]!.kpis.onTimeClosureRate).toBe(66.67);
    expect(res.body.groups[1]!.kpis).toMatchObject({ closureRate: 20, onTimeClosureRate: 0, filingRate: 80, dispatchRate: 75 });
    expect(res.body.total.counts).toEqual(counts({ accepted: 8, filed: 6, dispatched: 5, due: 8, closed: 3, closedOnTime: 2, rework: 1, extended: 1 }));
  });

  it('groups by team: cases never dispatched under "not dispatched"', async () => {
    const res = await kpis(period(P1, 'team'));
    expect(res.status).toBe(200);
    const teamName = async (id: string) => (await server.store.get<{ name: string }>('SELECT name FROM teams WHERE id = ?', id))!.name;
    expect(res.body.groups.map((g) => ({ key: g.key, name: g.name, rank: g.rank, counts: g.counts }))).toEqual([
      { key: FT, name: await teamName(FT), rank: 1, counts: counts({ accepted: 2, filed: 2, dispatched: 2, due: 3, closed: 2, closedOnTime: 2, rework: 1, extended: 1 }) },
      { key: T2, name: await teamName(T2), rank: 2, counts: counts({ accepted: 3, filed: 3, dispatched: 3, due: 3, closed: 1 }) },
      { key: '', name: '未派遣', rank: 3, counts: counts({ accepted: 3, filed: 1, due: 2 }) },
    ]);
    const en = await kpis(period(P1, 'team'), 'demo-dispatcher', 'en');
    expect(en.body.groups.find((g) => g.key === '')!.name).toBe('not dispatched');
  });

  it('groups by worker (the handler who reported back); cases without one under "no handler recorded"', async () => {
    const res = await kpis(period(P1, 'worker'));
    expect(res.status).toBe(200);
    const field = users.get('demo-field')!;
    const duty = users.get('demo-duty')!;
    expect(res.body.groups.map((g) => ({ key: g.key, name: g.name, rank: g.rank, counts: g.counts }))).toEqual([
      { key: field.id, name: field.displayName, rank: 1, counts: counts({ accepted: 1, filed: 1, dispatched: 1, due: 2, closed: 2, closedOnTime: 2, rework: 1 }) },
      { key: duty.id, name: duty.displayName, rank: 2, counts: counts({ accepted: 1, filed: 1, dispatched: 1, due: 1, closed: 1 }) },
      { key: '', name: '未记录处置人', rank: 3, counts: counts({ accepted: 6, filed: 4, dispatched: 3, due: 5, extended: 1 }) },
    ]);
    const en = await kpis(period(P1, 'worker'), 'demo-dispatcher', 'en');
    expect(en.body.groups.find((g) => g.key === '')!.name).toBe('no handler recorded');
  });

  it('groups by village and grid with readable names; the groups add up to the total', async () => {
    for (const groupBy of ['village', 'grid']) {
      const res = await kpis(period(P1, groupBy));
      expect(res.status).toBe(200);
      expect(res.body.groups.length).toBeGreaterThan(1);
      const sum = res.body.groups.reduce((s, g) => s + g.counts.accepted + g.counts.due, 0);
      expect(sum).toBe(8 + 8);
      for (const g of res.body.groups) expect(g.name).toContain(' › ');
      const ranks = res.body.groups.map((g) => g.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('limits a town user to its towns', async () => {
    const res = await kpis(period(P1, 'town'), 'demo-town-dispatcher');
    expect(res.status).toBe(200);
    expect(res.body.total.counts).toEqual(counts({ accepted: 3, filed: 2, dispatched: 2, due: 3, closed: 2, closedOnTime: 2, rework: 1, extended: 1 }));
    expect(res.body.groups.map((g) => g.key)).toEqual([towns[0]]);
    expect(res.body.autoDispatch).toEqual({ dispatched: 2, auto: 0, share: 0 });
  });

  it('is for roles with kpi:read only', async () => {
    expect((await kpis(period(P1), 'demo-wall')).status).toBe(200);
    const res = await kpis(period(P1), 'demo-field');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('takes plain days (China time, `to` inclusive) and defaults to today', async () => {
    const day = (await kpis('from=2027-03-01&to=2027-03-01')).body;
    expect([day.from, day.to]).toEqual(['2027-02-28T16:00:00.000Z', '2027-03-01T16:00:00.000Z']);
    const week = (await kpis('from=2027-03-01&to=2027-03-07&groupBy=town')).body;
    expect([week.from, week.to]).toEqual(['2027-02-28T16:00:00.000Z', '2027-03-07T16:00:00.000Z']);
    // no period: today on the server's clock, whatever the hour
    const today = (await kpis('')).body;
    const startOfToday = new Date(Date.UTC(2027, 1, 28, 16) + Math.floor((now - Date.UTC(2027, 1, 28, 16)) / 86_400_000) * 86_400_000);
    expect([today.from, today.to]).toEqual([startOfToday.toISOString(), new Date(startOfToday.getTime() + 86_400_000).toISOString()]);
    expect((await kpis(`from=${encodeURIComponent(P1.from)}`)).body.to).toBe(new Date(Date.UTC(2027, 2, 1, 16)).toISOString());
    // an instant still means that instant
    expect((await kpis(period(P1))).body).toMatchObject({ from: P1.from, to: P1.to });
  });

  it('answers 400 naming the bad fields', async () => {
    const fieldsOf = async (query: string) => {
      const res = await kpis(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      return res.body.error.fields!.map((f) => `${f.field}:${f.code}`).sort();
    };
    expect(await fieldsOf(period({ from: P1.to, to: P1.from }))).toEqual(['to:not_after_from']);
    expect(await fieldsOf(period({ from: P1.from, to: P1.from }))).toEqual(['to:not_after_from']);
    expect(await fieldsOf(new URLSearchParams({ from: '2027-03-32', to: P1.to }).toString())).toEqual(['from:bad_format']);
    expect(await fieldsOf(new URLSearchParams({ from: 'yesterday' }).toString())).toEqual(['from:bad_format']);
    expect(await fieldsOf(period(P1, 'province'))).toEqual(['groupBy:not_allowed']);
    expect(await fieldsOf(new URLSearchParams({ from: '2027-03-02', to: '2027-03-01' }).toString())).toEqual(['to:not_after_from']);
    expect(await fieldsOf(`${period(P1)}&village=330000000`)).toEqual(['village:unknown_field']);
  });
});
