import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import { addLimit, DEFAULT_CALENDAR } from '../../shared/domain/working-calendar.js';
import { api, connectClient, startTestServer, waitFor, type TestServer } from './harness.js';
import {
  act,
  as,
  catalogOf,
  done,
  getEvent,
  lastSeq,
  manual,
  pick,
  pointIn,
  reported,
  TestClock,
  timelineOf,
  towns,
  type Who,
} from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county: a working day, inside working hours.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
let server: TestServer;
let catalog: CatalogResponse;
let duty: Who;
let dispatcher: Who;
let field: Who;
let lead: Who;
let townDispatcher: Who;
let fieldTown: string;
let otherTown: string;
/** An item that needs verification, at an urgency a dispatcher dispatches by hand. */
let verified: ReturnType<typeof pick>;

beforeAll(async () => {
  // The monitor sweeps once at start; no later sweep may add changes while a test compares sequences.
  server = await startTestServer({ clock, config: { deadlineSweepMs: 3_600_000 } });
  [duty, dispatcher, field, lead, townDispatcher] = await Promise.all(
    ['demo-duty', 'demo-dispatcher', 'demo-field', 'demo-lead', 'demo-town-dispatcher'].map((u) => as(server.url, u)),
  ) as [Who, Who, Who, Who, Who];
  expect(field.teamId).toMatch(/^TM\d+$/);
  // The seeded duty roster is random: put the field worker's team on duty for these tests.
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  fieldTown = field.towns![0]!;
  otherTown = (await towns(server.url)).find((t) => t !== fieldTown)!;
  catalog = await catalogOf(server.url);
  // of the field team's type: the ranking marks a team of another type ineligible, sent only with a reason
  const fieldTeamType = (await server.store.get<{ type: string }>('SELECT type FROM teams WHERE id = ?', field.teamId))!.type;
  verified = pick(catalog, "verified, dispatched by hand, for the field worker's team", (i, u) => i.verificationRequired && manual(i, u) && i.teamType === fieldTeamType);
});
afterAll(async () => server?.stop());

/** A new case of the item in the field worker's town, reported by `by`. */
async function newCase(by: Who = duty, item = verified, nth = 0): Promise<EventRecord> {
  return reported(server.url, by, item, await pointIn(server.url, fieldTown, nth), { description: `流程测试 ${Math.random()}` });
}

/** Files the case and dispatches it to the field worker's team (with a reason, should the item ask for another type). */
async function toTeam(id: string) {
  await done(server.url, dispatcher, id, { action: 'file' });
  return done(server.url, dispatcher, id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '流程测试：指定网格员队伍' } });
}

