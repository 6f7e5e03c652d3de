import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import { distanceMeters } from '../../shared/domain/duplicates.js';
import { api, intakeAt, pointInCounty, someItemCode, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let itemCode: string;
beforeAll(async () => {
  server = await startTestServer();
  itemCode = await someItemCode(server.url);
});
afterAll(async () => server?.stop());

const report = (location: Record<string, unknown>) =>
  api<EventCreated & ApiError>(server.url, '/api/v1/events', { method: 'POST', json: { ...intakeAt(itemCode, { lon: 0, lat: 0 }), location } });

describe('intake location in GCJ-02 (phone map stacks) or BD-09 (Baidu)', () => {
  it('converts a GCJ-02 point to WGS84 before locating and storing it', async () => {
    const wgs = await pointInCounty(server.url, 5);
    const [lon, lat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.GCJ02);
    expect(distanceMeters(wgs, { lon, lat })).toBeGreaterThan(200);

    const res = await report({ lon, lat, crs: 'gcj02' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(wgs.microGridId);
    expect(distanceMeters(res.body.event.location, wgs)).toBeLessThan(0.5);
    // stored and returned in WGS84 only
    expect(Object.keys(res.body.event.location).sort()).toEqual(['lat', 'lon']);
    const row = await server.store.get<{ lon: number; lat: number }>('SELECT lon, lat FROM events WHERE id = ?', res.body.id);
    expect(row).toEqual(res.body.event.location);
  });

  it('takes WGS84 as given, with or without crs', async () => {
    const wgs = await pointInCounty(server.url, 6);
    for (const location of [{ lon: wgs.lon, lat: wgs.lat }, { lon: wgs.lon, lat: wgs.lat, crs: 'wgs84' }]) {
      const res = await report(location);
      expect(res.status).toBe(201);
      expect(res.body.event.location).toEqual({ lon: wgs.lon, lat: wgs.lat });
    }
  });

  it('converts a BD-09 point (Baidu Map, many 12345 platforms) to WGS84 before locating it', async () => {
    const wgs = await pointInCounty(server.url, 8);
    const [lon, lat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.BD09);
    expect(distanceMeters(wgs, { lon, lat })).toBeGreaterThan(500);
    const res = await report({ lon, lat, crs: 'bd09' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.microGridId).toBe(wgs.microGridId);
    expect(distanceMeters(res.body.event.location, wgs)).toBeLessThan(1);
  });

  it('refuses an unknown coordinate system naming the field', async () => {
    const wgs = await pointInCounty(server.url, 7);
    const res = await report({ lon: wgs.lon, lat: wgs.lat, crs: 'cgcs2000-gk' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'location.crs', code: 'not_allowed' })]);
  });
});
