import gcoord from 'gcoord';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeMappings } from '../../shared/contracts/channels.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import type { IntakeChannel } from '../../shared/contracts/auth.js';
import { distanceMeters } from '../../shared/domain/duplicates.js';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { api, cleanupAfterAll, DEMO_PASSWORD, loginAs, pointInCounty, startTestServer, type TestServer } from './harness.js';
import { storedCountsIn, valueOf } from './store-rows.js';

const cleanup = cleanupAfterAll();

let server: TestServer;
let mappings: IntakeMappings;
let png: string;
beforeAll(async () => {
  server = await startTestServer();
  mappings = (await api<IntakeMappings>(server.url, '/api/v1/intake/mappings')).body;
  png = (await sharp({ create: { width: 16, height: 12, channels: 3, background: '#c03020' } }).png().toBuffer()).toString('base64');
});
afterAll(async () => server?.stop());

const post = <T = EventCreated & ApiError>(channel: string, body: unknown, key: IntakeChannel = channel as IntakeChannel) =>
  api<T>(server.url, `/api/v1/intake/${channel}`, { method: 'POST', json: body, anonymous: true, headers: { 'x-api-key': demoChannelKey(key, DEMO_PASSWORD) } });

let n = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

const camera = () => mappings.cameras[3]!;
const videoAlert = (overrides: Record<string, unknown> = {}) => ({
  channelId: nextId('VA'),
  cameraId: camera().id,
  alertType: 'occupy_road',
  confidence: 0.91,
  occurredAt: new Date().toISOString(),
  snapshot: { base64: png },
  ...overrides,
});

const timelineOf = async (id: string) => (await api<TimelineResponse>(server.url, `/api/v1/events/${id}/timeline`)).body;

describe('the demo county has what the channels need out of the box', () => {
  it('seeds cameras in micro-grids and both mapping tables', () => {
    expect(mappings.cameras.length).toBeGreaterThan(10);
    expect(mappings.cameras[0]).toMatchObject({ id: 'CAM0001', microGridId: expect.any(String) });
    expect(mappings.video.map((m) => m.alertType)).toContain('occupy_road');
    expect(mappings.hotline.map((m) => m.categoryText)).toContain('城市管理/占道经营');
  });

  it('fills them at the start of a demo server whose data folder was seeded before the adapters existed', async () => {
    const dataDir = cleanup.tempDir();
    const first = await startTestServer({ dataDir });
    await first.store.exec('DELETE FROM cameras; DELETE FROM video_alert_mappings; DELETE FROM hotline_category_mappings;');
    await first.stop();
    const again = await startTestServer({ dataDir });
    try {
      const count = (table: string) => valueOf<number>(again.store, `SELECT COUNT(*) AS n FROM ${table}`);
      expect([await count('cameras'), await count('video_alert_mappings'), await count('hotline_category_mappings')]).toEqual([mappings.cameras.length, mappings.video.length, mappings.hotline.length]);
    } finally {
      await again.stop();
    }
  });
});

