import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentRecord } from '../../shared/contracts/attachments.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { EventChangedPayload } from '../../shared/contracts/socket.js';
import { api, connectClient, DEMO_PASSWORD, startTestServer, waitFor, type TestServer } from './harness.js';
import { as, catalogOf, done, getEvent, lastSeq, manual, pick, pointIn, reported, timelineOf, type Who } from './workflow-driver.js';

/**
 * A county dispatcher merges a duplicate report across a town border: the child lies in town B,
 * its master in town A. A user scoped to town B sees the child and that it is handled under the
 * master in another town, never the master's notes, people, photos or result.
 */

let server: TestServer;
let dispatcher: Who;
let duty: Who;
let field: Who;
let townA: Who;
let townB: Who;
let townAId: string;
let townBId: string;

// What only readers of the master (town A or the county) may see.
const MASTER_NOTE = '主件立案备注：联系业主王某某 13800001111';
const START_NOTE = '到场：李某某家门口路灯灯头脱落';
const MASTER_RESULT = '已由李某某（13900002222）更换灯头';

let master: EventRecord;
let child: EventRecord;
let photo: AttachmentRecord;
let seqBeforeMerge: number;
let live: ReturnType<typeof connectClient>;

const secretsOf = () => [MASTER_NOTE, START_NOTE, MASTER_RESULT, photo.id, field.username, '演示·网格员'];
const leaks = (value: unknown) => secretsOf().filter((s) => JSON.stringify(value).includes(s));