describe('the closed loop, intake to close, by three people', () => {
  it('runs every step with its own actor, timeline, audit and live push', async () => {
    const client = connectClient(server.url, { lastSeq: await lastSeq(server.url) });
    await client.ready;

    const event = await newCase();
    expect(event).toMatchObject({ status: 'reported', step: 'file', deadlineState: 'ok', catalogVersion: catalog.version, teamId: null, mergedIds: [] });
    const limits = verified.item.limits[verified.urgency]!;
    const now = clock.now();
    expect(event.stepStartedAt).toBe(now.toISOString());
    expect(event.deadlineAt).toBe(addLimit(now, limits.file, DEFAULT_CALENDAR).toISOString());
    let due = now;
    for (const step of ['file', 'dispatch', 'handle', 'verify'] as const) due = addLimit(due, limits[step], DEFAULT_CALENDAR);
    expect(event.dueAt).toBe(due.toISOString());
    expect(Date.parse(event.warnAt!)).toBeLessThan(Date.parse(event.deadlineAt!));

    const filed = await done(server.url, dispatcher, event.id, { action: 'file', note: '符合立案条件' });
    expect(filed.event).toMatchObject({ status: 'filed', step: 'dispatch' });
    expect(filed.entry).toMatchObject({ action: 'file', from: 'reported', to: 'filed', note: '符合立案条件', actor: { username: 'demo-dispatcher', role: 'dispatcher' } });

    const dispatched = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId! });
    expect(dispatched.event).toMatchObject({ status: 'dispatched', step: 'handle', teamId: field.teamId, autoDispatched: false });
    expect(dispatched.event.teamName).toBeTruthy();
    expect(dispatched.event.dueAt).toBe(addLimit(addLimit(clock.now(), limits.handle, DEFAULT_CALENDAR), limits.verify, DEFAULT_CALENDAR).toISOString());

    const position = { lon: event.location.lon, lat: event.location.lat, accuracy: 8 };
    await done(server.url, field, event.id, { action: 'accept' });
    await done(server.url, field, event.id, { action: 'start', position });
    // the photo is uploaded first (POST /api/v1/attachments), then referenced by its id
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4a7' } }).jpeg().toBuffer();
    const uploaded = await api<{ id: string }>(server.url, '/api/v1/attachments', {
      method: 'POST',
      body: photo as RequestInit['body'],
      headers: { 'content-type': 'image/jpeg', 'x-filename': encodeURIComponent('处置后.jpg') },
      token: field.token,
    });
    expect(uploaded.status).toBe(201);
    const attachment = { id: uploaded.body.id, name: '处置后.jpg' };
    const handled = await done(server.url, field, event.id, {
      action: 'report',
      result: '已清理完毕，现场恢复整洁',
      position,
      attachments: [attachment],
    });
    expect(handled.event).toMatchObject({ status: 'handled', step: 'verify', result: '已清理完毕，现场恢复整洁' });

    await done(server.url, dispatcher, event.id, { action: 'verify' });
    const closed = await done(server.url, dispatcher, event.id, { action: 'close' });
    expect(closed.event).toMatchObject({ status: 'closed', step: null, deadlineAt: null, closedAt: clock.now().toISOString() });

    const { body: timeline } = await timelineOf(server.url, dispatcher, event.id);
    expect(timeline.master).toBeNull();
    expect(timeline.entries.map((e) => [e.action, e.actor?.username, e.actor?.role, e.to])).toEqual([
      ['intake', 'demo-duty', 'duty_officer', 'reported'],
      ['file', 'demo-dispatcher', 'dispatcher', 'filed'],
      ['dispatch', 'demo-dispatcher', 'dispatcher', 'dispatched'],
      ['accept', 'demo-field', 'field_worker', 'accepted'],
      ['start', 'demo-field', 'field_worker', 'in_progress'],
      ['report', 'demo-field', 'field_worker', 'handled'],
      ['verify', 'demo-dispatcher', 'dispatcher', 'verified'],
      ['close', 'demo-dispatcher', 'dispatcher', 'closed'],
    ]);
    const byAction = Object.fromEntries(timeline.entries.map((e) => [e.action, e]));
    expect(byAction.dispatch!.details).toMatchObject({ teamId: field.teamId });
    expect(byAction.accept!.teamId).toBe(field.teamId);
    expect(byAction.report!).toMatchObject({ position, attachments: [attachment], details: { result: '已清理完毕，现场恢复整洁' } });
    expect(timeline.entries.every((e) => e.auto === false)).toBe(true);

    // every step was pushed live, in order, with its kind, and the feed's seq is the timeline's
    const pushed = await waitFor(() => {
      const mine = client.changes.filter((c) => c.event.id === event.id);
      return mine.length === 8 && mine;
    }, 2000, 'eight pushes');
    expect(pushed.map((c) => c.kind)).toEqual(['reported', 'file', 'dispatch', 'accept', 'start', 'report', 'verify', 'close']);
    expect(pushed.map((c) => c.seq)).toEqual(timeline.entries.map((e) => e.seq));
    expect(pushed.at(-1)!.event).toEqual(await getEvent(server.url, dispatcher, event.id));
    client.socket.close();

    const auditor = await as(server.url, 'demo-auditor');
    const audit = await api<AuditListResponse>(server.url, `/api/v1/audit?objectId=${event.id}&pageSize=50`, { token: auditor.token });
    expect(audit.body.items.map((r) => [r.action, r.username, r.result]).reverse()).toEqual([
      ['event:create', 'demo-duty', 'success'],
      ['event:transition', 'demo-dispatcher', 'success'],
      ['event:dispatch', 'demo-dispatcher', 'success'],
      ['event:transition', 'demo-field', 'success'],
      ['event:transition', 'demo-field', 'success'],
      ['event:transition', 'demo-field', 'success'],
      ['event:transition', 'demo-dispatcher', 'success'],
      ['event:transition', 'demo-dispatcher', 'success'],
    ]);
  });
});

