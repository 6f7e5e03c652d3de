import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertBatchAckResponse, AlertClearReason, AlertKind, AlertListResponse, AlertPayload } from '../../shared/contracts/alerts.js';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { OPEN_STATUSES, TEAM_STATUSES, type EventRecord } from '../../shared/contracts/events.js';
import type { TeamListResponse } from '../../shared/contracts/teams.js';
import { DEFAULT_AUTH_CONFIG } from '../../server/src/modules/auth/auth.service.js';
import { databaseFile } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { api, connectClient, SMALL_COUNTY, startTestServer, tempDataDir, waitFor, type TestServer, type TestSocket } from './harness.js';
import { act, as, catalogOf, done, getEvent, manual, pick, pointIn, reported, TestClock, towns, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county; the county was seeded as of 2026-11-20.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const data = tempDataDir();
// the test clock jumps past deadlines and silences: sessions must outlive the jumps
const config = { auth: { ...DEFAULT_AUTH_CONFIG, idleTimeoutMinutes: 30 * 24 * 60, sessionLifetimeHours: 24 * 365 } };
const MINUTE = 60_000;
let server: TestServer;
let catalog: CatalogResponse;
let dispatcher: Who;
let duty: Who;
let lead: Who;
let field: Who;
let townDispatcher: Who;
let fieldTown: string;
let otherTown: string;
const sockets: TestSocket[] = [];

async function logins() {
  [dispatcher, duty, lead, field, townDispatcher] = (await Promise.all(['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-field', 'demo-town-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who, Who, Who];
}

/** Stops the server and starts a new one on the same data folder and clock, as after a restart. */
async function restart() {
  await server.stop();
  server = await startTestServer({ dataDir: data.dir, clock, config });
  await logins();
}

beforeAll(async () => {
  server = await startTestServer({ dataDir: data.dir, clock, config });
  await logins();
  fieldTown = field.towns![0]!;
  otherTown = (await towns(server.url)).find((t) => t !== fieldTown)!;
  catalog = await catalogOf(server.url);
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  data.remove();
});

/** A console that records alert pushes. */
async function console_(who: Who) {
  const client = connectClient(server.url, { token: who.token });
  sockets.push(client.socket);
  const raised: Alert[] = [];
  const acked: Alert[] = [];
  const cleared: Alert[] = [];
  const order: string[] = [];
  client.socket.on('alert:raised', (p: AlertPayload) => (raised.push(p.alert), order.push(`raised ${p.alert.kind}`)));
  client.socket.on('alert:acked', (p: AlertPayload) => acked.push(p.alert));
  client.socket.on('alert:cleared', (p: AlertPayload) => (cleared.push(p.alert), order.push(`cleared ${p.alert.kind}`)));
  await client.ready;
  return { socket: client.socket, raised, acked, cleared, order };
}

const alertsOf = async (who: Who, query = 'state=open') => (await api<AlertListResponse & ApiError>(server.url, `/api/v1/alerts?${query}&pageSize=500`, { token: who.token })).body;
const stored = async (where: string, ...args: unknown[]) => (await server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM alerts WHERE ${where}`, ...args))!.n;
const ack = (who: Who, id: string, body: unknown = {}) => api<{ alert: Alert } & ApiError>(server.url, `/api/v1/alerts/${id}/ack`, { method: 'POST', json: body, token: who.token });
const ackGroup = (who: Who, body: unknown) => api<AlertBatchAckResponse & ApiError>(server.url, '/api/v1/alerts/ack', { method: 'POST', json: body, token: who.token });
const sweepDeadlines = () => server.handles.deadlines.sweep();
const sweepAlerts = () => server.handles.alerts.sweep();

/** The one alert of this kind about the case, as the API lists it (any state). */
async function alertOf(eventId: string, kind: AlertKind): Promise<Alert> {
  const found = (await alertsOf(dispatcher, `state=all&kind=${kind}`)).items.filter((a) => a.eventId === eventId);
  expect(found, `${kind} alerts of ${eventId}`).toHaveLength(1);
  return found[0]!;
}

const openIds = async (who: Who = dispatcher) => (await alertsOf(who)).items.map((a) => a.id);

async function urgentCase(town = fieldTown, nth = 0): Promise<EventRecord> {
  const item = pick(catalog, 'urgent and dispatched by hand', (i, u) => (u === 'P0' || u === 'P1') && manual(i, u) && i.verificationRequired);
  return reported(server.url, duty, item, await pointIn(server.url, town, nth), { description: `告警测试 ${Math.random()}` });
}

/** A routine (P2/P3) case. Its overdue steps raise alerts only under supervision (督办), so by default it is supervised. */
async function routineCase(town = fieldTown, nth = 0, { supervised = true } = {}): Promise<EventRecord> {
  const item = pick(catalog, 'routine and dispatched by hand', (i, u) => u !== 'P0' && u !== 'P1' && manual(i, u) && i.verificationRequired);
  const e = await reported(server.url, duty, item, await pointIn(server.url, town, nth), { description: `告警测试 ${Math.random()}` });
  if (supervised) await done(server.url, duty, e.id, { action: 'supervise', note: '带班领导督办' });
  return getEvent(server.url, dispatcher, e.id);
}

/** A dispatch to this team whatever the item: alerts, not the ranking, are under test here. */
const dispatchTo = (teamId: string) => ({ action: 'dispatch' as const, teamId, override: { reason: '告警测试：指定队伍' } });

async function toTeam(id: string, teamId = field.teamId!) {
  await done(server.url, dispatcher, id, { action: 'file' });
  return done(server.url, dispatcher, id, dispatchTo(teamId));
}

/** Moves the clock just past the case's current deadline and lets the monitor see it. */
async function overdueNow(id: string): Promise<EventRecord> {
  const e = await getEvent(server.url, dispatcher, id);
  clock.set(new Date(Date.parse(e.deadlineAt!) + MINUTE));
  await sweepDeadlines();
  return getEvent(server.url, dispatcher, id);
}

/** Waits for the push of the alert's clearing and checks when and why, and that it left the open list but not the history. */
async function expectCleared(c: { cleared: Alert[] }, alert: Alert, reason: AlertClearReason) {
  await waitFor(() => c.cleared.some((a) => a.id === alert.id), 10_000, `alert:cleared of ${alert.kind} ${alert.id}`);
  expect(c.cleared.find((a) => a.id === alert.id)!.cleared).toEqual({ at: expect.any(String), reason });
  expect(await openIds()).not.toContain(alert.id);
  const history = (await alertsOf(dispatcher, 'state=cleared')).items.find((a) => a.id === alert.id);
  expect(history?.cleared?.reason).toBe(reason);
}

describe('a fresh start', () => {
  // Seeded as of the moment the server starts, as `npm start` does: the seeder writes the
  // history (cases already overdue included) without alerts, and the deadline monitor has no
  // crossing left to see.
  const freshClock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
  const dir = tempDataDir();
  let fresh: TestServer;
  const start = () => startTestServer({ dataDir: dir.dir, clock: freshClock, config });
  const count = async () => (await fresh.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM alerts'))!.n;
  const open = async () => (await api<AlertListResponse>(fresh.url, '/api/v1/alerts?state=open&pageSize=500', { token: fresh.token })).body;

  beforeAll(async () => {
    const db = openDatabase(databaseFile(dir.dir));
    seedDemo(db, { ...SMALL_COUNTY, days: 5, asOf: freshClock.now() });
    db.close();
    fresh = await start();
  });
  afterAll(async () => {
    await fresh?.stop();
    dir.remove();
  });

  it('raises one alert per case already overdue (and P0/P1 near its deadline), and no team is silent', async () => {
    const openStatuses = OPEN_STATUSES.map((s) => `'${s}'`).join(',');
    const standing = await fresh.store.all<{ id: string; urgency: string; supervised: number; state: string }>(
      `SELECT id, urgency, supervised, deadline_state AS state FROM events WHERE status IN (${openStatuses}) AND step IS NOT NULL AND deadline_at IS NOT NULL AND deadline_state <> 'ok'`,
    );
    // overdue P0/P1 steps, and routine ones a leader supervises; other routine ones are the queue's 超期 tab
    const overdue = standing.filter((c) => c.state === 'overdue' && (c.urgency === 'P0' || c.urgency === 'P1' || c.supervised === 1));
    const near = standing.filter((c) => c.state === 'warning' && (c.urgency === 'P0' || c.urgency === 'P1'));
    expect(overdue.length).toBeGreaterThan(0);
    // the seeder marked them overdue: no change of the monitor's announced them again (a step due at
    // the very instant the server starts is the monitor's to announce: the seeder's monitor runs a
    // second after a deadline, as the server's tick would)
    const asOf = freshClock.now().getTime();
    const announced = await fresh.store.all<{ deadlineAt: string }>(
      `SELECT e.deadline_at AS "deadlineAt" FROM event_changes c JOIN events e ON e.id = c.event_id WHERE c.kind = 'deadline-overdue' AND c.at >= ?`,
      new Date(asOf).toISOString(),
    );
    expect(announced.filter((a) => Date.parse(a.deadlineAt) + 1000 < asOf)).toEqual([]);

    const { items, groups, total } = await open();
    expect(items.filter((a) => a.kind === 'overdue').map((a) => a.eventId).sort()).toEqual(overdue.map((c) => c.id).sort());
    expect(items.filter((a) => a.kind === 'near_deadline').map((a) => a.eventId).sort()).toEqual(near.map((c) => c.id).sort());
    expect(items.map((a) => a.kind).filter((k) => k !== 'overdue' && k !== 'near_deadline')).toEqual([]);
    for (const a of items.filter((x) => x.kind === 'overdue')) {
      const urgency = overdue.find((c) => c.id === a.eventId)!.urgency;
      expect(a.severity, a.eventId!).toBe(urgency === 'P0' ? 'critical' : urgency === 'P1' ? 'warning' : 'notice');
    }
    expect(total).toBe(items.length);
    expect(groups.find((g) => g.kind === 'overdue')).toMatchObject({ count: overdue.length });

    // teams last heard from before the server started are never counted silent
    freshClock.advance(3 * 60 * MINUTE);
    expect((await fresh.handles.alerts.sweep()).raised).toBe(0);
    expect(await fresh.store.get("SELECT COUNT(*) AS n FROM alerts WHERE kind = 'team_silent'")).toEqual({ n: 0 });
  });

  it('raises nothing twice across restarts, acknowledged alerts included', async () => {
    await fresh.handles.deadlines.sweep();
    await fresh.handles.alerts.sweep();
    const first = (await open()).items.find((a) => a.kind === 'overdue')!;
    const acked = await api(fresh.url, `/api/v1/alerts/${first.id}/ack`, { method: 'POST', json: { note: '已知晓' }, token: fresh.token });
    expect(acked.status).toBe(200);
    const before = await count();
    await fresh.stop();
    fresh = await start();
    expect(await count()).toBe(before);
    expect(await fresh.handles.alerts.sweep()).toEqual({ raised: 0, cleared: 0 });
    expect((await open()).items.map((a) => a.id)).not.toContain(first.id);
    expect(await fresh.store.get("SELECT COUNT(*) AS n FROM alerts WHERE event_id = ? AND kind = 'overdue'", first.eventId)).toEqual({ n: 1 });
  });
});

describe('alerts are raised once per cause, stored and pushed', () => {
  it('urgent_event: a P0/P1 intake, not a routine one', async () => {
    const c = await console_(dispatcher);
    const urgent = await urgentCase();
    const routine = await routineCase();
    await waitFor(() => c.raised.some((a) => a.eventId === urgent.id), 10_000, 'the urgent alert');
    expect(c.raised.find((a) => a.eventId === urgent.id)).toMatchObject({
      kind: 'urgent_event',
      severity: urgent.urgency === 'P0' ? 'critical' : 'warning',
      townId: urgent.townId,
      raisedAt: clock.now().toISOString(),
      params: { urgency: urgent.urgency, itemName: urgent.itemName, address: urgent.address },
      acked: null,
      cleared: null,
    });
    expect(await stored('event_id = ?', urgent.id)).toBe(1);
    expect(await stored('event_id = ?', routine.id)).toBe(0);
  });

  it('overdue: a routine case that nobody supervises raises no alert (the 超期 tab lists it)', async () => {
    const event = await routineCase(fieldTown, 11, { supervised: false });
    await overdueNow(event.id);
    await sweepDeadlines();
    await sweepAlerts();
    expect(await stored('event_id = ?', event.id)).toBe(0);
    // supervision makes it one
    await done(server.url, duty, event.id, { action: 'supervise', note: '带班领导督办' });
    expect(await stored("event_id = ? AND kind = 'overdue' AND severity = 'notice'", event.id)).toBe(1);
  });

  it("overdue: the deadline monitor's notice, once per step, and the sweep adds none", async () => {
    const c = await console_(dispatcher);
    const event = await routineCase(fieldTown, 2);
    await overdueNow(event.id);
    await sweepDeadlines();
    await sweepAlerts();
    await waitFor(() => c.raised.some((a) => a.eventId === event.id), 10_000, 'the overdue alert');
    expect(c.raised.filter((a) => a.eventId === event.id).map((a) => [a.kind, a.severity, a.params.step])).toEqual([['overdue', 'notice', 'file']]);
    expect(await stored("event_id = ? AND kind = 'overdue'", event.id)).toBe(1);
  });
});

describe('an alert clears itself when its cause ends', () => {
  it('near_deadline hands over to overdue; overdue ends when the step moves on; urgent_event when a team signs for it', async () => {
    const c = await console_(dispatcher);
    const event = await urgentCase(fieldTown, 1);
    const urgent = await alertOf(event.id, 'urgent_event');

    clock.set(new Date(Date.parse(event.warnAt!) + 1000));
    await sweepDeadlines();
    const near = await alertOf(event.id, 'near_deadline');
    expect(near).toMatchObject({ severity: 'warning', params: { step: 'file', deadlineAt: event.deadlineAt } });

    c.order.length = 0;
    await overdueNow(event.id);
    await expectCleared(c, near, 'now_overdue');
    const overdue = await alertOf(event.id, 'overdue');
    await waitFor(() => c.order.includes('raised overdue'), 10_000, 'the overdue push');
    expect(c.order.filter((o) => !o.includes('urgent'))).toEqual(['cleared near_deadline', 'raised overdue']);

    await toTeam(event.id);
    await expectCleared(c, overdue, 'step_moved');
    expect(await openIds()).toContain(urgent.id);
    await done(server.url, field, event.id, { action: 'accept' });
    await expectCleared(c, urgent, 'accepted');
  });

  it('overdue ends when the deadline is extended, and when the case is closed', async () => {
    const c = await console_(dispatcher);
    const event = await routineCase(fieldTown, 3);
    await toTeam(event.id);
    await done(server.url, field, event.id, { action: 'accept' });
    await overdueNow(event.id);
    const handling = await alertOf(event.id, 'overdue');
    await done(server.url, duty, event.id, { action: 'request-extension', reason: '需等待配件', extension: { value: 20, unit: 'work_days' } });
    expect(await openIds()).toContain(handling.id);
    await done(server.url, lead, event.id, { action: 'approve-extension' });
    await expectCleared(c, handling, 'extended');

    await done(server.url, field, event.id, { action: 'start' });
    await done(server.url, field, event.id, { action: 'report', result: '已处置' });
    await overdueNow(event.id);
    const verifying = (await alertsOf(dispatcher, 'state=open&kind=overdue')).items.find((a) => a.eventId === event.id)!;
    expect(verifying.params.step).toBe('verify');
    await done(server.url, dispatcher, event.id, { action: 'verify' });
    expect(await openIds()).toContain(verifying.id);
    await done(server.url, dispatcher, event.id, { action: 'close' });
    await expectCleared(c, verifying, 'case_closed');
  });

  it('a case voided, not filed or merged ends its alerts', async () => {
    const c = await console_(dispatcher);
    const [voided, rejected, child, master] = [await urgentCase(fieldTown, 4), await urgentCase(fieldTown, 5), await urgentCase(fieldTown, 6), await urgentCase(fieldTown, 7)];
    const alerts = await Promise.all([voided, rejected, child].map((e) => alertOf(e.id, 'urgent_event')));
    await done(server.url, dispatcher, voided.id, { action: 'void', reason: '重复录入' });
    await done(server.url, dispatcher, rejected.id, { action: 'reject', reason: '不属于本部门', receivingBody: '县信访局' });
    await done(server.url, dispatcher, child.id, { action: 'merge', intoId: master.id });
    await expectCleared(c, alerts[0]!, 'case_voided');
    await expectCleared(c, alerts[1]!, 'case_rejected');
    await expectCleared(c, alerts[2]!, 'case_merged');
    expect(await openIds()).toContain((await alertOf(master.id, 'urgent_event')).id);
  });

  it('task_returned ends when the case is dispatched again', async () => {
    const c = await console_(dispatcher);
    const event = await routineCase(fieldTown, 8);
    await toTeam(event.id);
    await done(server.url, field, event.id, { action: 'return', reason: '不属于本队职责' });
    const returned = await alertOf(event.id, 'task_returned');
    expect(returned).toMatchObject({ teamId: field.teamId, params: { reason: '不属于本队职责', itemName: event.itemName } });
    await done(server.url, dispatcher, event.id, dispatchTo(field.teamId!));
    await expectCleared(c, returned, 'dispatched');
  });
});

describe('team silence counts only from contact while the server runs', () => {
  const silentOf = (teamId: string) => server.store.all<{ id: number }>("SELECT id FROM alerts WHERE kind = 'team_silent' AND team_id = ? ORDER BY id", teamId);

  it('raises once per stretch after a dispatch or report, and clears when the team reports again', async () => {
    const teamId = field.teamId!;
    const c = await console_(dispatcher);
    const event = await routineCase(fieldTown, 9);
    await toTeam(event.id);
    const heardAt = clock.now().toISOString();
    const before = (await silentOf(teamId)).length;

    clock.advance(29 * MINUTE);
    await sweepAlerts();
    expect((await silentOf(teamId)).length).toBe(before);
    clock.advance(2 * MINUTE);
    await sweepAlerts();
    await sweepAlerts();
    expect((await silentOf(teamId)).length).toBe(before + 1);
    await waitFor(() => c.raised.some((a) => a.kind === 'team_silent' && a.teamId === teamId), 10_000, 'the silence alert');
    const silent = c.raised.find((a) => a.kind === 'team_silent' && a.teamId === teamId)!;
    expect(silent).toMatchObject({ severity: 'warning', params: { minutes: 30, lastSeenAt: heardAt, teamName: expect.any(String) } });
    const holds = await server.store.get(`SELECT 1 AS found FROM events WHERE id = ? AND team_id = ? AND status IN (${TEAM_STATUSES.map(() => '?').join(',')})`, silent.eventId, teamId, ...TEAM_STATUSES);
    expect(holds).toBeTruthy();

    const base = await pointIn(server.url, fieldTown);
    expect((await api(server.url, `/api/v1/teams/${teamId}/position`, { method: 'POST', json: { lon: base.lon, lat: base.lat }, token: field.token })).status).toBe(200);
    await expectCleared(c, silent, 'team_seen');

    // a new stretch from the report; an action of the team also counts as contact
    clock.advance(20 * MINUTE);
    await done(server.url, field, event.id, { action: 'accept' });
    clock.advance(20 * MINUTE);
    await sweepAlerts();
    expect((await silentOf(teamId)).length).toBe(before + 1);
    clock.advance(11 * MINUTE);
    await sweepAlerts();
    expect((await silentOf(teamId)).length).toBe(before + 2);
  });

  it('clears when the team holds no case any more', async () => {
    const c = await console_(dispatcher);
    const { items } = (await api<TeamListResponse>(server.url, `/api/v1/teams?town=${fieldTown}`, { token: dispatcher.token })).body;
    const team = items.find((t) => t.openCases === 0 && t.id !== field.teamId && t.townId === fieldTown)!;
    await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", team.id);
    const event = await routineCase(fieldTown, 10);
    await toTeam(event.id, team.id);
    clock.advance(31 * MINUTE);
    await sweepAlerts();
    const silent = (await alertsOf(dispatcher, 'state=open&kind=team_silent')).items.find((a) => a.teamId === team.id)!;
    expect(silent).toBeTruthy();
    await done(server.url, dispatcher, event.id, { action: 'void', reason: '误报' });
    await expectCleared(c, silent, 'team_free');
  });

  it('a team last heard from before a restart is not counted silent after it; an open silence stays open', async () => {
    const teamId = field.teamId!;
    const open = (await alertsOf(dispatcher, 'state=open&kind=team_silent')).items.filter((a) => a.teamId === teamId);
    expect(open).toHaveLength(1);
    const count = (await silentOf(teamId)).length;
    await restart();
    clock.advance(3 * 60 * MINUTE);
    await sweepAlerts();
    expect((await silentOf(teamId)).length).toBe(count);
    expect((await alertsOf(dispatcher, 'state=open&kind=team_silent')).items.map((a) => a.id)).toContain(open[0]!.id);
  });
});

describe('the list', () => {
  it('filters by kind, severity and town, and counts the matches by kind and severity', async () => {
    const all = await alertsOf(dispatcher, 'state=all');
    const notices = await alertsOf(dispatcher, `state=all&kind=overdue,near_deadline&severity=notice&town=${fieldTown}`);
    expect(notices.items.length).toBeGreaterThan(0);
    expect(notices.items.every((a) => a.kind === 'overdue' && a.severity === 'notice' && a.townId === fieldTown)).toBe(true);
    expect(notices.total).toBe(all.items.filter((a) => a.kind === 'overdue' && a.severity === 'notice' && a.townId === fieldTown).length);
    expect(notices.groups).toEqual([{ kind: 'overdue', count: notices.total, bySeverity: { critical: 0, warning: 0, notice: notices.total } }]);
    for (const g of all.groups) expect(g.count, g.kind).toBe(all.items.filter((a) => a.kind === g.kind).length);
    expect((await alertsOf(townDispatcher, 'state=all')).items.every((a) => a.townId === fieldTown)).toBe(true);

    for (const bad of ['kind=fire', 'severity=loud', 'town=1', 'state=gone', 'kind=']) {
      const res = await api<ApiError>(server.url, `/api/v1/alerts?${bad}`, { token: dispatcher.token });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
  });
});

describe('acknowledgement', () => {
  it('is recorded with who and when, audited, pushed, and refused once acknowledged or cleared', async () => {
    const c = await console_(duty);
    const event = await urgentCase(fieldTown, 11);
    const alert = await alertOf(event.id, 'urgent_event');

    const first = await ack(dispatcher, alert.id, { note: '已电话联系现场' });
    expect(first.status).toBe(200);
    expect(first.body.alert.acked).toEqual({ at: clock.now().toISOString(), by: { userId: dispatcher.userId, username: 'demo-dispatcher', displayName: expect.any(String) }, note: '已电话联系现场' });
    await waitFor(() => c.acked.some((a) => a.id === alert.id), 10_000, 'alert:acked');
    expect(await openIds()).not.toContain(alert.id);

    const second = await ack(duty, alert.id);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'alert_already_acked', acked: { by: { username: 'demo-dispatcher' } } });

    const other = await urgentCase(fieldTown, 12);
    const otherAlert = await alertOf(other.id, 'urgent_event');
    await done(server.url, dispatcher, other.id, { action: 'void', reason: '重复' });
    const late = await ack(dispatcher, otherAlert.id);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'alert_cleared', cleared: { reason: 'case_voided' } });
    const lateEn = await api<ApiError>(server.url, `/api/v1/alerts/${otherAlert.id}/ack`, { method: 'POST', json: {}, token: dispatcher.token, headers: { 'accept-language': 'en' } });
    expect(lateEn.body.error.message).toContain('cleared itself at');
    expect(lateEn.body.error.message).toContain('case voided');
    expect(late.body.error.message).toContain('案件已作废');

    const auditor = await as(server.url, 'demo-auditor');
    const audit = (await api<AuditListResponse>(server.url, `/api/v1/audit?action=alert:ack&objectId=${alert.id}`, { token: auditor.token })).body.items;
    expect(audit.map((r) => [r.username, r.result])).toEqual([
      ['demo-duty', 'failure'],
      ['demo-dispatcher', 'success'],
    ]);
    expect(audit[1]!.details).toMatchObject({ kind: 'urgent_event', eventId: event.id, note: '已电话联系现场' });
  });

  it('acknowledges a group with one reason: audited per alert with its batch, pushed, others skipped and named', async () => {
    const c = await console_(duty);
    const events = [await urgentCase(fieldTown, 13), await urgentCase(fieldTown, 14), await urgentCase(fieldTown, 15), await urgentCase(fieldTown, 16)];
    const [a, b, byOther, gone] = await Promise.all(events.map((e) => alertOf(e.id, 'urgent_event'))) as [Alert, Alert, Alert, Alert];
    await ack(duty, byOther.id);
    await done(server.url, dispatcher, events[3]!.id, { action: 'void', reason: '重复' });

    const res = await ackGroup(dispatcher, { ids: [a.id, b.id, byOther.id, gone.id], reason: '同一批演练事件，已统一处理' });
    expect(res.status).toBe(200);
    expect(res.body.acked.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(res.body.acked.every((x) => x.acked?.note === '同一批演练事件，已统一处理' && x.acked.by.username === 'demo-dispatcher')).toBe(true);
    expect(res.body.skipped).toEqual([
      { id: byOther.id, reason: 'already_acked' },
      { id: gone.id, reason: 'cleared' },
    ]);
    await waitFor(() => [a.id, b.id].every((id) => c.acked.some((x) => x.id === id)), 10_000, 'alert:acked of the group');
    expect(await openIds()).not.toContain(a.id);

    const auditor = await as(server.url, 'demo-auditor');
    const records = await Promise.all(
      [a.id, b.id].map(async (id) => (await api<AuditListResponse>(server.url, `/api/v1/audit?action=alert:ack&objectId=${id}`, { token: auditor.token })).body.items),
    );
    const batches = records.map((r) => {
      expect(r).toHaveLength(1);
      expect(r[0]!.details).toMatchObject({ note: '同一批演练事件，已统一处理', batch: { id: expect.any(String), size: 4 } });
      return (r[0]!.details as { batch: { id: string } }).batch.id;
    });
    expect(batches[0]).toBe(batches[1]);
  });

  it('refuses a bad group whole: no reason, no ids, twice the same id, an unknown id, another town, a field worker', async () => {
    const mine = await alertOf((await urgentCase(fieldTown, 17)).id, 'urgent_event');
    const elsewhere = await alertOf((await urgentCase(otherTown, 1)).id, 'urgent_event');
    const cases: Array<[Who, unknown, number, string, string?]> = [
      [dispatcher, { ids: [mine.id] }, 400, 'invalid_body', 'reason'],
      [dispatcher, { ids: [mine.id], reason: '   ' }, 400, 'invalid_body', 'reason'],
      [dispatcher, { ids: [], reason: '处理' }, 400, 'invalid_body', 'ids'],
      [dispatcher, { ids: [mine.id, mine.id], reason: '处理' }, 400, 'invalid_body', 'ids'],
      [dispatcher, { ids: ['nope'], reason: '处理' }, 400, 'invalid_body', 'ids.0'],
      [dispatcher, { ids: Array.from({ length: 501 }, (_, i) => `AL${String(i + 1).padStart(8, '0')}`), reason: '处理' }, 400, 'invalid_body', 'ids'],
      [dispatcher, { ids: [mine.id], reason: '处理', note: 'x' }, 400, 'invalid_body', 'note'],
      [dispatcher, { ids: [mine.id, 'AL99999999'], reason: '处理' }, 404, 'not_found'],
      [townDispatcher, { ids: [mine.id, elsewhere.id], reason: '处理' }, 403, 'out_of_scope'],
      [field, { ids: [mine.id], reason: '处理' }, 403, 'forbidden'],
    ];
    for (const [who, body, status, code, field_] of cases) {
      const res = await ackGroup(who, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (field_) expect(res.body.error.fields?.map((f) => f.field)).toContain(field_);
    }
    const duplicate = await ackGroup(dispatcher, { ids: [mine.id, mine.id], reason: '处理' });
    expect(duplicate.body.error.fields).toEqual([{ field: 'ids', code: 'duplicate_id', message: '同一编号列了两次' }]);
    expect(await stored('id IN (?, ?) AND acked_at IS NULL', Number(mine.id.slice(2)), Number(elsewhere.id.slice(2)))).toBe(2);
  });

  it('is not for field workers, nor outside the scope', async () => {
    const mine = await alertOf((await urgentCase(fieldTown, 18)).id, 'urgent_event');
    expect((await ack(field, mine.id)).body.error.code).toBe('forbidden');
    const other = await alertOf((await urgentCase(otherTown, 2)).id, 'urgent_event');
    expect((await alertsOf(townDispatcher)).items.map((a) => a.id)).not.toContain(other.id);
    const outOfScope = await ack(townDispatcher, other.id);
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.error.code).toBe('out_of_scope');
    expect((await ack(dispatcher, 'AL99999999')).status).toBe(404);
    expect((await ack(dispatcher, 'nope')).status).toBe(400);
    expect((await ack(dispatcher, mine.id, { note: '', extra: 1 })).status).toBe(400);
    expect(await stored('id = ? AND acked_at IS NULL', Number(mine.id.slice(2)))).toBe(1);
  });

  it('a console that was away refetches the open alerts it missed', async () => {
    const c = await console_(townDispatcher);
    c.socket.close();
    const missed = await urgentCase(fieldTown, 19);
    const elsewhere = await urgentCase(otherTown, 3);
    const open = (await alertsOf(townDispatcher)).items;
    expect(open.some((a) => a.eventId === missed.id && a.kind === 'urgent_event')).toBe(true);
    expect(open.some((a) => a.eventId === elsewhere.id)).toBe(false);
    expect(open.every((a) => a.acked === null && a.cleared === null && a.townId === fieldTown)).toBe(true);
    expect(c.raised.some((a) => a.eventId === missed.id)).toBe(false);
    expect((await act(server.url, dispatcher, missed.id, { action: 'void', reason: '重复' })).status).toBe(200);
  });
});
