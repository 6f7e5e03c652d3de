import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import { REGION_LEVELS, TILE_MIN_ZOOM, type RegionFeatureProperties, type RegionLevel, type TileLayer } from '../../../../shared/contracts/regions.js';
import { CJK_FONT_STACK, MAP_COLORS } from '../../app/theme';
import type { GeoJSONSourceSpecification, LayerSpecification, VectorSourceSpecification } from './style-types';
import type { UnitAnchor } from './unit-anchors';

export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionFeatureProperties>;
export type RegionLabelCollection = FeatureCollection<Point, Pick<RegionFeatureProperties, 'id' | 'name' | 'level'>>;

export const regionSourceId = (level: RegionLevel) => `region-${level}`;
export const regionLabelSourceId = (level: RegionLevel) => `region-${level}-label`;
/** The vector source of a tiled layer; the same id in both maps (polygons in the base, label points in the overlay). */
export const regionTileSourceId = (layer: TileLayer) => `region-tiles-${layer}`;

/** The boundaries above the town, drawn on a platform of more than one county. */
export const UPPER_TILE_LAYERS = ['county', 'city'] as const satisfies readonly TileLayer[];
type UpperLayer = (typeof UPPER_TILE_LAYERS)[number];

/**
 * How the static layers reach the map, decided from `GET /api/v1/regions` (see `levelDelivery`):
 * a county's levels as one GeoJSON document each, a city's or province's big levels as vector
 * tiles, and, on a platform of several counties, the county and city boundaries as tiles too.
 */
export interface RegionDelivery {
  /** Levels served as vector tiles; the others come as GeoJSON (`setRegions`). */
  tiled: readonly RegionLevel[];
  /** Draw county and city boundaries and names (a platform of more than one county). */
  upper: boolean;
  /** The server the tiles come from (`http://host:port`); its requests, and only those, carry the session's token. */
  origin: string;
  /** On a platform of several counties, the counties and cities whose case bubbles stand at their label anchors at low zoom. */
  units?: readonly UnitAnchor[];
}

/** A county server: every level as GeoJSON, no boundaries above the county. */
export const COUNTY_DELIVERY: RegionDelivery = { tiled: [], upper: false, origin: '' };

/**
 * Tiles are fetched up to this zoom and overzoomed beyond: at z14 a micro-grid spans hundreds of
 * pixels already, and each further zoom would fetch four times the tiles for the same lines.
 */
export const TILE_SOURCE_MAX_ZOOM = 14;

/** The tile URL template of one layer on `origin`. */
export const tileUrl = (origin: string, layer: TileLayer) => `${origin}/api/v1/tiles/${layer}/{z}/{x}/{y}.mvt`;

/**
 * The request MapLibre makes for `url`: with the session's bearer token when it goes to our own
 * server's API, unchanged otherwise. A token never leaves for another origin, should a style
 * ever name one; with no token (signed out, the wall frozen) nothing is added.
 */
export function authorizeRequest(url: string, origin: string, token: string | null): { url: string; headers?: Record<string, string> } {
  if (!token || !origin) return { url };
  let target: URL;
  let ours: URL;
  try {
    target = new URL(url);
    ours = new URL(origin);
  } catch {
    return { url };
  }
  if (target.origin !== ours.origin || !target.pathname.startsWith('/api/v1/')) return { url };
  return { url, headers: { Authorization: `Bearer ${token}` } };
}

interface LevelStyle {
  /** Boundaries appear from this zoom. */
  lineMinZoom: number;
  /** Labels show between these zooms. */
  labelMinZoom: number;
  labelMaxZoom: number;
  lineColor: string;
  lineWidth: [zoom: number, width: number][];
  labelColor: string;
  labelSize: [zoom: number, size: number][];
}

/**
 * Which level shows at which zoom: towns always (their names until villages take over),
 * villages from ~z10, grids from ~z12, micro-grids from ~z13.5.
 */