describe('refusals change nothing', () => {
  it('answers an action the state does not allow with 409, the state and the allowed actions', async () => {
    const event = await newCase();
    const before = await getEvent(server.url, dispatcher, event.id);
    const seq = await lastSeq(server.url);
    const res = await act(server.url, dispatcher, event.id, { action: 'verify' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'illegal_transition', status: 'reported', allowed: ['file', 'reject', 'void', 'merge', 'supervise'] });
    expect(res.body.error.message).toContain('已上报');
    expect(res.body.error.message).toContain('立案（file）');
    const en = await api<{ error: { message: string } }>(server.url, `/api/v1/events/${event.id}/actions`, {
      method: 'POST',
      json: { action: 'close' },
      token: dispatcher.token,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.error.message).toBe('The case is reported: close is not allowed now. Allowed: file, reject, void, merge, supervise.');
    expect(await getEvent(server.url, dispatcher, event.id)).toEqual(before);
    expect(await lastSeq(server.url)).toBe(seq);
    expect((await timelineOf(server.url, dispatcher, event.id)).body.entries).toHaveLength(1);
  });

  it('refuses a handler verifying their own work (采办分离)', async () => {
    const event = await newCase();
    await toTeam(event.id);
    await done(server.url, field, event.id, { action: 'accept' });
    await done(server.url, field, event.id, { action: 'start' });
    await done(server.url, field, event.id, { action: 'report', result: '已处置' });
    const before = await getEvent(server.url, dispatcher, event.id);
    const seq = await lastSeq(server.url);

    for (const action of ['verify', 'rework'] as const) {
      const res = await act(server.url, field, event.id, action === 'verify' ? { action } : { action, reason: '不合格' });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'separation_of_duties', rule: 'handler_cannot_verify' });
      expect(res.body.error.message).toContain('处置人不能核查');
    }
    expect(await getEvent(server.url, dispatcher, event.id)).toEqual(before);
    expect(await lastSeq(server.url)).toBe(seq);
    // someone else verifies
    expect((await done(server.url, lead, event.id, { action: 'verify' })).event.status).toBe('verified');
  });

  it('refuses the reporter handling their own report, and the reporter verifying it', async () => {
    // a teammate who may handle it: a team whose only handler is the reporter is never sent the case
    const at = clock.now().toISOString();
    await server.store.run(
      `INSERT INTO users (id, username, display_name, password_hash, password_changed_at, roles, team_id, created_at, updated_at)
       VALUES ('U-teammate', 'teammate', '队友', 'x', ?, '["field_worker"]', ?, ?, ?) ON CONFLICT DO NOTHING`,
      at,
      field.teamId,
      at,
      at,
    );
    const event = await newCase(field);
    await toTeam(event.id);
    await done(server.url, field, event.id, { action: 'accept' });
    const start = await act(server.url, field, event.id, { action: 'start' });
    expect(start.status).toBe(403);
    expect(start.body.error).toMatchObject({ code: 'separation_of_duties', rule: 'reporter_cannot_handle' });
    // the command center records the start on behalf of the team; another member would report
    await done(server.url, duty, event.id, { action: 'start' });
    await done(server.url, duty, event.id, { action: 'report', result: '已处置' });
    const verify = await act(server.url, field, event.id, { action: 'verify' });
    expect(verify.status).toBe(403);
    expect(verify.body.error).toMatchObject({ code: 'separation_of_duties', rule: 'reporter_cannot_verify' });
  });

  it('refuses a team member acting on another team’s case, and a role without the permission', async () => {
    const event = await newCase();
    await done(server.url, dispatcher, event.id, { action: 'file' });
    const other = (await server.store.get<{ id: string }>(
      "SELECT id FROM teams WHERE id <> ? AND type = (SELECT type FROM teams WHERE id = ?) AND status <> 'off_duty' ORDER BY id LIMIT 1",
      field.teamId,
      field.teamId,
    ))!;
    await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: other.id });
    const accept = await act(server.url, field, event.id, { action: 'accept' });
    expect(accept.status).toBe(403);
    expect(accept.body.error.code).toBe('not_your_team');
    // the duty officer (no team) records it for the team
    const onBehalf = await done(server.url, duty, event.id, { action: 'accept' });
    expect(onBehalf.entry).toMatchObject({ teamId: other.id, actor: { username: 'demo-duty' } });

    const supervise = await act(server.url, dispatcher, event.id, { action: 'supervise', note: '请加快' });
    expect(supervise.status).toBe(403);
    expect(supervise.body.error).toMatchObject({ code: 'forbidden', permission: 'case:supervise' });
    expect(supervise.body.error.message).toContain('case:supervise');
  });

  it('refuses closing a handled case that must be verified first', async () => {
    const event = await newCase();
    await toTeam(event.id);
    for (const action of ['accept', 'start'] as const) await done(server.url, field, event.id, { action });
    await done(server.url, field, event.id, { action: 'report', result: '已处置' });
    const res = await act(server.url, dispatcher, event.id, { action: 'close' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'illegal_transition', status: 'handled', reason: 'verification_required' });
    expect(res.body.error.allowed).not.toContain('close');
  });

  it('closes a handled case without verification when the item needs none', async () => {
    const noCheck = pick(catalog, 'closed without verification', (i, u) => !i.verificationRequired && manual(i, u));
    const event = await newCase(duty, noCheck);
    await toTeam(event.id);
    for (const action of ['accept', 'start'] as const) await done(server.url, field, event.id, { action });
    await done(server.url, field, event.id, { action: 'report', result: '已办结' });
    expect((await done(server.url, dispatcher, event.id, { action: 'close' })).event.status).toBe('closed');
  });

  it('refuses dispatch to an unknown or off-duty team', async () => {
    const event = await newCase();
    await done(server.url, dispatcher, event.id, { action: 'file' });
    const unknown = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: 'TM999999' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_team', fields: [{ field: 'teamId', code: 'unknown_team' }] });
    const offDuty = await server.store.get<{ id: string }>("SELECT id FROM teams WHERE status = 'off_duty' ORDER BY id LIMIT 1");
    const off =
      offDuty?.id ?? (await server.store.get<{ id: string }>("UPDATE teams SET status = 'off_duty' WHERE id = (SELECT id FROM teams WHERE id <> ? ORDER BY id DESC LIMIT 1) RETURNING id", field.teamId))!.id;
    const ineligible = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: off });
    expect(ineligible.status).toBe(422);
    expect(ineligible.body.error.code).toBe('team_ineligible');
    expect((await getEvent(server.url, dispatcher, event.id)).status).toBe('filed');
  });
});

