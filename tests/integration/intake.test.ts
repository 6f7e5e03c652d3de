import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ID_PATTERN, type EventCreated, type EventListResponse, type EventRecord } from '../../shared/contracts/events.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import { api, connectClient, intakeAt, pointInCounty, SMALL_COUNTY, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';
import { as, catalogOf, done, pick, pointIn, report, reported, timelineOf, type Who } from './workflow-driver.js';

let server: TestServer;
let itemCode: string;

beforeAll(async () => {
  server = await startTestServer();
  itemCode = await someItemCode(server.url);
});
afterAll(async () => server?.stop());

describe('the county over REST', () => {
  it('serves every level as GeoJSON with the asked-for counts and linked parents', async () => {
    const levels = { town: SMALL_COUNTY.towns, village: SMALL_COUNTY.villages, grid: SMALL_COUNTY.grids, microgrid: SMALL_COUNTY.microGrids };
    const ids: Record<string, Set<string>> = {};
    for (const [level, count] of Object.entries(levels)) {
      const { status, body } = await api<{ type: string; features: Array<{ geometry: { type: string }; properties: Record<string, string> }> }>(server.url, `/api/v1/geo/${level}`);
      expect(status).toBe(200);
      expect(body.type).toBe('FeatureCollection');
      expect(body.features).toHaveLength(count);
      for (const f of body.features) {
        expect(f.geometry.type).toBe('Polygon');
        expect(f.properties).toMatchObject({ id: expect.any(String), code: expect.any(String), name: expect.any(String), parentId: expect.any(String) });
      }
      ids[level] = new Set(body.features.map((f) => f.properties.id!));
    }
    const parentsOf = async (level: string) =>
      (await api<{ features: Array<{ properties: { parentId: string } }> }>(server.url, `/api/v1/geo/${level}`)).body.features.map((f) => f.properties.parentId);
    expect((await parentsOf('grid')).every((p) => ids.village!.has(p))).toBe(true);
    expect((await parentsOf('microgrid')).every((p) => ids.grid!.has(p))).toBe(true);
  });

  it('answers the county tree with totals that match the levels', async () => {
    const { body } = await api<RegionsResponse>(server.url, '/api/v1/regions');
    expect(body.totals).toMatchObject({ towns: 3, villages: 8, grids: 24, microGrids: 100, fullTimeWorkers: 24 });
    expect(body.county.children).toHaveLength(3);
    expect(body.county.children!.reduce((s, t) => s + t.counts.grids, 0)).toBe(24);
  });

  it('lists events with filters and pagination', async () => {
    const all = await api<EventListResponse>(server.url, '/api/v1/events?pageSize=5');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.total).toBeGreaterThan(30);
    const closed = await api<EventListResponse>(server.url, '/api/v1/events?status=closed&pageSize=1000');
    expect(closed.body.items.every((e) => e.status === 'closed')).toBe(true);
    const town = all.body.items[0]!.townId;
    const inTown = await api<EventListResponse>(server.url, `/api/v1/events?town=${town}&pageSize=1000`);
    expect(inTown.body.total).toBeGreaterThan(0);
    expect(inTown.body.items.every((e) => e.townId === town)).toBe(true);
    const page2 = await api<EventListResponse>(server.url, '/api/v1/events?pageSize=5&page=2');
    expect(page2.body.items[0]!.id).not.toBe(all.body.items[0]!.id);
  });
});

