import gcoord from 'gcoord';
import type { CRS_LIST } from '../contracts/events.js';

/**
 * Coordinate reference systems a client may send: WGS84 (GPS, the server's and the map's
 * system), GCJ-02 (国测局坐标, "Mars coordinates": what most phone map stacks in China —
 * AMap/高德, Tencent, the WeChat and many browser geolocation wrappers — report) or BD-09
 * (Baidu's further offset of GCJ-02: what Baidu Map and systems built on it, such as many
 * 12345 hotline platforms, report).
 */
export type Crs = (typeof CRS_LIST)[number];

/** Decimal places kept of a converted coordinate: 1e-7° is about 1 cm. */
const PLACES = 1e7;

/**
 * The WGS84 position of a point given in `crs`. GCJ-02 is inverted with gcoord (an iterative
 * inverse of the published offset formula, accurate to about 1e-6°, ~0.1 m); gcoord leaves
 * points outside China's bounding box unchanged, as GCJ-02 itself does. WGS84 comes back as
 * given.
 */
export function toWgs84(lon: number, lat: number, crs: Crs): { lon: number; lat: number } {
  if (crs === 'wgs84') return { lon, lat };
  const [wLon, wLat] = gcoord.transform<[number, number]>([lon, lat], crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84);
  return { lon: Math.round(wLon * PLACES) / PLACES, lat: Math.round(wLat * PLACES) / PLACES };
}
