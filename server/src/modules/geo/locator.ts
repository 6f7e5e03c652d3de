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
  private readonly index: Flatbush | null;
  private readonly regions: LocatableRegion[];

  constructor(regions: LocatableRegion[]) {
    this.regions = [...regions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (this.regions.length === 0) {
      this.index = null;
      return;
    }
    const index = new Flatbush(this.regions.length);
    for (const r of this.regions) index.add(r.bbox[0], r.bbox[1], r.bbox[2], r.bbox[3]);
    index.finish();
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