describe('intake', () => {
  it('stores a reported event with its place found by point, then pushes it within a second', async () => {
    const health = (await api<HealthResponse>(server.url, '/api/v1/health')).body;
    const client = connectClient(server.url, { lastSeq: health.seq });
    await client.ready;
    const point = await pointInCounty(server.url, 5);
    const before = await storedCountsIn(server.store);

    const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: point.lon, lat: point.lat }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'reported', seq: health.seq + 1, microGridId: point.microGridId, gridId: point.gridId });
    expect(res.body.id).toMatch(EVENT_ID_PATTERN);
    expect(res.body.villageId).toBe(res.body.gridId.slice(0, 12));
    expect(res.body.townId).toBe(res.body.gridId.slice(0, 9));

    const pushed = await waitFor(() => client.changes.find((c) => c.event.id === res.body.id), 10_000, 'event:changed');
    expect(pushed.seq).toBe(res.body.seq);
    expect(pushed.event.status).toBe('reported');

    const stored = await api<EventRecord>(server.url, `/api/v1/events/${res.body.id}`);
    expect(stored.body).toEqual(pushed.event);
    expect(await storedCountsIn(server.store)).toEqual({ ...before, events: before.events + 1, changes: before.changes + 1 });
    client.socket.close();
  });

  it('places an event given only a unified address code at that household', async () => {
    const household = (await server.store.get<{
      address_code: string;
      micro_grid_id: string;
      address: string;
      lon: number;
      lat: number;
    }>('SELECT address_code, micro_grid_id, address, lon, lat FROM households ORDER BY address_code LIMIT 1 OFFSET 17'))!;
    const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { addressCode: household.address_code }) });
    expect(res.status).toBe(201);
    expect(res.body.microGridId).toBe(household.micro_grid_id);
    expect(res.body.event).toMatchObject({ addressCode: household.address_code, address: household.address, location: { lon: household.lon, lat: household.lat } });
  });

  it('numbers changes without gaps across many intakes', async () => {
    const start = (await api<HealthResponse>(server.url, '/api/v1/health')).body.seq;
    const point = await pointInCounty(server.url, 9);
    const seqs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: point.lon, lat: point.lat }, { description: `第${i}次上报` }) });
      seqs.push(res.body.seq);
    }
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => start + 1 + i));
    const logged = await server.store.all<{ seq: number }>('SELECT seq FROM event_changes ORDER BY seq');
    expect(logged.map((r) => r.seq)).toEqual(Array.from({ length: logged.length }, (_, i) => i + 1));
  });
});

