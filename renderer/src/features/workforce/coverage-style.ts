import type { Feature, Geometry, Position } from 'geojson';
import { CJK_FONT_STACK, MAP_COLORS } from '../../app/theme';
import type { ExpressionSpecification } from 'maplibre-gl';
import type { StyleSpecification } from '../../map/layers/style-types';
import type { CoverageCollection, CoverageProperties } from './queries';

/** Colours of the coverage map: a patrolled micro-grid green and solid, one not patrolled amber and dashed (shape, not colour alone). */
export const COVERAGE_COLORS = { covered: '#35c98a', uncovered: '#f2c230', track: '#e9f1fa' } as const;

const isTrack = (f: Feature<Geometry, CoverageProperties>) => f.geometry?.type === 'LineString' || f.geometry?.type === 'MultiLineString';

/** The coverage split into the served micro-grids (polygons) and the patrol track (lines). */
export function splitCoverage(fc: CoverageCollection | undefined): { grids: CoverageCollection; track: CoverageCollection } {
  const features = fc?.features ?? [];
  return {
    grids: { type: 'FeatureCollection', features: features.filter((f) => !isTrack(f)) },
    track: { type: 'FeatureCollection', features: features.filter(isTrack) },
  };
}

/** Counts of the served micro-grids patrolled and not. */
export function coverageCounts(fc: CoverageCollection | undefined): { covered: number; uncovered: number; trackPoints: number } {
  const { grids, track } = splitCoverage(fc);
  const covered = grids.features.filter((f) => f.properties?.covered === true).length;
  let trackPoints = 0;
  for (const f of track.features) {
    if (f.geometry.type === 'LineString') trackPoints += f.geometry.coordinates.length;
    else if (f.geometry.type === 'MultiLineString') trackPoints += f.geometry.coordinates.reduce((n, l) => n + l.length, 0);
  }
  return { covered, uncovered: grids.features.length - covered, trackPoints };
}

function eachPosition(g: Geometry, visit: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      visit(g.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      g.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      g.coordinates.forEach((ring) => ring.forEach(visit));
      return;
    case 'MultiPolygon':
      g.coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(visit)));
      return;
    case 'GeometryCollection':
      g.geometries.forEach((x) => eachPosition(x, visit));
  }
}

/** [minLon, minLat, maxLon, maxLat] of every feature; null for an empty collection. */
export function coverageBounds(fc: CoverageCollection | undefined): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  for (const f of fc?.features ?? []) {
    if (!f.geometry) continue;
    eachPosition(f.geometry, ([lon, lat]) => {
      if (lon === undefined || lat === undefined) return;
      b = b ? [Math.min(b[0], lon), Math.min(b[1], lat), Math.max(b[2], lon), Math.max(b[3], lat)] : [lon, lat, lon, lat];
    });
  }
  return b;
}

/**
 * The coverage map's style: the served micro-grids filled by whether the worker was in them,
 * their names with 已巡到/未巡到 written on them, the patrol track on top. Everything inline (no
 * tiles, glyphs or sprite from anywhere), labels from the local CJK fonts.
 */
export function buildCoverageStyle(fc: CoverageCollection | undefined, words: { covered: string; uncovered: string }): StyleSpecification {
  const { grids, track } = splitCoverage(fc);
  const covered: ExpressionSpecification = ['==', ['get', 'covered'], true];
  return {
    version: 8,
    name: 'gridcommand-coverage',
    sources: {
      grids: { type: 'geojson', data: grids },
      track: { type: 'geojson', data: track },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
      {
        id: 'grid-fill',
        type: 'fill',
        source: 'grids',
        paint: { 'fill-color': ['case', covered, COVERAGE_COLORS.covered, COVERAGE_COLORS.uncovered], 'fill-opacity': ['case', covered, 0.32, 0.12] },
      },
      { id: 'grid-line-covered', type: 'line', source: 'grids', filter: covered, paint: { 'line-color': COVERAGE_COLORS.covered, 'line-width': 2 } },
      {
        id: 'grid-line-uncovered',
        type: 'line',
        source: 'grids',
        filter: ['!', covered],
        paint: { 'line-color': COVERAGE_COLORS.uncovered, 'line-width': 2, 'line-dasharray': [2, 2] },
      },
      { id: 'track', type: 'line', source: 'track', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': COVERAGE_COLORS.track, 'line-width': 2.5, 'line-opacity': 0.9 } },
      {
        id: 'grid-label',
        type: 'symbol',
        source: 'grids',
        layout: {
          'text-field': ['concat', ['coalesce', ['get', 'name'], ''], '\n', ['case', covered, `✓ ${words.covered}`, `✗ ${words.uncovered}`]],
          'text-font': [...CJK_FONT_STACK],
          'text-size': 13,
          'text-max-width': 10,
        },
        paint: { 'text-color': '#f3f7fb', 'text-halo-color': MAP_COLORS.labelHalo, 'text-halo-width': 1.6 },
      },
    ],
  };
}