export const LEVEL_STYLES: Record<RegionLevel, LevelStyle> = {
  town: {
    lineMinZoom: 0,
    labelMinZoom: 0,
    labelMaxZoom: 12,
    lineColor: MAP_COLORS.townLine,
    lineWidth: [
      [8, 1.2],
      [12, 2.2],
      [16, 3],
    ],
    labelColor: MAP_COLORS.townLabel,
    labelSize: [
      [8, 13],
      [11, 16],
    ],
  },
  village: {
    lineMinZoom: 10,
    labelMinZoom: 10.5,
    labelMaxZoom: 14,
    lineColor: MAP_COLORS.villageLine,
    lineWidth: [
      [10, 0.6],
      [14, 1.4],
    ],
    labelColor: MAP_COLORS.villageLabel,
    labelSize: [
      [10, 11],
      [13, 13],
    ],
  },
  grid: {
    lineMinZoom: 12,
    labelMinZoom: 12.5,
    labelMaxZoom: 15.5,
    lineColor: MAP_COLORS.gridLine,
    lineWidth: [
      [12, 0.5],
      [15, 1.2],
    ],
    labelColor: MAP_COLORS.gridLabel,
    labelSize: [
      [12, 10.5],
      [15, 12],
    ],
  },
  microgrid: {
    lineMinZoom: 13.5,
    labelMinZoom: 14.5,
    labelMaxZoom: 24,
    lineColor: MAP_COLORS.microGridLine,
    lineWidth: [
      [13.5, 0.4],
      [17, 1],
    ],
    labelColor: MAP_COLORS.microGridLabel,
    labelSize: [
      [14.5, 10],
      [17, 12],
    ],
  },
};

/**
 * County and city boundaries on a platform of several counties: brighter and wider than the
 * towns' and drawn over them, so a province at z7 reads as its cities and counties; their names
 * give way to the towns' as the view closes in on one county.
 */
export const UPPER_STYLES: Record<UpperLayer, LevelStyle> = {
  county: {
    lineMinZoom: 0,
    labelMinZoom: 7,
    labelMaxZoom: 10.5,
    lineColor: '#8fb4da',
    lineWidth: [
      [6, 1],
      [9, 2],
      [13, 3.2],
    ],
    labelColor: '#e9f1f9',
    // A step above the towns' names at every zoom, so a county reads as such among its towns.
    labelSize: [
      [7, 14],
      [10, 19],
    ],
  },
  city: {
    lineMinZoom: 0,
    labelMinZoom: 0,
    labelMaxZoom: 8.5,
    lineColor: '#c6dcf2',
    lineWidth: [
      [5, 1.6],
      [9, 3],
      [13, 4.2],
    ],
    labelColor: '#f5f9fd',
    labelSize: [
      [5, 15],
      [8, 20],
    ],
  },
};

/**
 * On a platform of several counties the towns' lines and names wait until the view closes in on
 * a county: over a province they would bury the counties' outlines.
 */
export const TOWN_MIN_ZOOM_UNDER_COUNTIES = { line: 8.5, label: 9.5 } as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A zoom curve whose values (widths, sizes in px) are multiplied by the UI scale. */
const interpolate = (stops: [number, number][], scale: number) =>
  ['interpolate', ['linear'], ['zoom'], ...stops.flatMap(([zoom, value]) => [zoom, value * scale])] as never;

const isTiled = (delivery: RegionDelivery, level: RegionLevel) => delivery.tiled.includes(level);

/** Every tiled layer of a delivery: its tiled levels, then the county and city boundaries. */
function tiledLayers(delivery: RegionDelivery): TileLayer[] {
  return [...REGION_LEVELS.filter((level) => isTiled(delivery, level)), ...(delivery.upper ? UPPER_TILE_LAYERS : [])];
}

export function regionTileSource(origin: string, layer: TileLayer): VectorSourceSpecification {
  return {
    type: 'vector',
    tiles: [tileUrl(origin, layer)],
    // Below the server's minimum zoom a layer's tiles are empty: none is asked for.
    minzoom: TILE_MIN_ZOOM[layer],
    maxzoom: TILE_SOURCE_MAX_ZOOM,
    promoteId: 'id',
  };
}

function tileSources(delivery: RegionDelivery): Record<string, VectorSourceSpecification> {
  const sources: Record<string, VectorSourceSpecification> = {};
  for (const layer of tiledLayers(delivery)) sources[regionTileSourceId(layer)] = regionTileSource(delivery.origin, layer);
  return sources;
}

/**
 * One polygon source and one label-point source per GeoJSON level, so loading or updating one
 * level never re-tiles another, and labels sit on the server's label anchor instead of repeating
 * on every tile a polygon crosses. A tiled level has one vector source holding both (the server
 * puts the anchors in `{level}_label`). The polygons go to the base map, the label points to the
 * overlay (see `buildBaseStyle`).
 */
export function regionPolygonSources(delivery: RegionDelivery = COUNTY_DELIVERY): Record<string, GeoJSONSourceSpecification | VectorSourceSpecification> {
  const sources: Record<string, GeoJSONSourceSpecification | VectorSourceSpecification> = {};
  for (const level of REGION_LEVELS) {
    if (!isTiled(delivery, level)) sources[regionSourceId(level)] = { type: 'geojson', data: EMPTY, promoteId: 'id', tolerance: 0.5 };
  }
  return { ...sources, ...tileSources(delivery) };
}

