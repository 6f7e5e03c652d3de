import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** A level of the county as `GET /api/v1/public/map/{level}` serves it. */
export type PublicLayer = FeatureCollection<Polygon | MultiPolygon, { id: string; name: string; level: string; labelLon: number; labelLat: number }>;

/** The county's layers the page has loaded, coarse to fine. */
export interface PublicLayers {
  town: PublicLayer;
  village: PublicLayer;
  grid: PublicLayer;
}

/** The names of the town, village and grid a point lies in (coarse first); empty outside the county. */
export function placeNames(layers: PublicLayers, lon: number, lat: number): string[] {
  const names: string[] = [];
  for (const layer of [layers.town, layers.village, layers.grid]) {
    const hit = layer.features.find((f) => booleanPointInPolygon([lon, lat], f));
    if (!hit) break;
    names.push(hit.properties.name);
  }
  return names;
}

/** The bounding box of the county (its towns): where the map opens. */
export function countyBounds(towns: PublicLayer): [number, number, number, number] | null {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const f of towns.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const polygon of polygons)
      for (const [lon, lat] of polygon[0] ?? []) {
        minLon = Math.min(minLon, lon!);
        maxLon = Math.max(maxLon, lon!);
        minLat = Math.min(minLat, lat!);
        maxLat = Math.max(maxLat, lat!);
      }
  }
  return Number.isFinite(minLon) ? [minLon, minLat, maxLon, maxLat] : null;
}
