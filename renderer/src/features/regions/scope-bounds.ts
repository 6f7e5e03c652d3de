import type { Position } from 'geojson';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { RegionCollection } from '../../map/layers/region-layers';

/** [minLon, minLat, maxLon, maxLat], WGS84. */
export type Bounds = [number, number, number, number];

/** The box around the regions with these ids; null when none of them is in the collection. */
export function regionsBounds(collection: RegionCollection, ids: readonly string[]): Bounds | null {
  const wanted = new Set(ids);
  let box: Bounds | null = null;
  const grow = ([lon, lat]: Position) => {
    if (lon === undefined || lat === undefined) return;
    box = box ? [Math.min(box[0], lon), Math.min(box[1], lat), Math.max(box[2], lon), Math.max(box[3], lat)] : [lon, lat, lon, lat];
  };
  for (const feature of collection.features) {
    if (!wanted.has(feature.properties.id)) continue;
    const { geometry } = feature;
    // The outer ring bounds a polygon; holes lie inside it.
    const outer = geometry.type === 'Polygon' ? [geometry.coordinates[0] ?? []] : geometry.coordinates.map((polygon) => polygon[0] ?? []);
    for (const ring of outer) ring.forEach(grow);
  }
  return box;
}

/**
 * Where the console opens: a county user on the county; a town user on the union of their towns,
 * once the towns' outlines are loaded (undefined until then, so the map does not fit the county
 * first and stay there). A scope naming no loaded town falls back to the county.
 */
export function startBounds(scope: Scope, county: Bounds | undefined, towns: RegionCollection | undefined): Bounds | undefined {
  if (scope.kind === 'county') return county;
  if (!towns) return undefined;
  return regionsBounds(towns, scope.towns) ?? county;
}
