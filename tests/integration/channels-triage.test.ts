import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeChannel } from '../../shared/contracts/auth.js';
import type { ChannelQueued, TriageChangedPayload, TriageItem, TriageListResponse } from '../../shared/contracts/channels.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { api, connectClient, DEMO_PASSWORD, loginAs, pointInCounty, startTestServer, waitFor, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

/** A 202 (queued), a 201 (the case) or an error: the fields a test reads of any of them. */
type Answer = Omit<ChannelQueued, 'status'> & Omit<EventCreated, 'status'> & ApiError & { status: string };

const post = <T = Answer>(body: unknown, key: IntakeChannel = 'hotline') =>
  api<T>(server.url, '/api/v1/intake/hotline', { method: 'POST', json: body, anonymous: true, headers: { 'x-api-key': demoChannelKey(key, DEMO_PASSWORD) } });

let n = 0;
const caseNumber = () => `ZJ12345-T${++n}`;
/** Words no mapping holds and no item's words match: the classifier cannot be sure. */
const vague = { itemText: '其他', description: '来电人反映的情况请相关部门核实处理' };

const triage = (query = '', token?: string) => api<TriageListResponse>(server.url, `/api/v1/triage${query}`, token ? { token } : {});

describe('the triage queue (待人工甄别)', () => {
  it('queues a hotline case whose item is uncertain (202, nothing written to cases), with the suggestions and their words', async () => {
    const wgs = await pointInCounty(server.url, 4);
    const before = await storedCountsIn(server.store);
    const body = { channelId: caseNumber(), caller: { phone: '139****8888' }, location: { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' }, ...vague };
    const res = await post(body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ triageId: expect.stringMatching(/^TR[0-9A-F]{16}$/), status: 'pending', reasons: ['item_uncertain'] });
    expect((await storedCountsIn(server.store)).events).toBe(before.events);

    const again = await post(body);
    expect(again.status).toBe(202);
    expect(again.body.triageId).toBe(res.body.triageId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const list = await triage();
    const item = list.body.items.find((i) => i.id === res.body.triageId)!;
    expect(item).toMatchObject({ channel: 'hotline', channelId: body.channelId, reasons: ['item_uncertain'], townId: expect.any(String), caller: { phone: '139****8888' } });
    expect(item.suggestions.length).toBeGreaterThanOrEqual(3);
    expect(item.suggestions[0]).toMatchObject({ itemCode: expect.any(String), score: expect.any(Number), words: expect.any(Array) });
    expect(list.body.pending).toBeGreaterThanOrEqual(1);
  });

  it('resolves into a case through the one intake; the channel\'s retry then answers the case', async () => {
    const wgs = await pointInCounty(server.url, 8);
    const body = { channelId: caseNumber(), location: { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' }, ...vague };
    const queued = await post(body);
    expect(queued.status).toBe(202);
    const item = (await triage()).body.items.find((i) => i.id === queued.body.triageId)!;
    const itemCode = item.suggestions[1]!.itemCode;

    const made = await api<EventCreated & ApiError>(server.url, `/api/v1/triage/${queued.body.triageId}/resolve`, { method: 'POST', json: { itemCode } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ microGridId: wgs.microGridId, event: { itemCode, source: 'hotline_12345' } });
    const timeline = (await api<TimelineResponse>(server.url, `/api/v1/events/${made.body.id}/timeline`)).body;
    expect(timeline.entries[0]!.details).toMatchObject({ channel: 'hotline', channelId: body.channelId, itemBy: 'person', triageId: queued.body.triageId });

    const retry = await post(body);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(made.body.id);
    const twice = await api<ApiError>(server.url, `/api/v1/triage/${queued.body.triageId}/resolve`, { method: 'POST', json: { itemCode } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('triage_decided');
    expect((await triage()).body.items.some((i) => i.id === queued.body.triageId)).toBe(false);
    const audited = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'triage:resolve' AND object_id = ?", queued.body.triageId))!;
    expect(audited.n).toBe(1);
  });

  it('queues a case whose address resolves nowhere; resolving it needs the place', async () => {
    const body = { channelId: caseNumber(), address: '火星基地一号楼', itemText: '城市管理/占道经营', description: '门口有人摆摊' };
    const queued = await post(body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    expect(queued.body.reasons).toEqual(['address_unresolved']);
    const item = (await api<TriageItem>(server.url, `/api/v1/triage/${queued.body.triageId}`)).body;
    expect(item.townId).toBeNull();
    expect(item.suggestions[0]!.score).toBe(1);

    const townUser = await loginAs(server.url, 'demo-town-dispatcher');
    expect((await triage('', townUser)).body.items.some((i) => i.id === queued.body.triageId)).toBe(false);

    const noPlace = await api<ApiError>(server.url, `/api/v1/triage/${queued.body.triageId}/resolve`, { method: 'POST', json: { itemCode: item.suggestions[0]!.itemCode } });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body.error.fields).toEqual([expect.objectContaining({ field: 'location', code: 'required' })]);
    const wgs = await pointInCounty(server.url, 12);
    const made = await api<EventCreated>(server.url, `/api/v1/triage/${queued.body.triageId}/resolve`, { method: 'POST', json: { itemCode: item.suggestions[0]!.itemCode, location: { lon: wgs.lon, lat: wgs.lat } } });
    expect(made.status).toBe(201);
    expect(made.body.microGridId).toBe(wgs.microGridId);
  });

  it('dismisses with a reason (kept, audited); the retry still answers 202, dismissed', async () => {
    const wgs = await pointInCounty(server.url, 9);
    const body = { channelId: caseNumber(), location: { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' }, ...vague };
    const queued = await post(body);
    const before = await storedCountsIn(server.store);
    const res = await api<TriageItem>(server.url, `/api/v1/triage/${queued.body.triageId}/dismiss`, { method: 'POST', json: { reason: '重复来电，已并入前一工单' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'dismissed', dismissReason: '重复来电，已并入前一工单', decidedBy: expect.any(String) });
    expect(await storedCountsIn(server.store)).toEqual(before);
    const retry = await post(body);
    expect(retry.status).toBe(202);
    expect(retry.body.status).toBe('dismissed');
    expect((await triage('?status=dismissed')).body.items[0]!.id).toBe(queued.body.triageId);
  });

  it('is for the command room only', async () => {
    const worker = await loginAs(server.url, 'demo-field');
    expect((await triage('', worker)).status).toBe(403);
    const wall = await loginAs(server.url, 'demo-wall');
    expect((await triage('', wall)).status).toBe(403);
  });

  it('pushes each change live over the socket, after it is stored', async () => {
    const client = connectClient(server.url, {});
    const pushes: TriageChangedPayload[] = [];
    client.socket.on('triage:changed', (p) => pushes.push(p));
    await client.ready;
    try {
      const wgs = await pointInCounty(server.url, 14);
      const queued = await post({ channelId: caseNumber(), location: { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' }, ...vague });
      const pushed = await waitFor(() => pushes.find((p) => p.id === queued.body.triageId), 5_000, 'triage:changed (queued)');
      expect(pushed).toEqual({ id: queued.body.triageId, channel: 'hotline', status: 'pending', townId: expect.any(String), eventId: null });
      const stored = (await server.store.get<{ status: string }>('SELECT status FROM triage_items WHERE id = ?', pushed.id))!;
      expect(stored.status).toBe('pending');

      const item = (await triage()).body.items.find((i) => i.id === queued.body.triageId)!;
      const made = await api<EventCreated>(server.url, `/api/v1/triage/${item.id}/resolve`, { method: 'POST', json: { itemCode: item.suggestions[0]!.itemCode } });
      const resolved = await waitFor(() => pushes.find((p) => p.id === item.id && p.status === 'resolved'), 5_000, 'triage:changed (resolved)');
      expect(resolved.eventId).toBe(made.body.id);
    } finally {
      client.socket.close();
    }
  });
});