describe('rework, re-dispatch, return', () => {
  it('sends a handled case back to the team and restarts the handling clock', async () => {
    const event = await newCase();
    await toTeam(event.id);
    for (const action of ['accept', 'start'] as const) await done(server.url, field, event.id, { action });
    await done(server.url, field, event.id, { action: 'report', result: '第一次处置' });
    clock.advance(60_000);
    const rework = await done(server.url, dispatcher, event.id, { action: 'rework', reason: '现场仍有垃圾' });
    expect(rework.event).toMatchObject({ status: 'in_progress', step: 'handle', reworkCount: 1, stepStartedAt: clock.now().toISOString() });
    expect(rework.entry.details).toMatchObject({ reason: '现场仍有垃圾' });
    await done(server.url, field, event.id, { action: 'report', result: '第二次处置，已清理干净' });
    await done(server.url, dispatcher, event.id, { action: 'verify' });
    const closed = await done(server.url, dispatcher, event.id, { action: 'close' });
    expect(closed.event).toMatchObject({ status: 'closed', reworkCount: 1, result: '第二次处置，已清理干净' });
  });

  it('lets a team return a case and the dispatcher send it elsewhere', async () => {
    const event = await newCase();
    await toTeam(event.id);
    const returned = await done(server.url, field, event.id, { action: 'return', reason: '不属于本队职责' });
    expect(returned.event).toMatchObject({ status: 'filed', step: 'dispatch', teamId: null });
    const again = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId! });
    expect(again.event.status).toBe('dispatched');
    // re-dispatch straight from dispatched
    const redispatched = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId! });
    expect(redispatched.entry.details).toMatchObject({ previousTeamId: field.teamId });
  });

  it('rejects (不予立案) with a reason and the receiving body, and voids', async () => {
    const a = await newCase();
    const rejected = await done(server.url, dispatcher, a.id, { action: 'reject', reason: '属于民事纠纷，已告知当事人', receivingBody: '县人民法院' });
    expect(rejected.event).toMatchObject({ status: 'rejected', step: null, refusal: { reason: '属于民事纠纷，已告知当事人', receivingBody: '县人民法院' } });
    const b = await newCase();
    expect((await done(server.url, dispatcher, b.id, { action: 'void', reason: '重复录入' })).event.status).toBe('void');
    expect((await act(server.url, dispatcher, b.id, { action: 'file' })).body.error).toMatchObject({ code: 'illegal_transition', status: 'void', allowed: [] });
  });
});

