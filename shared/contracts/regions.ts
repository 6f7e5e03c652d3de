import { z } from 'zod';

/** The four spatial levels below the county: 镇/街道 → 村/社区 → 网格 → 微网格. */
export const REGION_LEVELS = ['town', 'village', 'grid', 'microgrid'] as const;
export const regionLevelSchema = z.enum(REGION_LEVELS);
export type RegionLevel = z.infer<typeof regionLevelSchema>;

/**
 * Kind refines a level: a town is a 镇 (town), 乡 (township) or 街道 (street);
 * a village is a 行政村 (village) or 社区 (community).
 */
export const REGION_KINDS = ['street', 'town', 'township', 'community', 'village', 'grid', 'microgrid'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/** Properties carried by every feature of `GET /api/v1/geo/{level}`. */
export interface RegionFeatureProperties {
  id: string;
  /** Administrative-style code: 9 digits town, 12 village, 15 grid, 18 micro-grid. */
  code: string;
  name: string;
  /** The parent's id; for towns, the county's id. */
  parentId: string;
  level: RegionLevel;
  kind: RegionKind;
  /** Label anchor inside the polygon. */
  labelLon: number;
  labelLat: number;
}

/** One node of `GET /api/v1/regions`; children are present down to the village level. */
export interface RegionNode {
  id: string;
  code: string;
  name: string;
  level: 'county' | 'town' | 'village';
  kind: string;
  counts: RegionCounts;
  children?: RegionNode[];
}

export interface RegionCounts {
  towns?: number;
  villages?: number;
  grids: number;
  microGrids: number;
  households: number;
  workers: number;
}

export interface RegionsResponse {
  county: RegionNode;
  /** Totals per level for the whole county. */
  totals: {
    towns: number;
    villages: number;
    grids: number;
    microGrids: number;
    households: number;
    workers: number;
    fullTimeWorkers: number;
    teams: number;
  };
  /** [minLon, minLat, maxLon, maxLat] in WGS84. */
  bbox: [number, number, number, number];
}
