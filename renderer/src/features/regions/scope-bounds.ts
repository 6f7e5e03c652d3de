import type { Position } from 'geojson';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
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

/** The union of boxes; null for none. */
function union(boxes: readonly Bounds[]): Bounds | null {
  return boxes.reduce<Bounds | null>((box, b) => (box ? [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])] : [...b]), null);
}

/** The node of the tree with this id, if the tree holds it. */
function findNode(node: RegionNode, id: string): RegionNode | undefined {
  if (node.id === id) return node;
  for (const child of node.children ?? []) {
    const found = findNode(child, id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Where the console opens: a user of the whole platform on its box (`county`); a city or county
 * user on the box of their city or counties, from the region tree (`root`, whose upper nodes carry
 * their `bbox`); a town user on the union of their towns, once the towns' outlines are loaded
 * (undefined until then, so the map does not fit the platform first and stay there). Without the
 * tree, the towns of the scope are framed; a scope naming nothing known falls back to `county`.
 */
export function startBounds(scope: Scope, county: Bounds | undefined, towns: RegionCollection | undefined, root?: RegionNode): Bounds | undefined {
  if (scope.kind === 'county') return county;
  const boxes: Bounds[] = [];
  const townAreas: string[] = [];
  if (root) {
    for (const id of scope.areas) {
      const box = findNode(root, id)?.bbox;
      if (box) boxes.push(box);
      else townAreas.push(id);
    }
  } else townAreas.push(...scope.towns);
  if (townAreas.length > 0) {
    if (!towns) return undefined;
    const box = regionsBounds(towns, townAreas);
    if (box) boxes.push(box);
  }
  return union(boxes) ?? county;
}