describe('extensions and supervision', () => {
  it('moves the step deadline and the closing deadline by the approved limit; the requester may not approve', async () => {
    const event = await newCase(dispatcher);
    await toTeam(event.id);
    await done(server.url, field, event.id, { action: 'accept' });
    const accepted = await getEvent(server.url, dispatcher, event.id);
    const extension = { value: 2, unit: 'work_days' } as const;
    // the duty officer (no team) records the team's request
    const requested = await done(server.url, duty, event.id, { action: 'request-extension', reason: '需等待配件', extension });
    expect(requested.event.extensionRequest).toMatchObject({ reason: '需等待配件', limit: extension });
    expect(requested.event.deadlineAt).toBe(accepted.deadlineAt);

    const twice = await act(server.url, field, event.id, { action: 'request-extension', reason: '再申请', extension });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'illegal_transition', reason: 'extension_pending' });

    const own = await act(server.url, duty, event.id, { action: 'approve-extension' });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'separation_of_duties', rule: 'requester_cannot_approve' });

    const approved = await done(server.url, lead, event.id, { action: 'approve-extension', note: '同意延期' });
    expect(approved.event).toMatchObject({
      status: 'accepted',
      extensionCount: 1,
      extensionRequest: null,
      deadlineAt: addLimit(new Date(accepted.deadlineAt!), extension, DEFAULT_CALENDAR).toISOString(),
      dueAt: addLimit(new Date(accepted.dueAt!), extension, DEFAULT_CALENDAR).toISOString(),
    });
    expect(approved.entry.details).toMatchObject({ deadlineFrom: accepted.deadlineAt, deadlineTo: approved.event.deadlineAt });

    const none = await act(server.url, lead, event.id, { action: 'deny-extension', reason: '无' });
    expect(none.body.error).toMatchObject({ code: 'illegal_transition', reason: 'no_extension_pending' });
    await done(server.url, field, event.id, { action: 'request-extension', reason: '仍需时间', extension });
    const denied = await done(server.url, lead, event.id, { action: 'deny-extension', reason: '不符合延期条件' });
    expect(denied.event).toMatchObject({ extensionRequest: null, extensionCount: 1, deadlineAt: approved.event.deadlineAt });
  });

  it('marks a case supervised (督办) without changing its state', async () => {
    const event = await newCase();
    const res = await done(server.url, lead, event.id, { action: 'supervise', note: '群众反映强烈，请今日办结' });
    expect(res.event).toMatchObject({ status: 'reported', supervised: true, step: 'file', deadlineAt: event.deadlineAt });
    expect(res.entry).toMatchObject({ action: 'supervise', from: 'reported', to: 'reported', note: '群众反映强烈，请今日办结', actor: { role: 'shift_lead' } });
  });
});

describe('duplicates and merge', () => {
  it('flags a near duplicate, merges it, and the merged case follows its master to the close', async () => {
    const dupItem = pick(catalog, 'for duplicates', (i, u) => i.verificationRequired && manual(i, u) && i.code !== verified.item.code);
    const at = await pointIn(server.url, fieldTown, 3);
    const master = await reported(server.url, duty, dupItem, at, { description: '路灯不亮' });
    const child = await reported(server.url, dispatcher, dupItem, { lon: at.lon + 0.0002, lat: at.lat }, { description: '同一处路灯不亮' });
    expect(child.duplicateCandidates).toContain(master.id);

    const merged = await done(server.url, dispatcher, child.id, { action: 'merge', intoId: master.id });
    expect(merged.event).toMatchObject({ status: 'merged', masterId: master.id, masterStatus: 'reported', step: null, deadlineAt: null });
    expect((await getEvent(server.url, dispatcher, master.id)).mergedIds).toEqual([child.id]);
    expect((await timelineOf(server.url, dispatcher, master.id)).body.entries.at(-1)).toMatchObject({ action: 'merge', details: { mergedId: child.id } });

    await toTeam(master.id);
    for (const action of ['accept', 'start'] as const) await done(server.url, field, master.id, { action });
    await done(server.url, field, master.id, { action: 'report', result: '已更换灯泡' });
    await done(server.url, dispatcher, master.id, { action: 'verify' });
    await done(server.url, dispatcher, master.id, { action: 'close' });

    const after = await getEvent(server.url, dispatcher, child.id);
    expect(after).toMatchObject({ status: 'merged', masterStatus: 'closed', result: '已更换灯泡' });
    const { body } = await timelineOf(server.url, dispatcher, child.id);
    expect(body.entries.map((e) => e.action)).toEqual(['intake', 'merge', ...Array(7).fill('master-updated')]);
    expect(body.entries.at(-1)).toMatchObject({ auto: true, actor: null, details: { masterStatus: 'closed', result: '已更换灯泡' } });
    expect(body.master?.eventId).toBe(master.id);
    expect(body.master?.entries.at(-1)).toMatchObject({ action: 'close' });
  });

  it('refuses merging into itself, another item, a finished or merged case, or one out of scope', async () => {
    const item = pick(catalog, 'for merge refusals', (i, u) => manual(i, u) && i.code !== verified.item.code);
    const a = await newCase();
    const sameItem = await newCase(duty, verified, 5);
    const otherItem = await reported(server.url, duty, item, await pointIn(server.url, fieldTown, 6));
    const finished = await newCase(duty, verified, 7);
    await done(server.url, dispatcher, finished.id, { action: 'void', reason: '测试' });
    const mergedAway = await newCase(duty, verified, 8);
    await done(server.url, dispatcher, mergedAway.id, { action: 'merge', intoId: sameItem.id });
    const far = await reported(server.url, duty, verified, await pointIn(server.url, otherTown, 0));

    for (const [into, who, problem] of [
      [a.id, dispatcher, 'merge_itself'],
      [otherItem.id, dispatcher, 'merge_other_item'],
      [finished.id, dispatcher, 'merge_not_open'],
      [mergedAway.id, dispatcher, 'merge_already_merged'],
      ['EV209901010001', dispatcher, 'merge_not_found'],
      [far.id, townDispatcher, 'merge_out_of_scope'],
    ] as const) {
      const res = await act(server.url, who, a.id, { action: 'merge', intoId: into });
      expect(res.status, problem).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'merge_target_invalid', fields: [{ field: 'intoId', code: problem }] });
    }
    expect((await getEvent(server.url, dispatcher, a.id)).status).toBe('reported');
  });
});