export function regionLabelSources(delivery: RegionDelivery = COUNTY_DELIVERY): Record<string, GeoJSONSourceSpecification | VectorSourceSpecification> {
  const sources: Record<string, GeoJSONSourceSpecification | VectorSourceSpecification> = {};
  for (const level of REGION_LEVELS) if (!isTiled(delivery, level)) sources[regionLabelSourceId(level)] = { type: 'geojson', data: EMPTY, promoteId: 'id' };
  return { ...sources, ...tileSources(delivery) };
}

/** Where a layer of `level` reads its polygons or label points: its GeoJSON source, or its vector tiles' layer. */
function polygonSource(delivery: RegionDelivery, level: TileLayer): { source: string; 'source-layer'?: string } {
  const tiled = level === 'city' || level === 'county' || isTiled(delivery, level);
  return tiled ? { source: regionTileSourceId(level), 'source-layer': level } : { source: regionSourceId(level as RegionLevel) };
}

function labelSource(delivery: RegionDelivery, level: TileLayer): { source: string; 'source-layer'?: string } {
  const tiled = level === 'city' || level === 'county' || isTiled(delivery, level);
  return tiled ? { source: regionTileSourceId(level), 'source-layer': `${level}_label` } : { source: regionLabelSourceId(level as RegionLevel) };
}

/** The zooms a level shows at under `delivery` (towns wait for a county's zoom on a platform of several). */
function styleOf(delivery: RegionDelivery, level: TileLayer): LevelStyle {
  if (level === 'city' || level === 'county') return UPPER_STYLES[level];
  const s = LEVEL_STYLES[level];
  if (level !== 'town' || !delivery.upper) return s;
  return { ...s, lineMinZoom: TOWN_MIN_ZOOM_UNDER_COUNTIES.line, labelMinZoom: TOWN_MIN_ZOOM_UNDER_COUNTIES.label };
}

/**
 * Region layers bottom-up: town fill, boundaries fine to coarse, labels fine to coarse (a layer
 * higher in the stack places its labels first, so coarser names win collisions). Line layers
 * carry `<level>-line` ids and labels `<level>-label`, which the layer switches address, whether
 * the level comes as GeoJSON or as tiles. `scale` grows lines and labels with the UI, e.g. ×2 on
 * a 4K wall read from across the room.
 */
export function regionLayers(scale = 1, delivery: RegionDelivery = COUNTY_DELIVERY): LayerSpecification[] {
  const fill = {
    id: 'town-fill',
    type: 'fill',
    ...polygonSource(delivery, 'town'),
    paint: { 'fill-color': MAP_COLORS.townFill, 'fill-opacity': MAP_COLORS.townFillOpacity },
  } as LayerSpecification;
  const levels: TileLayer[] = [...[...REGION_LEVELS].reverse(), ...(delivery.upper ? UPPER_TILE_LAYERS : [])];
  const lines = levels.map((level): LayerSpecification => {
    const s = styleOf(delivery, level);
    return {
      id: `${level}-line`,
      type: 'line',
      ...polygonSource(delivery, level),
      minzoom: s.lineMinZoom,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': s.lineColor, 'line-width': interpolate(s.lineWidth, scale) },
    } as LayerSpecification;
  });
  const labels = levels.map((level): LayerSpecification => {
    const s = styleOf(delivery, level);
    return {
      id: `${level}-label`,
      type: 'symbol',
      ...labelSource(delivery, level),
      minzoom: s.labelMinZoom,
      maxzoom: s.labelMaxZoom,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': [...CJK_FONT_STACK],
        'text-size': interpolate(s.labelSize, scale),
        'text-max-width': 8,
        'text-padding': 4 * scale,
        // On the anchor if free, else beside it: the markers, bubbles and team counts are placed
        // first (see buildMapStyle), and a name never lands on one.
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 0.8,
      },
      paint: {
        'text-color': s.labelColor,
        'text-halo-color': MAP_COLORS.labelHalo,
        'text-halo-width': 1.4 * scale,
        'text-halo-blur': 0.4,
      },
    } as LayerSpecification;
  });
  return [fill, ...lines, ...labels];
}

/** Label anchors of one level as points, from the `labelLon`/`labelLat` the server computed. */
export function regionLabelPoints(collection: RegionCollection): RegionLabelCollection {
  const features: Feature<Point, Pick<RegionFeatureProperties, 'id' | 'name' | 'level'>>[] = [];
  for (const f of collection.features) {
    const p = f.properties;
    if (!p || !Number.isFinite(p.labelLon) || !Number.isFinite(p.labelLat)) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.labelLon, p.labelLat] },
      properties: { id: p.id, name: p.name, level: p.level },
    });
  }
  return { type: 'FeatureCollection', features };
}
