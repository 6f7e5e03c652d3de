import Flatbush from 'flatbush';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';

export interface LocatableRegion {
  id: string;
  geometry: Polygon;
  bbox: [number, number, number, number];
}

/**
 * Finds the micro-grid that holds a point: a static R-tree (flatbush) over micro-grid boxes
 * narrows thousands of polygons to a handful, then an exact point-in-polygon test decides.
 * A point on a shared edge belongs to the candidate that comes first in id order, so the
 * answer is stable.
 */
export class RegionLocator {
  private index: Flatbush | null = null;
  private regions: LocatableRegion[] = [];

  constructor(regions: LocatableRegion[]) {
    this.replace(regions);
  }

  /** Swaps in another set of micro-grids (a boundary import): the next locate() sees only them. */
  replace(regions: LocatableRegion[]): void {
    const sorted = [...regions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let index: Flatbush | null = null;
    if (sorted.length > 0) {
      index = new Flatbush(sorted.length);
      for (const r of sorted) index.add(r.bbox[0], r.bbox[1], r.bbox[2], r.bbox[3]);
      index.finish();
    }
    this.regions = sorted;
    this.index = index;
  }

  get size(): number {
    return this.regions.length;
  }

  locate(lon: number, lat: number): LocatableRegion | null {
    if (!this.index) return null;
    const hits = this.index.search(lon, lat, lon, lat).sort((a, b) => a - b);
    for (const i of hits) {
      const region = this.regions[i]!;
      if (booleanPointInPolygon([lon, lat], region.geometry)) return region;
    }
    return null;
  }
}
