import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import { REGION_LEVELS, type RegionFeatureProperties, type RegionLevel } from '../../../../shared/contracts/regions.js';
import { CJK_FONT_STACK, MAP_COLORS } from '../../app/theme';
import type { GeoJSONSourceSpecification, LayerSpecification } from './style-types';

export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionFeatureProperties>;
export type RegionLabelCollection = FeatureCollection<Point, Pick<RegionFeatureProperties, 'id' | 'name' | 'level'>>;

export const regionSourceId = (level: RegionLevel) => `region-${level}`;
export const regionLabelSourceId = (level: RegionLevel) => `region-${level}-label`;

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

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A zoom curve whose values (widths, sizes in px) are multiplied by the UI scale. */
const interpolate = (stops: [number, number][], scale: number) =>
  ['interpolate', ['linear'], ['zoom'], ...stops.flatMap(([zoom, value]) => [zoom, value * scale])] as never;

/**
 * One polygon source and one label-point source per level, so loading or updating one level
 * never re-tiles another, and labels sit on the server's label anchor instead of repeating on
 * every tile a polygon crosses. The polygons go to the base map, the label points to the
 * overlay (see `buildBaseStyle`).
 */
export function regionPolygonSources(): Record<string, GeoJSONSourceSpecification> {
  const sources: Record<string, GeoJSONSourceSpecification> = {};
  for (const level of REGION_LEVELS) sources[regionSourceId(level)] = { type: 'geojson', data: EMPTY, promoteId: 'id', tolerance: 0.5 };
  return sources;
}

export function regionLabelSources(): Record<string, GeoJSONSourceSpecification> {
  const sources: Record<string, GeoJSONSourceSpecification> = {};
  for (const level of REGION_LEVELS) sources[regionLabelSourceId(level)] = { type: 'geojson', data: EMPTY, promoteId: 'id' };
  return sources;
}

/**
 * Region layers bottom-up: town fill, boundaries fine to coarse, labels fine to coarse (a layer
 * higher in the stack places its labels first, so coarser names win collisions). Line layers
 * carry `<level>-line` ids and labels `<level>-label`, which the layer switches address. `scale` grows
 * lines and labels with the UI, e.g. ×2 on a 4K wall read from across the room.
 */
export function regionLayers(scale = 1): LayerSpecification[] {
  const fill: LayerSpecification = {
    id: 'town-fill',
    type: 'fill',
    source: regionSourceId('town'),
    paint: { 'fill-color': MAP_COLORS.townFill, 'fill-opacity': MAP_COLORS.townFillOpacity },
  };
  const finestFirst = [...REGION_LEVELS].reverse();
  const lines = finestFirst.map((level): LayerSpecification => {
    const s = LEVEL_STYLES[level];
    return {
      id: `${level}-line`,
      type: 'line',
      source: regionSourceId(level),
      minzoom: s.lineMinZoom,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': s.lineColor, 'line-width': interpolate(s.lineWidth, scale) },
    };
  });
  const labels = finestFirst.map((level): LayerSpecification => {
    const s = LEVEL_STYLES[level];
    return {
      id: `${level}-label`,
      type: 'symbol',
      source: regionLabelSourceId(level),
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
    };
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
