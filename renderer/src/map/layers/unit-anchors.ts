import type { RegionNode } from '../../../../shared/contracts/regions.js';

/** The administrative units a platform's case bubbles stand for at low zoom. */
export type UnitLevel = 'county' | 'city';

/** A county or city: where its bubble stands (its label anchor) and what a click on it frames. */
export interface UnitAnchor {
  id: string;
  level: UnitLevel;
  name: string;
  lon: number;
  lat: number;
  bbox: [number, number, number, number];
}

/**
 * The counties and (on a platform of several cities) the cities of a region tree that carry a
 * label anchor, for the bubbles. A single county, or a city platform's one city, has none.
 */
export function unitAnchors(root: RegionNode): UnitAnchor[] {
  const counties: UnitAnchor[] = [];
  const cities: UnitAnchor[] = [];
  const walk = (n: RegionNode) => {
    if (n.level === 'town' || n.level === 'village') return;
    if ((n.level === 'county' || n.level === 'city') && n.labelLon !== undefined && n.labelLat !== undefined && n.bbox) {
      (n.level === 'county' ? counties : cities).push({ id: n.id, level: n.level, name: n.name, lon: n.labelLon, lat: n.labelLat, bbox: n.bbox });
    }
    n.children?.forEach(walk);
  };
  walk(root);
  if (counties.length < 2) return [];
  return cities.length > 1 ? [...counties, ...cities] : counties;
}
