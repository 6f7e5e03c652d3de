import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventIntake, EventRecord } from '../../shared/contracts/events.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import type { TeamPositionAck, TeamPositionResult } from '../../shared/contracts/teams.js';
import { api, connectClient, intakeAt, startTestServer, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';
import { act, as, catalogOf, manual, pick, pointIn, reported, towns, type Who } from './workflow-driver.js';

let server: TestServer;
let dispatcher: Who;
let field: Who;
let valid: EventIntake;
let item: { item: CatalogItem; urgency: 'P0' | 'P1' | 'P2' | 'P3' };
let inTown: { lon: number; lat: number };

const post = (json: unknown, lang = 'zh-CN') =>
  api<EventCreated & ApiError>(server.url, '/api/v1/events', { method: 'POST', json, token: dispatcher.token, headers: { 'accept-language': lang } });

/** The field codes of a 400, as `field:code`. */
const fieldCodes = (body: ApiError) => (body.error.fields ?? []).map((f) => `${f.field}:${f.code}`);

beforeAll(async () => {
  server = await startTestServer();
  dispatcher = await as(server.url, 'demo-dispatcher');
  field = await as(server.url, 'demo-field');
  item = pick(await catalogOf(server.url, dispatcher), 'filed by hand', manual);
  const p = await pointIn(server.url, (await towns(server.url))[0]!);
  inTown = { lon: p.lon, lat: p.lat };
  valid = intakeAt(item.item.code, inTown, { urgency: item.urgency });
});
afterAll(async () => server?.stop());

describe('free text is refused or normalised where it enters', () => {
  it.each([
    ['a NUL in the description', { description: '垃圾桶满溢\u0000' }, 'description:control_character'],
    ['an escape sequence in the description', { description: '\u001b[2J垃圾桶满溢' }, 'description:control_character'],
    ['a C1 control in the reporter name', { reporter: { name: '王\u0085建国', phone: '13905710001' } }, 'reporter.name:control_character'],
    ['a line break in the reporter name', { reporter: { name: '王\n建国', phone: '13905710001' } }, 'reporter.name:control_character'],
    ['a right-to-left override in the reporter name', { reporter: { name: '王建国\u202E1000', phone: '13905710001' } }, 'reporter.name:bidi_control'],
    ['an isolate in the description', { description: '东门\u2067垃圾桶' }, 'description:bidi_control'],
    ['a lone surrogate in the description', { description: '东门\uD83D垃圾桶' }, 'description:bad_encoding'],
    ['U+FFFD in the description', { description: '东门\uFFFD垃圾桶' }, 'description:bad_encoding'],
  ])('refuses %s: 400 naming the field, nothing stored', async (_what, change, code) => {
    const before = await storedCountsIn(server.store);
    const res = await post({ ...valid, ...change });
    expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_body']);
    expect(fieldCodes(res.body)).toEqual([code]);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('words the refusal in both languages', async () => {
    const zh = await post({ ...valid, description: 'a\u0000' });
    const en = await post({ ...valid, description: 'a\u0000' }, 'en');
    expect(zh.body.error.fields?.[0]?.message).toContain('控制字符');
    expect(en.body.error.fields?.[0]?.message).toContain('control character');
  });

  it('refuses a body that is not valid UTF-8 before reading any field', async () => {
    const before = await storedCountsIn(server.store);
    const [head, tail] = JSON.stringify({ ...valid, description: '东门@@垃圾桶' }).split('@@') as [string, string];
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail)]);
    const res = await api<ApiError>(server.url, '/api/v1/events', { method: 'POST', body, token: dispatcher.token, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(fieldCodes(res.body)).toEqual(['(body):bad_encoding']);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('stores text NFC-normalised, trimmed, with line breaks as \\n', async () => {
    const res = await post({ ...valid, description: ' Jose\u0301 路口\r\n第二行\t(已拍照) ', reporter: { name: 'Zoe\u0308', phone: '13905710001' } });
    expect(res.status).toBe(201);
    const stored = await api<EventRecord>(server.url, `/api/v1/events/${res.body.id}`, { token: dispatcher.token });
    expect(stored.body.description).toBe('José 路口\n第二行\t(已拍照)');
    expect(stored.body.reporter.name).toBe('Zoë');
  });

  it('applies to action notes and reasons, catalog drafts and user names', async () => {
    const event = await reported(server.url, dispatcher, item, inTown);
    const note = await act(server.url, dispatcher, event.id, { action: 'file', note: '已核实\u202E' });
    expect([note.status, ...fieldCodes(note.body)]).toEqual([400, 'note:bidi_control']);
    const reason = await act(server.url, dispatcher, event.id, { action: 'void', reason: '重复\u0007' });
    expect([reason.status, ...fieldCodes(reason.body)]).toEqual([400, 'reason:control_character']);
    expect((await api<EventRecord>(server.url, `/api/v1/events/${event.id}`, { token: dispatcher.token })).body.status).toBe('reported');

    const lead = await as(server.url, 'demo-lead');
    const active = await catalogOf(server.url, lead);
    const items = active.items.map(({ handleLimit: _h, ...rest }) => rest);
    items[0] = { ...items[0]!, name: `${items[0]!.name}\u0000` };
    const draft = await api<ApiError>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: lead.token, json: { note: '改名', items, referrals: active.referrals } });
    expect([draft.status, ...fieldCodes(draft.body)]).toEqual([400, 'items.0.name:control_character']);

    const secadmin = await as(server.url, 'demo-secadmin');
    const user = await api<ApiError>(server.url, '/api/v1/users', {
      method: 'POST',
      token: secadmin.token,
      json: { username: 'li.na', displayName: '李娜\u202Egnp.exe', password: 'Lina#2026-x', roles: ['wall'] },
    });
    expect([user.status, ...fieldCodes(user.body)]).toEqual([400, 'displayName:bidi_control']);
  });
});

describe('positions must be plausible for the county', () => {
  let bbox: [number, number, number, number];
  beforeAll(async () => {
    bbox = (await api<RegionsResponse>(server.url, '/api/v1/regions', { token: dispatcher.token })).body.bbox;
  });
  const midLat = () => (bbox[1] + bbox[3]) / 2;
  /** `km` east of the county's bounding box, at its middle latitude. */
  const eastBy = (km: number) => ({ lon: bbox[2] + km / (111.32 * Math.cos((midLat() * Math.PI) / 180)), lat: midLat() });
  const reportPosition = (position: { lon: number; lat: number; crs?: string }) =>
    api<TeamPositionResult & ApiError>(server.url, `/api/v1/teams/${field.teamId}/position`, { method: 'POST', token: field.token, json: position });

  it('refuses a team position at (0, 0) or far away, over REST and the socket, and stores nothing', async () => {
    const trail = async () => (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM team_positions'))!.n;
    const before = await trail();
    for (const position of [{ lon: 0, lat: 0 }, { lon: 116.397, lat: 39.909 }, eastBy(50)]) {
      const res = await reportPosition(position);
      expect([res.status, res.body.error?.code, ...fieldCodes(res.body)], JSON.stringify(position)).toEqual([422, 'outside_county', 'position:outside_county']);
    }
    const client = connectClient(server.url, { token: field.token });
    await client.ready;
    const ack = await new Promise<TeamPositionAck>((done) => client.socket.emit('team:position', { lon: 0, lat: 0 }, done));
    client.socket.disconnect();
    expect(ack).toMatchObject({ ok: false, error: { code: 'outside_county' } });
    expect(await trail()).toBe(before);
  });

  it('takes positions in the county and within the margin beyond it', async () => {
    for (const position of [inTown, eastBy(1)]) expect((await reportPosition(position)).status, JSON.stringify(position)).toBe(200);
  });

  it('refuses an action position and an intake point outside the county', async () => {
    const event = await reported(server.url, dispatcher, item, inTown);
    const filed = await act(server.url, dispatcher, event.id, { action: 'file', position: { lon: 0, lat: 0 } });
    expect([filed.status, ...fieldCodes(filed.body)]).toEqual([422, 'position:outside_county']);
    expect((await api<EventRecord>(server.url, `/api/v1/events/${event.id}`, { token: dispatcher.token })).body.status).toBe('reported');
    expect((await post({ ...valid, location: { lon: 0, lat: 0 } })).status).toBe(422);
  });
});

describe('numbers in URLs are plain decimals', () => {
  it.each(['0x1', '1e0', '+1', '%201', '1%20', '01', '1.0', '-1'])('answers 400 to catalog version %s', async (version) => {
    const res = await api<ApiError>(server.url, `/api/v1/catalog/versions/${version}`, { token: dispatcher.token });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_params']);
  });

  it('reads version 1 as 1, and pages likewise', async () => {
    expect((await api(server.url, '/api/v1/catalog/versions/1', { token: dispatcher.token })).status).toBe(200);
    expect((await api(server.url, '/api/v1/events?page=2&pageSize=5', { token: dispatcher.token })).status).toBe(200);
    for (const query of ['page=0x2', 'pageSize=1e2', 'page=+1', 'pageSize=']) {
      expect((await api(server.url, `/api/v1/events?${query}`, { token: dispatcher.token })).status, query).toBe(400);
      expect((await api(server.url, `/api/v1/alerts?${query}`, { token: dispatcher.token })).status, query).toBe(400);
    }
  });
});

describe('a request body that never completes', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ config: { requestTimeoutMs: 1000 } });
  });
  afterAll(async () => slow?.stop());

  it('is answered 408 and closed after the request timeout; the server answers others on', async () => {
    const { port, hostname } = new URL(slow.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.write(
      `POST /api/v1/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${slow.token}\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"itemCode":`,
    );
    // no wall-clock assertion: the bound only keeps a broken server from hanging the suite
    await Promise.race([closed, new Promise((_, fail) => setTimeout(() => fail(new Error(`not closed; received: ${received}`)), 20_000))]);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'request_timeout' } });
    expect((await api(slow.url, '/api/v1/health', { anonymous: true })).status).toBe(200);
  });
});