async function get(who: Who, path: string) {
  const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${who.token}` } });
  await res.arrayBuffer();
  return res.status;
}

const denials = async (username: string, objectId: string) =>
  (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access:denied' AND username = ? AND object_id = ? AND reason = 'attachment_not_readable'", username, objectId))!.n;

beforeAll(async () => {
  server = await startTestServer();
  [dispatcher, duty, field, townA] = (await Promise.all(['demo-dispatcher', 'demo-duty', 'demo-field', 'demo-town-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who, Who];
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  townAId = townA.towns![0]!;
  townBId = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' AND id <> ? ORDER BY code LIMIT 1", townAId))!.id;
  await server.handles.auth.createUser(
    null,
    { username: 'town-b-dispatcher', displayName: '乙镇调度员', password: DEMO_PASSWORD, roles: ['dispatcher'], scope: server.handles.users.scopeOf([townBId]) },
    { sourceIp: null, client: 'test' },
  );
  townB = await as(server.url, 'town-b-dispatcher');

  const catalog = await catalogOf(server.url);
  const item = pick(catalog, 'verified and dispatched by hand', (i, u) => i.verificationRequired && manual(i, u));
  const raw = Buffer.alloc(96 * 64 * 3, 0x5a);
  const jpeg = await sharp(raw, { raw: { width: 96, height: 64, channels: 3 } }).jpeg().toBuffer();
  const upload = await api<AttachmentRecord>(server.url, '/api/v1/attachments', { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg', 'x-filename': 'lamp.jpg' }, token: field.token });
  expect(upload.status).toBe(201);
  photo = upload.body;

  master = await reported(server.url, duty, item, await pointIn(server.url, townAId), { description: '甲镇：路灯不亮' });
  await done(server.url, dispatcher, master.id, { action: 'file', note: MASTER_NOTE });
  // with a reason: the item may ask for another team type than the field team's
  await done(server.url, dispatcher, master.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '合并测试：指定网格员队伍' } });
  await done(server.url, field, master.id, { action: 'accept' });
  await done(server.url, field, master.id, { action: 'start', note: START_NOTE, attachments: [{ id: photo.id, name: photo.name }] });
  child = await reported(server.url, duty, item, await pointIn(server.url, townBId), { description: '乙镇：同一路灯不亮（边界处）' });

  live = connectClient(server.url, { token: townB.token });
  await live.ready;
  seqBeforeMerge = await lastSeq(server.url);
  await done(server.url, dispatcher, child.id, { action: 'merge', intoId: master.id, note: '跨镇重复件，并入甲镇主件' });
  await done(server.url, field, master.id, { action: 'report', result: MASTER_RESULT, attachments: [{ id: photo.id, name: photo.name }] });
  await done(server.url, dispatcher, master.id, { action: 'verify' });
  await done(server.url, dispatcher, master.id, { action: 'close' });
});
afterAll(async () => {
  live?.socket.close();
  await server?.stop();
});

describe('a case merged into a master of another town, read by a user of its own town', () => {
  it('shows that it is handled under the master in another town, and the master status, not the master entries', async () => {
    const res = await timelineOf(server.url, townB, child.id);
    expect(res.status).toBe(200);
    expect(res.body.master).toEqual({ eventId: master.id, withheld: true, entries: [], townId: townAId, status: 'closed' });
    // its own steps stay: the intake, the merge (with the merger's note) and the master's state changes
    expect(res.body.entries.map((e) => e.action)).toEqual(['intake', 'merge', ...Array(3).fill('master-updated')]);
    expect(res.body.entries.at(-1)!.details).toMatchObject({ masterId: master.id, masterStatus: 'closed' });
    expect(leaks(res.body)).toEqual([]);
  });

  it('carries the master status on the case, not its result text', async () => {
    const event = await getEvent(server.url, townB, child.id);
    expect(event).toMatchObject({ status: 'merged', masterId: master.id, masterStatus: 'closed', result: null });
    expect(leaks(event)).toEqual([]);
    const list = await api<EventListResponse>(server.url, '/api/v1/events?status=merged&pageSize=200', { token: townB.token });
    expect(list.body.items.map((e) => e.id)).toContain(child.id);
    expect(leaks(list.body)).toEqual([]);
  });

  it('cannot read the master or its photo (404, audited)', async () => {
    expect((await api<ApiError>(server.url, `/api/v1/events/${master.id}`, { token: townB.token })).status).toBe(403);
    expect((await timelineOf(server.url, townB, master.id)).status).toBe(403);
    expect(await get(townB, photo.url)).toBe(404);
    expect(await get(townB, photo.thumbUrl)).toBe(404);
    expect(await denials(townB.username, photo.id)).toBe(2);
  });

  it('is pushed the case live, and on replay, without the master or its details', async () => {
    const isChild = (c: EventChangedPayload) => c.event.id === child.id;
    await waitFor(() => live.changes.filter(isChild).length === 4, 10_000, 'the merge and three master updates');
    expect(live.changes.map((c) => c.event.id)).not.toContain(master.id);
    expect(live.changes.filter(isChild).map((c) => c.kind)).toEqual(['merge', 'master-updated', 'master-updated', 'master-updated']);
    expect(leaks(live.changes)).toEqual([]);

    const replay = connectClient(server.url, { token: townB.token, lastSeq: seqBeforeMerge });
    try {
      await replay.ready;
      expect(replay.changes.map((c) => c.event.id)).not.toContain(master.id);
      expect(replay.changes.filter(isChild)).toHaveLength(4);
      expect(leaks(replay.changes)).toEqual([]);
    } finally {
      replay.socket.close();
    }
  });
});

describe('readers of the master town and of the county', () => {
  it('the county dispatcher sees the master entries under the child, and the photo', async () => {
    const { body } = await timelineOf(server.url, dispatcher, child.id);
    expect(body.master).toMatchObject({ eventId: master.id, withheld: false });
    const entries = body.master!.entries;
    expect(entries.map((e) => e.note)).toEqual(expect.arrayContaining([MASTER_NOTE, START_NOTE]));
    expect(entries.find((e) => e.action === 'report')).toMatchObject({ details: { result: MASTER_RESULT }, attachments: [{ id: photo.id, name: photo.name }] });
    expect(await get(dispatcher, photo.url)).toBe(200);
    expect((await getEvent(server.url, dispatcher, master.id)).result).toBe(MASTER_RESULT);
  });

  it('a user of the master town reads the master and its photo in full, not the child', async () => {
    const { body } = await timelineOf(server.url, townA, master.id);
    expect(body.entries.map((e) => e.note)).toEqual(expect.arrayContaining([MASTER_NOTE, START_NOTE]));
    expect(await get(townA, photo.thumbUrl)).toBe(200);
    // the master names the case merged into it (an id, the case itself stays out of reach)
    expect((await getEvent(server.url, townA, master.id)).mergedIds).toEqual([child.id]);
    expect((await timelineOf(server.url, townA, child.id)).status).toBe(403);
  });
});