describe('video AI alerts', () => {
  it('creates the case at the camera with the snapshot as its photo and the channel facts in its first entry', async () => {
    const body = videoAlert();
    const res = await post('video', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(camera().microGridId);
    expect(res.body.event.source).toBe('video_ai');
    expect(res.body.event.itemCode).toBe(mappings.video.find((m) => m.alertType === 'occupy_road')!.itemCode);
    const [first] = (await timelineOf(res.body.id)).entries;
    expect(first!.details).toMatchObject({ channel: 'video', channelId: body.channelId, cameraId: camera().id, alertType: 'occupy_road', confidence: 0.91 });
    expect(first!.attachments).toHaveLength(1);
  });

  it('answers a retry with the first answer and writes nothing; another body under the same id is refused', async () => {
    const body = videoAlert();
    const first = await post('video', body);
    expect(first.status).toBe(201);
    const before = await storedCountsIn(server.store);
    const again = await post('video', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await storedCountsIn(server.store)).toEqual(before);
    const changed = await post('video', { ...body, confidence: 0.99 });
    expect(changed.status).toBe(422);
    expect(changed.body.error).toMatchObject({ code: 'idempotency_conflict', eventId: first.body.id });
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('refuses the key of another channel (403, audited) and a person\'s session', async () => {
    const before = await storedCountsIn(server.store);
    const res = await post('video', videoAlert(), 'hotline');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'channel_mismatch', channel: 'video', keyChannel: 'hotline' });
    const denied = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access:denied' AND reason = 'channel_mismatch'"))!;
    expect(denied.n).toBeGreaterThan(0);
    const session = await api<ApiError>(server.url, '/api/v1/intake/video', { method: 'POST', json: videoAlert() });
    expect(session.status).toBe(403);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = await storedCountsIn(server.store);
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ cameraId: 'CAM9999' }, 400, 'cameraId', 'unknown_camera'],
      [{ alertType: 'ufo_sighting' }, 422, 'alertType', 'unmapped_alert_type'],
      [{ confidence: 0.2 }, 422, 'confidence', 'below_floor'],
      [{ confidence: 1.5 }, 400, 'confidence', 'too_big'],
      [{ snapshot: { base64: 'not base64!' } }, 400, 'snapshot.base64', 'bad_format'],
      [{ snapshot: { base64: Buffer.from('GIF89a not a jpeg').toString('base64') } }, 400, 'snapshot.base64', 'image_not_jpeg_or_png'],
      [{ snapshot: { base64: png.slice(0, 40) } }, 400, 'snapshot.base64', 'image_not_an_image'],
      [{ location: { lon: 120, lat: 29, crs: 'cgcs2000' } }, 400, 'location.crs', 'not_allowed'],
      [{ location: { lon: 116.4, lat: 39.9, crs: 'wgs84' } }, 422, 'location', 'outside_county'],
    ];
    for (const [overrides, status, field, code] of cases) {
      const res = await post('video', videoAlert(overrides));
      expect(res.status, `${JSON.stringify(overrides).slice(0, 80)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
      expect(res.body.error.fields!.every((f) => f.message.length > 0)).toBe(true);
    }
    expect(await storedCountsIn(server.store)).toEqual(before);
  });
});

describe('the WeChat mini-program', () => {
  it('places a GCJ-02 point (the default) in the right micro-grid, with its photos', async () => {
    const wgs = await pointInCounty(server.url, 11);
    const [lon, lat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.GCJ02);
    expect(distanceMeters(wgs, { lon, lat })).toBeGreaterThan(200);
    const body = { channelId: nextId('MP'), reporterRef: 'a'.repeat(64), location: { lon, lat }, photos: [{ base64: `data:image/png;base64,${png}` }], itemCode: mappings.video[0]!.itemCode, description: '楼下垃圾堆了三天没人清' };
    const res = await post('miniprogram', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(wgs.microGridId);
    expect(distanceMeters(res.body.event.location, wgs)).toBeLessThan(0.5);
    expect(res.body.event.source).toBe('citizen_app');
    const [first] = (await timelineOf(res.body.id)).entries;
    expect(first!.details).toMatchObject({ channel: 'miniprogram', channelId: body.channelId });
    expect(first!.attachments).toHaveLength(1);
    expect((await post('miniprogram', body)).body.id).toBe(res.body.id);
  });
});

describe('the 12345 hotline', () => {
  let theHousehold: { address: string; address_code: string; micro_grid_id: string };
  beforeAll(async () => {
    theHousehold = (await server.store.get<typeof theHousehold>('SELECT address, address_code, micro_grid_id FROM households ORDER BY address_code LIMIT 1 OFFSET 17'))!;
  });
  const household = () => theHousehold;
  const hotlineCase = (overrides: Record<string, unknown> = {}) => ({
    channelId: nextId('ZJ12345'),
    caller: { name: '张女士', phone: '138****1234' },
    address: household().address,
    itemText: '城市管理/占道经营',
    description: '有人在小区门口摆摊卖水果，堵住了人行道',
    ...overrides,
  });

  it('maps the category words and resolves the address through the unified address', async () => {
    const body = hotlineCase();
    const res = await post('hotline', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(household().micro_grid_id);
    expect(res.body.event.addressCode).toBe(household().address_code);
    expect(res.body.event.source).toBe('hotline_12345');
    const [first] = (await timelineOf(res.body.id)).entries;
    expect(first!.details).toMatchObject({ channel: 'hotline', channelId: body.channelId, itemBy: 'mapping', caller: '138****1234' });
    const again = await post('hotline', body);
    expect(again.body.id).toBe(res.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('places BD-09 coordinates in the right micro-grid when there is no address', async () => {
    const wgs = await pointInCounty(server.url, 23);
    const [lon, lat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.BD09);
    const res = await post('hotline', hotlineCase({ address: undefined, location: { lon, lat, crs: 'bd09' } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(wgs.microGridId);
    expect(distanceMeters(res.body.event.location, wgs)).toBeLessThan(1);
  });

  it('refuses a case with neither address nor coordinates, and coordinates outside the county', async () => {
    const none = await post('hotline', hotlineCase({ address: undefined }));
    expect(none.status).toBe(400);
    expect(none.body.error.fields).toEqual([expect.objectContaining({ field: 'address', code: 'address_or_location' })]);
    const outside = await post('hotline', hotlineCase({ address: undefined, location: { lon: 116.4, lat: 39.9, crs: 'bd09' } }));
    expect(outside.status).toBe(422);
    expect(outside.body.error.code).toBe('outside_county');
  });

  it('meets the closed loop\'s duplicate detection across channels: a video alert of the same thing names the hotline case', async () => {
    const wgs = await pointInCounty(server.url, 31);
    const call = await post('hotline', hotlineCase({ address: undefined, location: { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' } }));
    expect(call.status).toBe(201);
    const alert = await post('video', videoAlert({ location: { lon: wgs.lon + 0.0001, lat: wgs.lat, crs: 'wgs84' } }));
    expect(alert.status).toBe(201);
    expect(alert.body.event.itemCode).toBe(call.body.event.itemCode);
    expect(alert.body.event.duplicateCandidates).toContain(call.body.id);
  });
});

describe('the mapping tables are editable, audited', () => {
  it('maps a new alert type, which then makes cases; an unknown item is refused', async () => {
    const itemCode = mappings.video.find((m) => m.alertType === 'garbage_exposed')!.itemCode;
    // the dispatcher may not edit mappings; a shift lead (catalog:edit) may
    const lead = await loginAs(server.url, 'demo-lead');
    const refused = await api<ApiError>(server.url, '/api/v1/intake/mappings/video/drone_litter', { method: 'PUT', token: lead, json: { itemCode: 'Z99', minConfidence: 0.5, label: '无人机发现垃圾' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ field: 'itemCode', code: 'unknown_item' })]);
    expect((await api(server.url, '/api/v1/intake/mappings/video/drone_litter', { method: 'PUT', json: { itemCode, minConfidence: 0.5, label: '无人机发现垃圾' } })).status).toBe(403);
    const saved = await api(server.url, '/api/v1/intake/mappings/video/drone_litter', { method: 'PUT', token: lead, json: { itemCode, minConfidence: 0.5, label: '无人机发现垃圾' } });
    expect(saved.status).toBe(200);
    expect((await post('video', videoAlert({ alertType: 'drone_litter' }))).status).toBe(201);
    const audited = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'config:change' AND object_type = 'video_alert_mapping' AND object_id = 'drone_litter'"))!;
    expect(audited.n).toBe(1);
  });
});

describe('the hotline adapter without HTTP (the bulk import uses it)', () => {
  it('a dry run validates, places and classifies, and writes nothing', async () => {
    const principal = (await server.handles.auth.authenticate({ apiKey: demoChannelKey('hotline', DEMO_PASSWORD) }))!;
    const actor = { principal, ctx: { sourceIp: null, client: 'test' } };
    const h = (await server.store.get<{ address: string; micro_grid_id: string }>('SELECT address, micro_grid_id FROM households ORDER BY address_code LIMIT 1 OFFSET 40'))!;
    const before = await storedCountsIn(server.store);
    const record = { channelId: nextId('DRY'), address: h.address, itemText: '占道经营', description: '门口有人摆摊' };
    const outcome = await server.handles.hotlineIntake.accept(record, actor, { dryRun: true });
    expect(outcome).toMatchObject({ outcome: 'accepted', created: null, replayed: false, item: { by: 'mapping' }, place: { microGridId: h.micro_grid_id, by: 'address' } });
    const vague = await server.handles.hotlineIntake.accept({ ...record, channelId: nextId('DRY'), address: '火星基地', itemText: '其他', description: '请核实' }, actor, { dryRun: true });
    expect(vague).toMatchObject({ outcome: 'queued', triageId: null, reasons: ['item_uncertain', 'address_unresolved'] });
    const invalid = await server.handles.hotlineIntake.accept({ channelId: 'x', itemText: '' }, actor, { dryRun: true });
    expect(invalid.outcome).toBe('invalid');
    expect(await storedCountsIn(server.store)).toEqual(before);
    expect(await valueOf<number>(server.store, 'SELECT COUNT(*) AS n FROM triage_items')).toBe(0);
  });
});
