import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Db } from '../../server/src/db/connection.js';
import type { Store } from '../../server/src/db/store.js';

type LevelRow = { code: string; name: string; parent: string; geometry: string };
const LEVEL_SQL = 'SELECT r.code, r.name, p.code AS parent, r.geometry FROM regions r JOIN regions p ON p.id = r.parent_id WHERE r.level = ? ORDER BY r.code';

/** A level of the seeded county as a county's GIS office would send it: Chinese attribute names. */
export function levelAsGeoJson(db: Db, level: string): FeatureCollection<Polygon, Record<string, string>> {
  return asFeatures(db.prepare(LEVEL_SQL).all(level) as LevelRow[]);
}

/** The same, read through a store (a test server on either database). */
export async function levelAsGeoJsonIn(store: Store, level: string): Promise<FeatureCollection<Polygon, Record<string, string>>> {
  return asFeatures(await store.all<LevelRow>(LEVEL_SQL, level));
}

function asFeatures(rows: LevelRow[]): FeatureCollection<Polygon, Record<string, string>> {
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({ type: 'Feature', properties: { 编码: r.code, 名称: r.name, 上级编码: r.parent }, geometry: JSON.parse(r.geometry) as Polygon })),
  };
}

export const bytesOf = (fc: unknown) => Buffer.from(JSON.stringify(fc));

export const clone = <T>(v: T): T => structuredClone(v);

/** Scales a polygon about its first vertex's box centre (grows into neighbours, or shrinks away from them). */
export function scaled(polygon: Polygon, factor: number): Polygon {
  const ring = polygon.coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  return { type: 'Polygon', coordinates: polygon.coordinates.map((r) => r.map(([x, y]) => [cx + (x! - cx) * factor, cy + (y! - cy) * factor])) };
}

/** A ring over the polygon's box that crosses itself (a figure of eight): corners in the wrong order. */
export function bowTie(polygon: Polygon): Polygon {
  const ring = polygon.coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]] };
}

/** Two micro-grids of the same grid (index in the file), for a valid change that moves places. */
export function siblings(fc: FeatureCollection<Polygon, Record<string, string>>): [number, number] {
  const byParent = new Map<string, number[]>();
  fc.features.forEach((f, i) => byParent.set(f.properties['上级编码']!, [...(byParent.get(f.properties['上级编码']!) ?? []), i]));
  const pair = [...byParent.values()].find((list) => list.length >= 2)!;
  return [pair[0]!, pair[1]!];
}

export type Fc = FeatureCollection<Polygon, Record<string, string>>;
export type F = Feature<Polygon, Record<string, string>>;
