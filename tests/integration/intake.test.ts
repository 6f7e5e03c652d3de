import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventCreated, EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import { api, connectClient, intakeAt, pointInCounty, SMALL_COUNTY, someItemCode, startTestServer, storedCounts, waitFor, type TestServer } from './harness.js';

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
    const before = storedCounts(server.db);

    const posted = Date.now();
    const res = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: point.lon, lat: point.lat }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'reported', seq: health.seq + 1, microGridId: point.microGridId, gridId: point.gridId });
    expect(res.body.id).toMatch(/^EV\d{12}$/);
    expect(res.body.villageId).toBe(res.body.gridId.slice(0, 12));
    expect(res.body.townId).toBe(res.body.gridId.slice(0, 9));

    const pushed = await waitFor(() => client.changes.find((c) => c.event.id === res.body.id), 1000, 'event:changed');
    expect(Date.now() - posted).toBeLessThan(1000);
    expect(pushed.seq).toBe(res.body.seq);
    expect(pushed.event.status).toBe('reported');

    const stored = await api<EventRecord>(server.url, `/api/v1/events/${res.body.id}`);
    expect(stored.body).toEqual(pushed.event);
    expect(storedCounts(server.db)).toEqual({ ...before, events: before.events + 1, changes: before.changes + 1 });
    client.socket.close();
  });

  it('places an event given only a unified address code at that household', async () => {
    const household = server.db.prepare('SELECT address_code, micro_grid_id, address, lon, lat FROM households ORDER BY address_code LIMIT 1 OFFSET 17').get() as {
      address_code: string;
      micro_grid_id: string;
      address: string;
      lon: number;
      lat: number;
    };
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
    const logged = server.db.prepare('SELECT seq FROM event_changes ORDER BY seq').all() as Array<{ seq: number }>;
    expect(logged.map((r) => r.seq)).toEqual(Array.from({ length: logged.length }, (_, i) => i + 1));
  });
});