describe('actions by bad requests', () => {
  it.each([
    ['an unknown action', { action: 'fly' }, ['action']],
    ['no action', { note: '无' }, ['action']],
    ['dispatch without teamId', { action: 'dispatch' }, ['teamId']],
    ['dispatch to a malformed team id', { action: 'dispatch', teamId: 'team-1' }, ['teamId']],
    ['merge with a malformed intoId', { action: 'merge', intoId: 'x' }, ['intoId']],
    ['report without result', { action: 'report' }, ['result']],
    ['reject without a receiving body', { action: 'reject', reason: '不属实' }, ['receivingBody']],
    ['an extension in an unknown unit', { action: 'request-extension', reason: '需要', extension: { value: 1, unit: 'weeks' } }, ['extension.unit']],
    ['a field of another action', { action: 'file', teamId: 'TM0001' }, ['teamId']],
    ['a position off the globe', { action: 'file', position: { lon: 200, lat: 0 } }, ['position.lon']],
  ])('%s → 400 naming the fields', async (_name, body, fields) => {
    const event = await newCase();
    const seq = await lastSeq(server.url);
    const res = await act(server.url, dispatcher, event.id, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.fields!.map((f) => f.field)).toEqual(expect.arrayContaining(fields));
    for (const f of res.body.error.fields!) expect(f.message.length).toBeGreaterThan(0);
    expect(await lastSeq(server.url)).toBe(seq);
  });

  it('names the known actions when the action is unknown', async () => {
    const event = await newCase();
    const res = await act(server.url, dispatcher, event.id, { action: 'fly' });
    expect(res.body.error.fields).toEqual([{ field: 'action', code: 'not_allowed', message: expect.stringContaining('request-extension') }]);
  });

  it('answers 404 for an unknown case and 403 for one outside the caller’s towns', async () => {
    const missing = await act(server.url, dispatcher, 'EV209901010001', { action: 'file' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await timelineOf(server.url, dispatcher, 'EV209901010001')).status).toBe(404);

    const far = await reported(server.url, duty, verified, await pointIn(server.url, otherTown, 1));
    const res = await act(server.url, townDispatcher, far.id, { action: 'file' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('out_of_scope');
    expect((await timelineOf(server.url, townDispatcher, far.id)).status).toBe(403);
    expect((await getEvent(server.url, dispatcher, far.id)).status).toBe('reported');
  });

  it('refuses the actions route to a role without case:act', async () => {
    const wall = await as(server.url, 'demo-wall');
    const event = await newCase();
    const res = await act(server.url, wall, event.id, { action: 'file' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    // the wall may read the timeline
    expect((await timelineOf(server.url, wall, event.id)).status).toBe(200);
  });
});
