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

/**
 * Levels above the county: a platform holds one county (a county server), the counties of a
 * city (市级平台) or the cities of a province. Codes are GB/T 2260-shaped: 6 digits, the
 * province 330000, a city 3308 00, a county 3308 99.
 */
export const UPPER_REGION_LEVELS = ['province', 'city', 'county'] as const;
export type UpperRegionLevel = (typeof UPPER_REGION_LEVELS)[number];

/**
 * Layers of `GET /api/v1/tiles/{layer}/{z}/{x}/{y}.mvt`. Each tile holds two vector-tile layers:
 * `{layer}` (the polygons, with the properties of RegionFeatureProperties) and `{layer}_label`
 * (one point per region at its label anchor, with id, name and level).
 */
export const TILE_LAYERS = ['city', 'county', 'town', 'village', 'grid', 'microgrid'] as const;
export const tileLayerSchema = z.enum(TILE_LAYERS);
export type TileLayer = z.infer<typeof tileLayerSchema>;

/**
 * The lowest zoom each tile layer is cut at: below it the layer's tiles answer 204 (a province's
 * micro-grids at z9 would be 5,000 polygons a tile, finer than the screen shows), so the console
 * sets its vector source's `minzoom` from this. Tiles are cut up to TILE_MAX_ZOOM; set the
 * source's `maxzoom` lower (e.g. 16) to overzoom instead of fetching.
 */
export const TILE_MIN_ZOOM: Readonly<Record<TileLayer, number>> = { city: 0, county: 0, town: 6, village: 9, grid: 10, microgrid: 12 };
export const TILE_MAX_ZOOM = 22;
/** Tile coordinates per tile side (MapLibre's default), and the buffer cut around each tile in those units. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

/**
 * Above this many features a level reaches the console as vector tiles instead of one GeoJSON
 * document: a county (3,739 micro-grids) stays GeoJSON throughout; a city's micro-grids and a
 * province's villages, grids and micro-grids come as tiles.
 */
export const GEOJSON_FEATURE_LIMIT = 20_000;

/** One node of `GET /api/v1/regions`; children are present down to the village level. */
export interface RegionNode {
  id: string;
  code: string;
  name: string;
  level: UpperRegionLevel | 'town' | 'village';
  kind: string;
  counts: RegionCounts;
  /** A province's, city's or county's label anchor (where the map writes its name and sets its case bubble). */
  labelLon?: number;
  labelLat?: number;
  /** A province's, city's or county's extent, [minLon, minLat, maxLon, maxLat] (what a click on its bubble frames). */
  bbox?: [number, number, number, number];
  children?: RegionNode[];
}

export interface RegionCounts {
  cities?: number;
  counties?: number;
  towns?: number;
  villages?: number;
  grids: number;
  microGrids: number;
  households: number;
  workers: number;
}

export interface RegionsResponse {
  /**
   * The platform's top region: the county on a county server, else the city or province, whose
   * children are its cities / counties, down to towns (villages only under a single county).
   */
  root: RegionNode;
  /** The same node as `root` (the name older clients read). */
  county: RegionNode;
  /** Totals per level for the whole platform. */
  totals: {
    cities: number;
    counties: number;
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

/** Every town of the tree, in tree order (the towns of a county server, or of all its counties). */
export function townsOf(tree: Pick<RegionsResponse, 'root'>): RegionNode[] {
  const towns: RegionNode[] = [];
  const walk = (n: RegionNode) => {
    if (n.level === 'town') towns.push(n);
    else n.children?.forEach(walk);
  };
  walk(tree.root);
  return towns;
}

/** The node of the tree with this id (a province, city, county, town or village), or null. */
export function regionNodeOf(tree: Pick<RegionsResponse, 'root'>, id: string): RegionNode | null {
  const stack: RegionNode[] = [tree.root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.id === id) return n;
    if (n.children) stack.push(...n.children);
  }
  return null;
}

/** How the console receives a level: one GeoJSON document, or vector tiles above the limit. */
export function levelDelivery(count: number): 'geojson' | 'tiles' {
  return count > GEOJSON_FEATURE_LIMIT ? 'tiles' : 'geojson';
}