describe('closed-loop intake', () => {
  let catalog: CatalogResponse;
  let field: Who;
  beforeAll(async () => {
    catalog = await catalogOf(server.url);
    field = await as(server.url, 'demo-field');
  });

  const dispatcher = (): Who => ({ username: 'demo-dispatcher', token: server.token, userId: '', teamId: null, towns: null });

  it('records an item outside the catalog as not admitted, with the reason and the receiving body, audited and listed', async () => {
    const client = connectClient(server.url, { lastSeq: (await storedCountsIn(server.store)).changes });
    await client.ready;
    const p = await pointInCounty(server.url, 4);
    const unknown = await report(server.url, dispatcher(), intakeAt('ZZ99', { lon: p.lon, lat: p.lat }));
    expect(unknown.status).toBe(201);
    expect(unknown.body.event).toMatchObject({
      status: 'not_admitted',
      itemCode: 'ZZ99',
      itemName: 'ZZ99',
      category: 'not_admitted',
      step: null,
      deadlineAt: null,
      dueAt: null,
      refusal: { reason: 'unknown_item', receivingBody: '县社会治理综合指挥中心（人工甄别）' },
    });
    const referral = catalog.referrals[0]!;
    const referred = await report(server.url, dispatcher(), intakeAt(referral.code, { lon: p.lon, lat: p.lat }));
    expect(referred.body.event).toMatchObject({ status: 'not_admitted', itemName: referral.name, refusal: { reason: 'referred', receivingBody: referral.receivingBody } });

    const listed = await api<EventListResponse>(server.url, '/api/v1/events?status=not_admitted&pageSize=1000');
    expect(listed.body.items.map((e) => e.id)).toEqual(expect.arrayContaining([unknown.body.id, referred.body.id]));
    const pushed = await waitFor(() => client.changes.find((c) => c.event.id === unknown.body.id), 10_000, 'the not-admitted push');
    expect(pushed.kind).toBe('not-admitted');
    const timeline = (await timelineOf(server.url, dispatcher(), unknown.body.id)).body;
    expect(timeline.entries).toMatchObject([{ action: 'not-admitted', from: null, to: 'not_admitted', actor: { username: 'demo-dispatcher' }, details: { reason: 'unknown_item' } }]);

    const auditor = await as(server.url, 'demo-auditor');
    const audit = await api<AuditListResponse>(server.url, `/api/v1/audit?objectId=${unknown.body.id}`, { token: auditor.token });
    expect(audit.body.items).toMatchObject([{ action: 'event:create', result: 'success', details: { notAdmitted: { reason: 'unknown_item' } } }]);
    client.socket.close();
  });

  it('records and closes a self-handled report (自行处置) for an item that allows it', async () => {
    const item = pick(catalog, 'self-handled', (i) => i.selfHandle);
    const p = await pointIn(server.url, field.towns![0]!, 2);
    const before = await storedCountsIn(server.store);
    const res = await report(server.url, field, intakeAt(item.item.code, { lon: p.lon, lat: p.lat }, { urgency: item.urgency, selfHandled: true, result: '当场劝解，双方和好' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', seq: before.changes + 2 });
    expect(res.body.event).toMatchObject({ status: 'closed', selfHandled: true, result: '当场劝解，双方和好', step: null, deadlineAt: null });
    const timeline = (await timelineOf(server.url, field, res.body.id)).body;
    expect(timeline.entries.map((e) => [e.action, e.from, e.to, e.actor?.username])).toEqual([
      ['intake', null, 'reported', 'demo-field'],
      ['self-handled', 'reported', 'closed', 'demo-field'],
    ]);
  });

  it('refuses self-handling an item that does not allow it, and a self-handled report without its result', async () => {
    const item = pick(catalog, 'not self-handled', (i) => !i.selfHandle);
    const p = await pointIn(server.url, field.towns![0]!, 2);
    const before = await storedCountsIn(server.store);
    const refused = await report(server.url, field, intakeAt(item.item.code, { lon: p.lon, lat: p.lat }, { urgency: item.urgency, selfHandled: true, result: '已处置' }));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'self_handle_not_allowed', fields: [{ field: 'selfHandled' }] });
    const noResult = await report(server.url, field, intakeAt(item.item.code, { lon: p.lon, lat: p.lat }, { urgency: item.urgency, selfHandled: true }));
    expect(noResult.status).toBe(400);
    expect(noResult.body.error.fields).toMatchObject([{ field: 'result', code: 'required' }]);
    const resultAlone = await report(server.url, field, intakeAt(item.item.code, { lon: p.lon, lat: p.lat }, { urgency: item.urgency, result: '已处置' }));
    expect(resultAlone.status).toBe(400);
    expect(resultAlone.body.error.fields).toMatchObject([{ field: 'result', code: 'self_handled_only' }]);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('refuses an urgency the item does not have, naming the ones it has', async () => {
    const item = catalog.items.find((i) => i.urgencies.length < 4)!;
    const other = (['P0', 'P1', 'P2', 'P3'] as const).find((u) => !item.urgencies.includes(u))!;
    const p = await pointInCounty(server.url, 2);
    const before = await storedCountsIn(server.store);
    const res = await report(server.url, dispatcher(), intakeAt(item.code, { lon: p.lon, lat: p.lat }, { urgency: other }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toMatchObject([{ field: 'urgency', code: 'not_allowed', message: expect.stringContaining(item.urgencies[0]!) }]);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('files and dispatches by machine to an available home team, and says why not when there is none', async () => {
    const auto = pick(catalog, 'auto-dispatched', (i, u) => i.autoDispatch?.urgencies.includes(u) ?? false);
    const home = (await server.store.get<{ id: string; village: string }>(
      `SELECT t.id, t.home_region_id AS village FROM teams t JOIN regions r ON r.id = t.home_region_id
       WHERE t.type = ? AND r.level = 'village' AND t.status = 'available' ORDER BY t.id LIMIT 1`,
      auto.item.teamType,
    ))!;
    const p = await pointIn(server.url, home.village.slice(0, 9), 0, home.village);
    const client = connectClient(server.url, { lastSeq: (await storedCountsIn(server.store)).changes });
    await client.ready;

    const event = await reported(server.url, dispatcher(), auto, p);
    expect(event).toMatchObject({ status: 'dispatched', autoDispatched: true, step: 'handle' });
    const teams = await server.store.all<{ id: string }>('SELECT id FROM teams WHERE home_region_id IN (?, ?)', home.village, home.village.slice(0, 9));
    expect(teams.map((t) => t.id)).toContain(event.teamId);
    const timeline = (await timelineOf(server.url, dispatcher(), event.id)).body;
    expect(timeline.entries.map((e) => [e.action, e.from, e.to, e.actor, e.auto])).toEqual([
      ['intake', null, 'reported', expect.objectContaining({ username: 'demo-dispatcher' }), false],
      ['auto-dispatch', 'reported', 'filed', null, true],
      ['auto-dispatch', 'filed', 'dispatched', null, true],
    ]);
    expect(timeline.entries[2]!.details).toMatchObject({ teamId: event.teamId, reasons: expect.arrayContaining(['type_match']) });
    const kinds = await waitFor(() => {
      const mine = client.changes.filter((c) => c.event.id === event.id);
      return mine.length === 3 && mine.map((c) => c.kind);
    }, 1000, 'three pushes');
    expect(kinds).toEqual(['reported', 'auto-dispatch', 'auto-dispatch']);
    client.socket.close();

    // no home team on duty: the case waits for a dispatcher, and the timeline says why
    const area = [home.village, home.village.slice(0, 9)];
    const saved = await server.store.all<{ id: string; status: string }>('SELECT id, status FROM teams WHERE home_region_id IN (?, ?)', ...area);
    await server.store.run("UPDATE teams SET status = 'off_duty' WHERE home_region_id IN (?, ?)", ...area);
    try {
      const waiting = await reported(server.url, dispatcher(), auto, p);
      expect(waiting).toMatchObject({ status: 'reported', autoDispatched: false, teamId: null });
      const entries = (await timelineOf(server.url, dispatcher(), waiting.id)).body.entries;
      expect(entries.map((e) => e.action)).toEqual(['intake', 'auto-dispatch']);
      expect(entries[1]).toMatchObject({ from: 'reported', to: 'reported', actor: null, auto: true, details: { dispatched: false } });
    } finally {
      for (const t of saved) await server.store.run('UPDATE teams SET status = ? WHERE id = ?', t.status, t.id);
    }
  });

  it('records an item retired from the catalog as not admitted, and keeps working the cases taken in under it', async () => {
    const retire = pick(catalog, 'to retire', (i, u) => !i.autoDispatch?.urgencies.includes(u));
    const p = await pointInCounty(server.url, 8);
    const open = await reported(server.url, dispatcher(), retire, p);

    const lead = await as(server.url, 'demo-lead');
    const approver = await as(server.url, 'demo-approver');
    const items = catalog.items.filter((i) => i.code !== retire.item.code).map(({ handleLimit: _h, ...input }) => input);
    const draft = await api<{ version: number }>(server.url, '/api/v1/catalog/versions', {
      method: 'POST',
      json: { note: `停用 ${retire.item.code}`, items, referrals: catalog.referrals },
      token: lead.token,
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const approved = await api(server.url, `/api/v1/catalog/versions/${draft.body.version}/approve`, { method: 'POST', json: {}, token: approver.token });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const res = await report(server.url, dispatcher(), intakeAt(retire.item.code, { lon: p.lon, lat: p.lat }, { urgency: retire.urgency }));
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({
      status: 'not_admitted',
      catalogVersion: draft.body.version,
      itemName: retire.item.name,
      refusal: { reason: 'retired_item', receivingBody: retire.item.department },
    });
    // the case taken in under the old version still runs on that version's item
    expect(open.catalogVersion).toBe(catalog.version);
    expect((await done(server.url, dispatcher(), open.id, { action: 'file' })).event.status).toBe('filed');
  });
});
