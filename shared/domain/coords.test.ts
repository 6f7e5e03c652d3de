import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { toWgs84 } from './coords.js';
import { distanceMeters } from './duplicates.js';

describe('toWgs84', () => {
  it('returns WGS84 input as given', () => {
    expect(toWgs84(120.123456789, 30.987654321, 'wgs84')).toEqual({ lon: 120.123456789, lat: 30.987654321 });
  });

  it('inverts GCJ-02 at published reference pairs', () => {
    // WGS84 (116, 40) is GCJ-02 (116.006141221789, 40.001213650174) (independent reference implementation)
    const a = toWgs84(116.006141221789, 40.001213650174, 'gcj02');
    expect(a.lon).toBeCloseTo(116, 6);
    expect(a.lat).toBeCloseTo(40, 6);
    // gcoord's own test pair: GCJ-02 (123, 45) → WGS84 (122.99395597, 44.99804071)
    const b = toWgs84(123, 45, 'gcj02');
    expect(b.lon).toBeCloseTo(122.99395597, 6);
    expect(b.lat).toBeCloseTo(44.99804071, 6);
  });

  it('moves a point in Zhejiang by the GCJ-02 offset (some 500 m), and round-trips', () => {
    for (const wgs of [
      { lon: 120.1551, lat: 30.2741 }, // Hangzhou
      { lon: 119.6495, lat: 29.0892 }, // Jinhua
      { lon: 121.5440, lat: 29.8683 }, // Ningbo
    ]) {
      const [gLon, gLat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.GCJ02);
      const back = toWgs84(gLon, gLat, 'gcj02');
      const offset = distanceMeters(wgs, { lon: gLon, lat: gLat });
      expect(offset).toBeGreaterThan(300);
      expect(offset).toBeLessThan(700);
      expect(distanceMeters(back, wgs)).toBeLessThan(0.5);
    }
  });

  it('keeps at most seven decimals (about 1 cm)', () => {
    const p = toWgs84(120.16, 30.28, 'gcj02');
    expect(Math.round(p.lon * 1e7) / 1e7).toBe(p.lon);
    expect(Math.round(p.lat * 1e7) / 1e7).toBe(p.lat);
  });

  it('leaves points outside China unchanged, as gcoord does', () => {
    expect(toWgs84(2.3522, 48.8566, 'gcj02')).toEqual({ lon: 2.3522, lat: 48.8566 }); // Paris
    expect(toWgs84(-74.006, 40.7128, 'gcj02')).toEqual({ lon: -74.006, lat: 40.7128 }); // New York
  });

  it('inverts BD-09 against the forward formula Baidu published (bd_encrypt), to under a metre', () => {
    // Baidu's published forward formula (bd_encrypt), written out independently of gcoord
    const bdOf = (lon: number, lat: number): { lon: number; lat: number } => {
      const k = (Math.PI * 3000) / 180;
      const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * k);
      const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * k);
      return { lon: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
    };
    for (const wgs of [
      { lon: 120.1551, lat: 30.2741 },
      { lon: 119.6495, lat: 29.0892 },
    ]) {
      const [cLon, cLat] = gcoord.transform<[number, number]>([wgs.lon, wgs.lat], gcoord.WGS84, gcoord.GCJ02);
      const bd = bdOf(cLon, cLat);
      const back = toWgs84(bd.lon, bd.lat, 'bd09');
      expect(distanceMeters(wgs, bd)).toBeGreaterThan(700); // GCJ-02's ~500 m plus Baidu's ~700 m
      expect(distanceMeters(back, wgs)).toBeLessThan(1);
    }
  });
});
