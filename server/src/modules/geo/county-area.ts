import { ApiHttpError } from '../../http/errors.js';
import type { LocatableRegion } from './locator.js';

const KM_PER_DEGREE_LAT = 111.32;

/**
 * Where a reported position is plausible: the county's bounding box widened by a margin (GPS
 * error, a team working just across the border). Team positions and the positions of actions
 * are stored as evidence of where someone was, so a fix at (0, 0) or in another province is
 * refused rather than drawn on the map and kept in the record. Intake is stricter: its point
 * must fall in a micro-grid (RegionLocator).
 */
export class CountyArea {
  private readonly box: readonly [number, number, number, number] | null;

  /** `bbox` is [minLon, minLat, maxLon, maxLat] in WGS84; null when no county is loaded (nothing is plausible). */
  constructor(
    bbox: readonly [number, number, number, number] | null,
    readonly marginKm: number,
  ) {
    if (!bbox) {
      this.box = null;
      return;
    }
    const [minLon, minLat, maxLon, maxLat] = bbox;
    const dLat = marginKm / KM_PER_DEGREE_LAT;
    // a degree of longitude is shortest at the box's edge furthest from the equator: the widest margin in degrees
    const cos = Math.cos((Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat))) * Math.PI) / 180);
    const dLon = marginKm / (KM_PER_DEGREE_LAT * cos);
    this.box = [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat];
  }

  /** The area around the micro-grids (together they cover the county). */
  static around(microGrids: readonly LocatableRegion[], marginKm: number): CountyArea {
    if (microGrids.length === 0) return new CountyArea(null, marginKm);
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { bbox: b } of microGrids) {
      bbox[0] = Math.min(bbox[0], b[0]);
      bbox[1] = Math.min(bbox[1], b[1]);
      bbox[2] = Math.max(bbox[2], b[2]);
      bbox[3] = Math.max(bbox[3], b[3]);
    }
    return new CountyArea(bbox, marginKm);
  }

  contains(lon: number, lat: number): boolean {
    const b = this.box;
    return b !== null && lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
  }

  /** 422 `outside_county` naming `field` unless the WGS84 point (if any) is plausible. */
  requireInside(point: { lon: number; lat: number } | null | undefined, field: string): void {
    if (!point || this.contains(point.lon, point.lat)) return;
    throw new ApiHttpError(422, 'outside_county', 'error.position_outside_county', [{ field, code: 'outside_county' }], {
      lon: point.lon,
      lat: point.lat,
      marginKm: this.marginKm,
    });
  }
}
