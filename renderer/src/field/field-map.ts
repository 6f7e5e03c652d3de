import { z } from 'zod';
import type { RegionFeatureProperties } from '../../../shared/contracts/regions.js';

/**
 * The small offline map of a task (任务位置图): the case's micro-grid, its grid's outline and the
 * micro-grids around it, cut out of the server's own layers (`GET /api/v1/geo/microgrid`, `…/grid`)
 * while the phone is online and kept on the phone, so the task screen draws it with no network.
 * No map library, no tiles: pure geometry here, an inline SVG in FieldMap.tsx.
 */

export type LonLat = [number, number];

/** An area with its outer rings (a polygon has one; a multipolygon one per part). */
export interface MapArea {
  id: string;
  name: string;
  rings: LonLat[][];
}

/** What the task map of one micro-grid needs: a few kilobytes. */
export interface MapSnippet {
  microGrid: MapArea;
  grid: MapArea | null;
  /** The micro-grids around it, nearest first. */
  neighbours: MapArea[];
}

/** A level's layer as the server sends it (only what the map reads). */
export interface RegionLayer {
  features: Array<{
    geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
    properties: Pick<RegionFeatureProperties, 'id' | 'name' | 'parentId'>;
  }>;
}

/** At most this many neighbours are kept: enough to see where one is, small enough to keep many tasks' maps. */
export const MAX_NEIGHBOURS = 16;

/** ~1 m: finer than a phone's fix, and a third of the digits to store. */
const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

function outerRings(geometry: RegionLayer['features'][number]['geometry']): LonLat[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flatMap((polygon) => (polygon[0] ? [polygon[0].map(([lon, lat]) => [round5(lon!), round5(lat!)] as LonLat)] : []));
}

interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

function boxOf(points: Iterable<LonLat>): Box {
  const b = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const [lon, lat] of points) {
    b.minLon = Math.min(b.minLon, lon);
    b.maxLon = Math.max(b.maxLon, lon);
    b.minLat = Math.min(b.minLat, lat);
    b.maxLat = Math.max(b.maxLat, lat);
  }
  return b;
}

const intersects = (a: Box, b: Box) => a.minLon <= b.maxLon && b.minLon <= a.maxLon && a.minLat <= b.maxLat && b.minLat <= a.maxLat;
const centre = (b: Box): LonLat => [(b.minLon + b.maxLon) / 2, (b.minLat + b.maxLat) / 2];

/**
 * The snippet of `microGridId`: its polygon, its grid's outline, and the micro-grids whose
 * extent meets the area around both (nearest first, at most MAX_NEIGHBOURS). Null when the
 * layer does not have it.
 */
export function cutSnippet(microGridId: string, microGrids: RegionLayer, grids: RegionLayer): MapSnippet | null {
  const feature = microGrids.features.find((f) => f.properties.id === microGridId);
  if (!feature) return null;
  const microGrid: MapArea = { id: feature.properties.id, name: feature.properties.name, rings: outerRings(feature.geometry) };
  const gridFeature = grids.features.find((f) => f.properties.id === feature.properties.parentId);
  const grid: MapArea | null = gridFeature ? { id: gridFeature.properties.id, name: gridFeature.properties.name, rings: outerRings(gridFeature.geometry) } : null;

  const own = boxOf([...microGrid.rings, ...(grid?.rings ?? [])].flat());
  // the window: the grid and the micro-grid, with a margin of a quarter of their size around
  const padLon = (own.maxLon - own.minLon) / 4;
  const padLat = (own.maxLat - own.minLat) / 4;
  const window: Box = { minLon: own.minLon - padLon, maxLon: own.maxLon + padLon, minLat: own.minLat - padLat, maxLat: own.maxLat + padLat };
  const [cLon, cLat] = centre(boxOf(microGrid.rings.flat()));
  const near = microGrids.features
    .filter((f) => f.properties.id !== microGridId)
    .map((f) => {
      const rings = outerRings(f.geometry);
      const box = boxOf(rings.flat());
      const [lon, lat] = centre(box);
      return { area: { id: f.properties.id, name: f.properties.name, rings }, box, d: (lon - cLon) ** 2 + (lat - cLat) ** 2 };
    })
    .filter((n) => intersects(n.box, window))
    .sort((a, b) => a.d - b.d)
    .slice(0, MAX_NEIGHBOURS)
    .map((n) => n.area);
  return { microGrid, grid, neighbours: near };
}

/** A projection of a small area onto the SVG's pixels: equirectangular, true to scale at its middle latitude. */
export interface MapView {
  width: number;
  height: number;
  /** Pixels per degree of longitude and of latitude. */
  kx: number;
  ky: number;
  /** The lon/lat at pixel (0, 0), the top left. */
  lon0: number;
  lat0: number;
}

const M_PER_DEG_LAT = 111_320;

