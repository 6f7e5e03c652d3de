import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { AgendaDraft, DeliberationListResponse, DeliberationMeetingView } from '../../shared/contracts/deliberation.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventListResponse } from '../../shared/contracts/events.js';
import { api, connectClient, startTestServer, waitFor, type TestServer } from './harness.js';
import { as, catalogOf, done, lastSeq, manual, pick, reported, TestClock, timelineOf, towns, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county (China time): the seeded history ends on the 20th.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const TODAY = '2026-11-23';
let server: TestServer;
let catalog: CatalogResponse;
let county: Who; // demo-gridoffice: the county's grid office
let townOffice: Who; // demo-town-gridoffice: the first town's
let dispatcher: Who;
let field: Who;
let fieldTown: string;
let otherTown: string;
/** An item a dispatcher dispatches by hand, of the field worker's team's type, that needs verification. */
let verified: ReturnType<typeof pick>;
let microGrids: Array<{ id: string; parentId: string; labelLon: number; labelLat: number }>;

const PHONE = /1[3-9]\d{9}/;

beforeAll(async () => {
  server = await startTestServer({ clock, config: { deadlineSweepMs: 3_600_000 } });
  [county, townOffice, dispatcher, field] = (await Promise.all(['demo-gridoffice', 'demo-town-gridoffice', 'demo-dispatcher', 'demo-field'].map((u) => as(server.url, u)))) as [Who, Who, Who, Who];
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  fieldTown = field.towns![0]!;
  otherTown = (await towns(server.url)).find((t) => t !== townOffice.towns![0])!;
  catalog = await catalogOf(server.url);
  const fieldTeamType = (await server.store.get<{ type: string }>('SELECT type FROM teams WHERE id = ?', field.teamId))!.type;
  verified = pick(catalog, "verified, dispatched by hand, for the field worker's team", (i, u) => i.verificationRequired && manual(i, u) && i.teamType === fieldTeamType);
  const geo = await api<{ features: Array<{ properties: { id: string; parentId: string; labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid');
  microGrids = geo.body.features.map((f) => f.properties);
});
afterAll(async () => server?.stop());

/** A grid of the town (by its micro-grids' parents, in id order) and a micro-grid of it. */
function gridIn(town: string, nth = 0): { gridId: string; micro: { id: string; lon: number; lat: number } } {
  const grids = [...new Set(microGrids.filter((m) => m.parentId.startsWith(town)).map((m) => m.parentId))].sort();
  const gridId = grids[nth % grids.length]!;
  const m = microGrids.filter((x) => x.parentId === gridId).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
  return { gridId, micro: { id: m.id, lon: m.labelLon, lat: m.labelLat } };
}

const rows = async () => ({
  meetings: Number((await server.store.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM deliberation_meetings'))!.n),
  tasks: Number((await server.store.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM deliberation_tasks'))!.n),
  events: Number((await server.store.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM events'))!.n),
});

function meetingBody(gridId: string, extra: Record<string, unknown> = {}) {
  return {
    gridId,
    heldOn: '2026-11-20',
    place: '村委会二楼会议室',
    host: '张书记',
    participants: [
      { name: '李网格 13905710001', role: '专职网格员' },
      { name: '王居民', role: '居民代表' },
    ],
    agenda: [{ title: '东门垃圾桶满溢', source: 'hot_spot', ref: null }],
    decisions: ['增设两组分类垃圾桶', '物业每日两次清运'],
    ...extra,
  };
}

const task = (extra: Record<string, unknown> = {}) => ({
  title: '东门增设分类垃圾桶',
  itemCode: verified.item.code,
  description: '议事决定：东门增设两组分类垃圾桶，联系人王居民 13905710002',
  urgency: verified.urgency,
  ...extra,
});

async function record(by: Who, body: unknown, headers: Record<string, string> = {}) {
  return api<DeliberationMeetingView & ApiError>(server.url, '/api/v1/deliberation/meetings', { method: 'POST', json: body, token: by.token, headers });
}

describe('the drafted agenda', () => {
  it("drafts hot spots, repeat items and residents' reports from the grid's cases, with evidence, in a fixed order", async () => {
    // the grid and item with the most seeded cases, topped up to four cases through the intake (residents' reports)
    const top = (await server.store.get<{ gridId: string; itemCode: string; n: number | string }>(
      `SELECT grid_id AS "gridId", item_code AS "itemCode", COUNT(*) AS n FROM events WHERE status NOT IN ('merged', 'void')
        GROUP BY grid_id, item_code ORDER BY COUNT(*) DESC, grid_id, item_code LIMIT 1`,
    ))!;
    const item = catalog.items.find((i) => i.code === top.itemCode)!;
    const micro = microGrids.find((m) => m.parentId === top.gridId)!;
    const added: string[] = [];
    for (let i = Number(top.n); i < 4 || added.length < 2; i++) {
      const e = await reported(server.url, dispatcher, { item, urgency: item.defaultUrgency }, { lon: micro.labelLon, lat: micro.labelLat }, { source: 'citizen_app', description: `居民反映 ${i}` });
      added.push(e.id);
    }
    const total = Number(top.n) + added.length;
    const res = await api<AgendaDraft & ApiError>(server.url, `/api/v1/deliberation/agenda-draft?gridId=${top.gridId}&asOf=${encodeURIComponent(clock.now().toISOString())}`, { token: county.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.grid.id).toBe(top.gridId);
    const hot = res.body.items.filter((i) => i.source === 'hot_spot');
    expect(hot[0]).toMatchObject({ ref: `${top.itemCode}×${total}`, title: expect.stringContaining(item.name) });
    expect(hot[0]!.eventIds!.length).toBe(Math.min(total, 5));
    // the evidence is the newest cases of that item in the grid
    const evidence = await server.store.all<{ id: string; gridId: string; itemCode: string }>(
      `SELECT id, grid_id AS "gridId", item_code AS "itemCode" FROM events WHERE id IN (${hot[0]!.eventIds!.map(() => '?').join(', ')}) ORDER BY id`,
      ...hot[0]!.eventIds!,
    );
    expect(evidence).toHaveLength(hot[0]!.eventIds!.length);
    for (const e of evidence) expect(e).toMatchObject({ gridId: top.gridId, itemCode: top.itemCode });
    expect(hot[0]!.eventIds).toContain(added.at(-1));
    // the same item at the same micro-grid (no unified address): a repeat item holding the reports just made
    const repeat = res.body.items.find((i) => i.source === 'repeat' && i.ref === `${top.itemCode}@${micro.id}`);
    expect(repeat?.eventIds).toEqual(expect.arrayContaining(added.slice(-2)));
    // residents' reports still open: each its own point, open first
    const resident = res.body.items.filter((i) => i.source === 'resident');
    expect(resident.map((r) => r.ref)).toEqual(expect.arrayContaining(added.slice(-2)));
    expect(resident.every((r) => r.eventIds?.length === 1 && !PHONE.test(r.title))).toBe(true);
    // groups in order: hot spots, repeats, residents
    const order = res.body.items.map((i) => ['hot_spot', 'repeat', 'resident'].indexOf(i.source));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // deterministic
    const again = await api<AgendaDraft>(server.url, `/api/v1/deliberation/agenda-draft?gridId=${top.gridId}&asOf=${encodeURIComponent(clock.now().toISOString())}`, { token: county.token });
    expect(again.body).toEqual(res.body);
    // a window before any case: nothing to draft
    const early = await api<AgendaDraft>(server.url, `/api/v1/deliberation/agenda-draft?gridId=${top.gridId}&asOf=2026-01-01T00:00:00Z`, { token: county.token });
    expect(early.body.items).toEqual([]);
  });

  it("refuses a grid outside the caller's towns and an unknown grid, naming gridId", async () => {
    const { gridId } = gridIn(otherTown);
    const res = await api<ApiError>(server.url, `/api/v1/deliberation/agenda-draft?gridId=${gridId}`, { token: townOffice.token });
    expect(res.status).toBe(403);
    expect(res.body.error.fields?.[0]?.field).toBe('gridId');
    const unknown = await api<ApiError>(server.url, '/api/v1/deliberation/agenda-draft?gridId=999999999999', { token: county.token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields?.[0]).toMatchObject({ field: 'gridId', code: 'unknown_grid' });
    // a dispatcher holds no workforce permission
    expect((await api(server.url, `/api/v1/deliberation/agenda-draft?gridId=${gridId}`, { token: dispatcher.token })).status).toBe(403);
  });
});

describe('a deliberation day and its follow-up tasks', () => {
  let meeting: DeliberationMeetingView;
  let grid: ReturnType<typeof gridIn>;

  it("records the meeting; the task's case reaches the dispatcher's queue (REST and socket) as a department case of channel deliberation", async () => {
    grid = gridIn(fieldTown);
    const client = connectClient(server.url, { token: dispatcher.token, lastSeq: await lastSeq(server.url) });
    await client.ready;
    const before = await rows();
    const res = await record(county, meetingBody(grid.gridId, { tasks: [task()] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    meeting = res.body;
    expect(meeting).toMatchObject({ grid: { id: grid.gridId }, town: { id: fieldTown }, heldOn: '2026-11-20', notice: null, publishedAt: null, decisions: ['增设两组分类垃圾桶', '物业每日两次清运'] });
    expect(meeting.tasks).toHaveLength(1);
    expect(meeting.tasks[0]).toMatchObject({ seq: 1, title: '东门增设分类垃圾桶', status: 'reported', closedAt: null, overdue: false });
    expect(meeting.summary).toEqual({ tasks: 1, open: 1, closed: 0, overdue: 0 });
    expect(await rows()).toEqual({ meetings: before.meetings + 1, tasks: before.tasks + 1, events: before.events + 1 });
    const eventId = meeting.tasks[0]!.eventId;

    const queue = await api<EventListResponse>(server.url, `/api/v1/events?status=reported&town=${fieldTown}&pageSize=1000`, { token: dispatcher.token });
    const listed = queue.body.items.find((e) => e.id === eventId);
    expect(listed).toMatchObject({ source: 'department', gridId: grid.gridId, itemCode: verified.item.code });
    const { body: timeline } = await timelineOf(server.url, dispatcher, eventId);
    expect(timeline.entries[0]).toMatchObject({ action: 'intake', details: expect.objectContaining({ source: 'department', channel: 'deliberation', meetingId: meeting.id }) });
    const pushed = await waitFor(() => client.changes.find((c) => c.event.id === eventId), 10_000, 'the case pushed to the dispatcher');
    expect(pushed.event.source).toBe('department');
    client.socket.close();

    const audit = await server.store.all<{ action: string; result: string }>("SELECT action, result FROM audit_log WHERE object_id = ? AND action LIKE 'deliberation:%' ORDER BY seq", meeting.id);
    expect(audit).toEqual([
      { action: 'deliberation:create', result: 'success' },
      { action: 'deliberation:task_add', result: 'success' },
    ]);
  });

  it('tracks the task to closure: closed through the workflow, the meeting shows it closed', async () => {
    const id = meeting.tasks[0]!.eventId;
    await done(server.url, dispatcher, id, { action: 'file' });
    await done(server.url, dispatcher, id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '议事日跟进：指定网格员队伍' } });
    await done(server.url, field, id, { action: 'accept' });
    await done(server.url, field, id, { action: 'start' });
    await done(server.url, field, id, { action: 'report', result: '已增设两组分类垃圾桶' });
    await done(server.url, dispatcher, id, { action: 'verify' });
    await done(server.url, dispatcher, id, { action: 'close' });
    const res = await api<DeliberationMeetingView>(server.url, `/api/v1/deliberation/meetings/${meeting.id}`, { token: townOffice.towns!.includes(fieldTown) ? townOffice.token : county.token });
    expect(res.status).toBe(200);
    expect(res.body.tasks[0]).toMatchObject({ status: 'closed', closedAt: clock.now().toISOString(), overdue: false });
    expect(res.body.summary).toEqual({ tasks: 1, open: 0, closed: 1, overdue: 0 });
    const list = await api<DeliberationListResponse>(server.url, `/api/v1/deliberation/meetings?gridId=${grid.gridId}&from=2026-11-01&to=${TODAY}`, { token: county.token });
    expect(list.body.items.find((m) => m.id === meeting.id)?.summary).toEqual({ tasks: 1, open: 0, closed: 1, overdue: 0 });
  });

  it('adds a follow-up task later, numbered after the last', async () => {
    const before = await rows();
    const res = await api<DeliberationMeetingView & ApiError>(server.url, `/api/v1/deliberation/meetings/${meeting.id}/tasks`, {
      method: 'POST',
      json: task({ title: '物业清运情况回访', location: { microGridId: grid.micro.id } }),
      token: county.token,
      headers: { 'idempotency-key': 'delib-add-1' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.tasks.map((t) => [t.seq, t.title])).toEqual([
      [1, '东门增设分类垃圾桶'],
      [2, '物业清运情况回访'],
    ]);
    expect(res.body.summary).toMatchObject({ tasks: 2, open: 1, closed: 1 });
    expect(res.headers.get('location')).toBe(`/api/v1/events/${res.body.tasks[1]!.eventId}`);
    // a retry with the key stores nothing more
    const retry = await api<DeliberationMeetingView>(server.url, `/api/v1/deliberation/meetings/${meeting.id}/tasks`, {
      method: 'POST',
      json: task({ title: '物业清运情况回访', location: { microGridId: grid.micro.id } }),
      token: county.token,
      headers: { 'idempotency-key': 'delib-add-1' },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.tasks).toHaveLength(2);
    expect(await rows()).toEqual({ meetings: before.meetings, tasks: before.tasks + 1, events: before.events + 1 });
  });

  it('makes a retry with the same Idempotency-Key return the same meeting and store nothing; another body with the key is refused', async () => {
    const body = meetingBody(grid.gridId, { heldOn: '2026-11-21', tasks: [task({ title: '路灯报修' })] });
    const first = await record(county, body, { 'idempotency-key': 'delib-meeting-1' });
    expect(first.status).toBe(201);
    const before = await rows();
    const again = await record(county, body, { 'idempotency-key': 'delib-meeting-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.tasks.map((t) => t.eventId)).toEqual(first.body.tasks.map((t) => t.eventId));
    const other = await record(county, { ...body, place: '文化礼堂' }, { 'idempotency-key': 'delib-meeting-1' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_conflict');
    expect(await rows()).toEqual(before);
  });

  it('refuses bad bodies naming the field and writes nothing', async () => {
    const before = await rows();
    const future = await record(county, meetingBody(grid.gridId, { heldOn: '2026-11-24', tasks: [task()] }));
    expect(future.status).toBe(400);
    expect(future.body.error.fields).toEqual([expect.objectContaining({ field: 'heldOn', code: 'day_in_future' })]);
    // the second task's item is unknown: the first is not made either
    const unknown = await record(county, meetingBody(grid.gridId, { tasks: [task(), task({ itemCode: 'ZZ99' })] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_item', fields: [expect.objectContaining({ field: 'tasks[1].itemCode' })] });
    const outside = await record(county, meetingBody(grid.gridId, { tasks: [task({ location: { lon: gridIn(otherTown).micro.lon, lat: gridIn(otherTown).micro.lat } })] }));
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields).toEqual([expect.objectContaining({ field: 'tasks[0].location', code: 'outside_grid' })]);
    const scope = await record(townOffice, meetingBody(gridIn(otherTown).gridId, { tasks: [task()] }));
    expect(scope.status).toBe(403);
    expect(scope.body.error.fields).toEqual([expect.objectContaining({ field: 'gridId', code: 'out_of_scope' })]);
    const noParticipants = await record(county, meetingBody(grid.gridId, { participants: [] }));
    expect(noParticipants.status).toBe(400);
    expect(noParticipants.body.error.fields?.[0]?.field).toBe('participants');
    const dispatcherTry = await record(dispatcher, meetingBody(grid.gridId));
    expect(dispatcherTry.status).toBe(403);
    expect(await rows()).toEqual(before);
    const denied = await server.store.all<{ reason: string }>("SELECT reason FROM audit_log WHERE action = 'deliberation:create' AND result <> 'success' ORDER BY seq");
    expect(denied.map((d) => d.reason)).toEqual(expect.arrayContaining(['invalid_body', 'unknown_item', 'out_of_scope']));
  });

  it("lists only the caller's towns' meetings", async () => {
    const mine = await api<DeliberationListResponse>(server.url, '/api/v1/deliberation/meetings', { token: townOffice.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.every((m) => townOffice.towns!.includes(m.town.id))).toBe(true);
    const other = await api<ApiError>(server.url, `/api/v1/deliberation/meetings?town=${otherTown}`, { token: townOffice.token });
    expect(other.status).toBe(403);
    if (!townOffice.towns!.includes(fieldTown)) {
      expect((await api(server.url, `/api/v1/deliberation/meetings/${meeting.id}`, { token: townOffice.token })).status).toBe(403);
    }
  });

  it("serves the residents' page of a published meeting only: escaped, no personal data", async () => {
    const page = (id: string) => api<string>(server.url, `/public/deliberation/${id}`, { anonymous: true });
    const unpublished = await page(meeting.id);
    expect(unpublished.status).toBe(404);
    expect(JSON.stringify(unpublished.body)).not.toContain('增设两组分类垃圾桶');
    const inBrowser = await api<string>(server.url, `/public/deliberation/${meeting.id}`, { anonymous: true, headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(inBrowser.status).toBe(404);
    expect(inBrowser.headers.get('content-type')).toContain('text/html');
    expect(inBrowser.body).toContain('尚未公布');
    expect(inBrowser.body).not.toContain('增设两组分类垃圾桶');
    expect((await page('DM0000000000000000')).status).toBe(404);
    expect((await page('..%2F..%2Fetc')).status).toBe(404);
    // an id longer than the router matches: the same 404 with the API's error body
    const long = await page('%20'.repeat(150));
    expect(long.status).toBe(404);
    expect(long.body).toMatchObject({ error: { code: 'not_found' } });

    const notice = '本次议事日议定两项事项，欢迎居民监督。<script>alert(1)</script>';
    const published = await api<DeliberationMeetingView>(server.url, `/api/v1/deliberation/meetings/${meeting.id}/notice`, { method: 'POST', json: { notice }, token: county.token });
    expect(published.status).toBe(200);
    expect(published.body.publishedAt).toBe(clock.now().toISOString());
    const res = await page(meeting.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain(meeting.grid.name);
    expect(res.body).toContain('2026年11月20日');
    expect(res.body).toContain('东门垃圾桶满溢');
    expect(res.body).toContain('物业每日两次清运');
    expect(res.body).toContain('本次议事日议定两项事项');
    expect(res.body).toContain('&#60;script&#62;');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toMatch(/已办结<\/span> 东门增设分类垃圾桶/);
    expect(res.body).toMatch(/处理中<\/span> 物业清运情况回访/);
    // no personal data: participants' names and phones, the host, the case description
    expect(res.body).not.toMatch(PHONE);
    expect(res.body).not.toContain('李网格');
    expect(res.body).not.toContain('张书记');
    expect(res.body).not.toContain('联系人');
    const audit = await server.store.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'deliberation:publish' AND object_id = ?", meeting.id);
    expect(Number(audit!.n)).toBe(1);
  });
});
