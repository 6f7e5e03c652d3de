import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertListResponse, AlertPayload } from '../../shared/contracts/alerts.js';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { TEAM_STATUSES, type EventRecord } from '../../shared/contracts/events.js';
import { DEFAULT_AUTH_CONFIG } from '../../server/src/modules/auth/auth.service.js';
import { api, connectClient, startTestServer, waitFor, type TestServer, type TestSocket } from './harness.js';
import { as, catalogOf, done, manual, pick, pointIn, reported, TestClock, towns, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
let server: TestServer;
let catalog: CatalogResponse;
let dispatcher: Who;
let duty: Who;
let field: Who;
let townDispatcher: Who;
let fieldTown: string;
let otherTown: string;
const sockets: TestSocket[] = [];

/** A console that records alert pushes. */
async function console_(who: Who) {
  const client = connectClient(server.url, { token: who.token });
  sockets.push(client.socket);
  const raised: Alert[] = [];
  const acked: Alert[] = [];
  client.socket.on('alert:raised', (p: AlertPayload) => raised.push(p.alert));
  client.socket.on('alert:acked', (p: AlertPayload) => acked.push(p.alert));
  await client.ready;
  return { socket: client.socket, raised, acked };
}

const alertsOf = async (who: Who, state: 'open' | 'all' = 'open') => (await api<AlertListResponse>(server.url, `/api/v1/alerts?state=${state}&pageSize=500`, { token: who.token })).body;
const stored = (where: string, ...args: unknown[]) => (server.db.prepare(`SELECT COUNT(*) AS n FROM alerts WHERE ${where}`).get(...args) as { n: number }).n;
const ack = (who: Who, id: string, body: unknown = {}) => api<{ alert: Alert } & ApiError>(server.url, `/api/v1/alerts/${id}/ack`, { method: 'POST', json: body, token: who.token });

async function newCase(urgent: boolean, town = fieldTown, nth = 0): Promise<EventRecord> {
  const item = urgent
    ? pick(catalog, 'urgent and dispatched by hand', (i, u) => (u === 'P0' || u === 'P1') && manual(i, u))
    : pick(catalog, 'routine and dispatched by hand', (i, u) => u !== 'P0' && u !== 'P1' && manual(i, u));
  return reported(server.url, duty, item, await pointIn(server.url, town, nth), { description: `告警测试 ${Math.random()}` });
}

async function toFieldTeam(id: string) {
  await done(server.url, dispatcher, id, { action: 'file' });
  await done(server.url, dispatcher, id, { action: 'dispatch', teamId: field.teamId! });
}

beforeAll(async () => {
  // the test clock jumps past deadlines and silences: sessions must outlive the jumps
  server = await startTestServer({ clock, config: { auth: { ...DEFAULT_AUTH_CONFIG, idleTimeoutMinutes: 30 * 24 * 60, sessionLifetimeHours: 24 * 365 } } });
  [dispatcher, duty, field, townDispatcher] = (await Promise.all(['demo-dispatcher', 'demo-duty', 'demo-field', 'demo-town-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who, Who];
  fieldTown = field.towns![0]!;
  otherTown = (await towns(server.url)).find((t) => t !== fieldTown)!;
  catalog = await catalogOf(server.url);
  server.db.prepare("UPDATE teams SET status = 'available' WHERE id = ?").run(field.teamId);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

describe('alerts are raised once, stored and pushed', () => {
  it('urgent_event: a P0/P1 intake, not a routine one', async () => {
    const c = await console_(dispatcher);
    const urgent = await newCase(true);
    const routine = await newCase(false);
    await waitFor(() => c.raised.some((a) => a.eventId === urgent.id), 10_000, 'the urgent alert');
    const alert = c.raised.find((a) => a.eventId === urgent.id)!;
    expect(alert).toMatchObject({
      kind: 'urgent_event',
      severity: urgent.urgency === 'P0' ? 'critical' : 'warning',
      townId: urgent.townId,
      raisedAt: clock.now().toISOString(),
      params: { urgency: urgent.urgency, itemName: urgent.itemName, address: urgent.address },
      acked: null,
    });
    expect(stored('event_id = ?', urgent.id)).toBe(1);
    expect(stored('event_id = ?', routine.id)).toBe(0);
    expect((await alertsOf(dispatcher)).items.map((a) => a.id)).toContain(alert.id);
    c.socket.close();
  });

  it('task_returned: a team returns a task', async () => {
    const c = await console_(dispatcher);
    const event = await newCase(false, fieldTown, 1);
    await toFieldTeam(event.id);
    await done(server.url, field, event.id, { action: 'return', reason: '不属于本队职责' });
    await waitFor(() => c.raised.some((a) => a.eventId === event.id), 10_000, 'the return alert');
    expect(c.raised.filter((a) => a.eventId === event.id)).toEqual([
      expect.objectContaining({ kind: 'task_returned', teamId: field.teamId, townId: fieldTown, params: expect.objectContaining({ reason: '不属于本队职责', itemName: event.itemName }) }),
    ]);
    expect(stored("event_id = ? AND kind = 'task_returned'", event.id)).toBe(1);
    c.socket.close();
  });

  it("overdue: the deadline monitor's overdue notice, once per step", async () => {
    const c = await console_(dispatcher);
    const event = await newCase(false, fieldTown, 2);
    clock.set(new Date(Date.parse(event.deadlineAt!) + 60_000));
    server.handles.deadlines.sweep();
    server.handles.deadlines.sweep();
    await waitFor(() => c.raised.some((a) => a.eventId === event.id), 10_000, 'the overdue alert');
    expect(c.raised.filter((a) => a.eventId === event.id).map((a) => [a.kind, a.params.step])).toEqual([['overdue', 'file']]);
    expect(stored("event_id = ? AND kind = 'overdue'", event.id)).toBe(1);
    c.socket.close();
  });

  it('team_silent: a team holding a case that neither moves nor acts, once per silence', async () => {
    const teamId = field.teamId!;
    const c = await console_(dispatcher);
    const event = await newCase(false, fieldTown, 3);
    await toFieldTeam(event.id);
    const mine = () => c.raised.filter((a) => a.kind === 'team_silent' && a.teamId === teamId);
    const silentAlerts = () => stored("kind = 'team_silent' AND team_id = ?", teamId);
    const before = silentAlerts();

    clock.advance(29 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before);

    clock.advance(2 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before + 1);
    await waitFor(() => mine().length === 1, 10_000, 'the silence alert');
    const first = mine()[0]!;
    expect(first).toMatchObject({ townId: expect.any(String), params: { minutes: 30, teamName: expect.any(String) } });
    expect(first.params.openCases).toBeGreaterThanOrEqual(1);
    const holds = server.db.prepare(`SELECT 1 FROM events WHERE id = ? AND team_id = ? AND status IN (${TEAM_STATUSES.map(() => '?').join(',')})`).get(first.eventId, teamId, ...TEAM_STATUSES);
    expect(holds).toBeTruthy();

    // still silent: no second alert; a position report starts a new stretch
    clock.advance(60 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before + 1);
    const base = await pointIn(server.url, fieldTown);
    expect((await api(server.url, `/api/v1/teams/${teamId}/position`, { method: 'POST', json: { lon: base.lon, lat: base.lat }, token: field.token })).status).toBe(200);
    clock.advance(20 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before + 1);
    // an action by the team counts as well
    await done(server.url, field, event.id, { action: 'accept' });
    clock.advance(20 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before + 1);
    clock.advance(11 * 60_000);
    server.handles.alerts.sweepSilentTeams();
    expect(silentAlerts()).toBe(before + 2);
    await waitFor(() => mine().length === 2, 10_000, 'the second silence alert');
    c.socket.close();
  });
});

describe('acknowledgement', () => {
  it('is recorded with who and when, audited, pushed, and refused a second time', async () => {
    const c = await console_(duty);
    const event = await newCase(true, fieldTown, 4);
    const alert = (await alertsOf(dispatcher)).items.find((a) => a.eventId === event.id)!;
    expect(alert.acked).toBeNull();

    const first = await ack(dispatcher, alert.id, { note: '已电话联系现场' });
    expect(first.status).toBe(200);
    expect(first.body.alert.acked).toEqual({
      at: clock.now().toISOString(),
      by: { userId: dispatcher.userId, username: 'demo-dispatcher', displayName: expect.any(String) },
      note: '已电话联系现场',
    });
    await waitFor(() => c.acked.some((a) => a.id === alert.id), 10_000, 'alert:acked');
    expect((await alertsOf(dispatcher)).items.map((a) => a.id)).not.toContain(alert.id);
    expect((await alertsOf(dispatcher, 'all')).items.find((a) => a.id === alert.id)!.acked!.by.username).toBe('demo-dispatcher');

    const second = await ack(duty, alert.id);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'alert_already_acked', acked: { by: { username: 'demo-dispatcher' }, at: first.body.alert.acked!.at } });
    expect(second.body.error.message).toContain(first.body.alert.acked!.by.displayName);

    const auditor = await as(server.url, 'demo-auditor');
    const audit = (await api<AuditListResponse>(server.url, `/api/v1/audit?action=alert:ack&objectId=${alert.id}`, { token: auditor.token })).body.items;
    expect(audit.map((r) => [r.username, r.result])).toEqual([
      ['demo-duty', 'failure'],
      ['demo-dispatcher', 'success'],
    ]);
    expect(audit[1]!.details).toMatchObject({ kind: 'urgent_event', eventId: event.id, note: '已电话联系现场', ackedAt: first.body.alert.acked!.at });
    c.socket.close();
  });

  it('is not for field workers, nor outside the scope', async () => {
    const event = await newCase(true, fieldTown, 5);
    const alert = (await alertsOf(dispatcher)).items.find((a) => a.eventId === event.id)!;
    const byField = await ack(field, alert.id);
    expect(byField.status).toBe(403);
    expect(byField.body.error.code).toBe('forbidden');

    const elsewhere = await newCase(true, otherTown);
    const other = (await alertsOf(dispatcher)).items.find((a) => a.eventId === elsewhere.id)!;
    expect((await alertsOf(townDispatcher)).items.map((a) => a.id)).not.toContain(other.id);
    const outOfScope = await ack(townDispatcher, other.id);
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.error.code).toBe('out_of_scope');
    expect((await ack(dispatcher, 'AL99999999')).status).toBe(404);
    expect((await ack(dispatcher, 'nope')).status).toBe(400);
    expect((await ack(dispatcher, alert.id, { note: '', extra: 1 })).status).toBe(400);
    expect(stored('id = ? AND acked_at IS NULL', Number(alert.id.slice(2)))).toBe(1);
  });

  it('a console that was away refetches the open alerts it missed', async () => {
    const c = await console_(townDispatcher);
    c.socket.close();
    const missed = await newCase(true, fieldTown, 6);
    const elsewhere = await newCase(true, otherTown, 1);
    const open = (await alertsOf(townDispatcher)).items;
    expect(open.some((a) => a.eventId === missed.id && a.kind === 'urgent_event')).toBe(true);
    expect(open.some((a) => a.eventId === elsewhere.id)).toBe(false);
    expect(open.every((a) => a.acked === null && a.townId === fieldTown)).toBe(true);
    expect(c.raised.some((a) => a.eventId === missed.id)).toBe(false);
  });
});