/** The view that shows all `points` inside `width`×`height` with `pad` pixels around, north up, same scale both ways. */
export function fitView(points: readonly LonLat[], width: number, height: number, pad: number): MapView {
  const b = boxOf(points);
  const cosLat = Math.cos(((b.minLat + b.maxLat) / 2) * (Math.PI / 180));
  // at least ~150 m across, so a single point or a tiny micro-grid is not blown up
  const spanX = Math.max((b.maxLon - b.minLon) * cosLat, 150 / M_PER_DEG_LAT);
  const spanY = Math.max(b.maxLat - b.minLat, 150 / M_PER_DEG_LAT);
  const k = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const [cLon, cLat] = centre(b);
  const kx = k * cosLat;
  return { width, height, kx, ky: k, lon0: cLon - width / 2 / kx, lat0: cLat + height / 2 / k };
}

/** Pixel position of a point in the view (rounded to 0.1 px: short SVG paths). */
export function toXY(view: MapView, [lon, lat]: LonLat): [number, number] {
  return [Math.round((lon - view.lon0) * view.kx * 10) / 10, Math.round((view.lat0 - lat) * view.ky * 10) / 10];
}

/** The SVG path of rings. */
export function ringsPath(view: MapView, rings: readonly LonLat[][]): string {
  return rings
    .map((ring) =>
      ring
        .map((p, i) => {
          const [x, y] = toXY(view, p);
          return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
        })
        .join('') + 'Z',
    )
    .join('');
}

/** How many metres one pixel is, east–west. */
export function metresPerPixel(view: MapView): number {
  return M_PER_DEG_LAT / view.ky;
}

const NICE_METRES = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/** A scale bar of a round length no longer than `maxPx`: its metres and pixels. */
export function scaleBar(view: MapView, maxPx: number): { metres: number; px: number } {
  const mpp = metresPerPixel(view);
  const metres = [...NICE_METRES].reverse().find((m) => m / mpp <= maxPx) ?? NICE_METRES[0]!;
  return { metres, px: Math.round(metres / mpp) };
}

/** The eight compass directions, clockwise from north. */
export const DIRECTIONS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** How far and in which direction `to` lies from `from` (metres; a compass point). */
export function bearing(from: { lon: number; lat: number }, to: { lon: number; lat: number }): { metres: number; direction: Direction } {
  const cosLat = Math.cos(((from.lat + to.lat) / 2) * (Math.PI / 180));
  const dx = (to.lon - from.lon) * cosLat * M_PER_DEG_LAT;
  const dy = (to.lat - from.lat) * M_PER_DEG_LAT;
  const degrees = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  return { metres: Math.hypot(dx, dy), direction: DIRECTIONS[Math.round(degrees / 45) % 8]! };
}

// ---------- the phone's store of snippets ----------

const areaSchema = z.object({ id: z.string(), name: z.string(), rings: z.array(z.array(z.tuple([z.number(), z.number()]))) });
const snippetSchema = z.object({ microGrid: areaSchema, grid: areaSchema.nullable(), neighbours: z.array(areaSchema) });
const storedSchema = z.record(z.string(), z.object({ snippet: snippetSchema, usedAt: z.number() }));

export const MAP_STORAGE_KEY = 'gridcommand.field.maps.v1';
/** The maps of this many micro-grids are kept (the most recently used): ~100 KB at most. */
export const MAX_STORED_MAPS = 24;

/** Snippets by micro-grid, kept in `localStorage` so a task's map draws offline. */
export class MapSnippetStore {
  private map: Record<string, { snippet: MapSnippet; usedAt: number }>;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    let parsed: Record<string, { snippet: MapSnippet; usedAt: number }> = {};
    try {
      const result = storedSchema.safeParse(JSON.parse(storage?.getItem(MAP_STORAGE_KEY) ?? '{}'));
      if (result.success) parsed = result.data;
    } catch {
      // unreadable: start empty, the maps are fetched again
    }
    this.map = parsed;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(microGridId: string): MapSnippet | null {
    return this.map[microGridId]?.snippet ?? null;
  }

  has(microGridId: string): boolean {
    return microGridId in this.map;
  }

  /** Stores snippets (the newest `MAX_STORED_MAPS` stay). */
  put(snippets: readonly MapSnippet[], now: number): void {
    if (snippets.length === 0) return;
    const next = { ...this.map };
    for (const s of snippets) next[s.microGrid.id] = { snippet: s, usedAt: now };
    const kept = Object.entries(next)
      .sort((a, b) => b[1].usedAt - a[1].usedAt)
      .slice(0, MAX_STORED_MAPS);
    this.map = Object.fromEntries(kept);
    try {
      this.storage?.setItem(MAP_STORAGE_KEY, JSON.stringify(this.map));
    } catch {
      // too big for this phone's storage: kept for this page only
    }
    for (const l of this.listeners) l();
  }
}
