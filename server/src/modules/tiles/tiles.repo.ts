import type { Geometry } from 'geojson';
import type { Store } from '../../db/store.js';
import type { TileLayer } from '../../../../shared/contracts/regions.js';

/**
 * The regions of one layer that share a code prefix, with their combined extent: one group per
 * county (the first 6 digits: 330102) for towns and villages, per town (9 digits) for grids and
 * micro-grids (a province county holds ~5,000 micro-grids, too many to cut at once for the first
 * tile), and one group under the key '' for the few cities and counties.
 */
export interface RegionGroup {
  key: string;
  features: number;
  bbox: [number, number, number, number];
}

export interface TileRegion {
  id: string;
  code: string;
  name: string;
  parentId: string;
  kind: string;
  geometry: Geometry;
  labelLon: number;
  labelLat: number;
}

const PREFIX: Readonly<Record<TileLayer, number>> = { city: 0, county: 0, town: 6, village: 6, grid: 9, microgrid: 9 };

/**
 * Read access to what the vector tiles are cut from: the regions table, one county at a time.
 * The first repository on the async Store (docs/POSTGRES.md): the same SQL on both dialects.
 */
export class TilesRepo {
  constructor(private readonly store: Store) {}

  /** One aggregate over the layer's rows (no geometry read): its groups and their extents. */
  async groups(layer: TileLayer): Promise<RegionGroup[]> {
    const key = PREFIX[layer] === 0 ? "''" : `substr(code, 1, ${PREFIX[layer]})`;
    const rows = await this.store.all<{ key: string; n: number; min_lon: number; min_lat: number; max_lon: number; max_lat: number }>(
      `SELECT ${key} AS key, COUNT(*) AS n, MIN(min_lon) AS min_lon, MIN(min_lat) AS min_lat, MAX(max_lon) AS max_lon, MAX(max_lat) AS max_lat
         FROM regions WHERE level = ? GROUP BY 1 ORDER BY 1`,
      layer,
    );
    return rows.map((r) => ({ key: r.key, features: r.n, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] }));
  }

  /** The regions of one group, read through the (level, code) index: codes start with the key. */
  async regions(layer: TileLayer, key: string): Promise<TileRegion[]> {
    // Codes are digits, and ':' sorts right after '9' (byte order, PostgreSQL's C.UTF-8 included):
    // [key, key + ':') is every code with the prefix.
    const rows = await this.store.all<{ id: string; code: string; name: string; parent_id: string | null; kind: string; geometry: string; label_lon: number; label_lat: number }>(
      `SELECT id, code, name, parent_id, kind, geometry, label_lon, label_lat FROM regions
        WHERE level = ? AND code >= ? AND code < ? ORDER BY code`,
      layer,
      key,
      `${key}:`,
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      parentId: r.parent_id ?? '',
      kind: r.kind,
      geometry: JSON.parse(r.geometry) as Geometry,
      labelLon: r.label_lon,
      labelLat: r.label_lat,
    }));
  }
}
