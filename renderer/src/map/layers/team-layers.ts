import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { TeamType } from '../../../../shared/contracts/catalog.js';
import type { TeamSummary, TrailPoint } from '../../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../../shared/contracts/workflow.js';
import { TEAM_STATUS_LABELS, labelsIn } from '../../../../shared/domain/labels.js';
import { CJK_FONT_STACK, MAP_COLORS, TEAM_STATUS_COLORS, TEAM_STATUS_INK } from '../../app/theme';
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff, GeoJSONSourceSpecification, LayerSpecification } from './style-types';

export const TEAM_SOURCE_ID = 'teams';
export const TEAM_TRAIL_SOURCE_ID = 'team-trail';
/** One point per town holding its teams' counts by status, shown instead of the squares at county and town zoom. */
export const TEAM_TOWN_SOURCE_ID = 'team-towns';
export const TEAM_LAYER_IDS = {
  trail: 'team-trail-line',
  trailEnds: 'team-trail-ends',
  selectedRing: 'teams-selected-ring',
  marker: 'teams-marker',
  label: 'teams-label',
  town: 'teams-town',
} as const;

/**
 * Squares from this zoom (village view), where each can be told apart and dragged onto; below
 * it, one count per town. The same zoom at which event bubbles open into markers.
 */
export const TEAM_SQUARE_MIN_ZOOM = 12;

/** The image behind a town's team counts: a dark rounded panel that stretches to its text. */
export const TEAM_PANEL_IMAGE_ID = 'team-town-panel';

/** The icon of a team marker of this status: a rounded square drawn by `teamIconImage`. */
export const teamIconId = (status: TeamStatus) => `team-${status}`;
export const TEAM_ICON_PREFIX = 'team-';

export interface TeamFeatureProperties {
  id: string;
  name: string;
  type: TeamType;
  status: TeamStatus;
}

const PROPERTY_KEYS = ['name', 'type', 'status'] as const;

export type TeamFeature = Feature<Point, TeamFeatureProperties>;

export function teamFeature(team: TeamSummary): TeamFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [team.location.lon, team.location.lat] },
    properties: { id: team.id, name: team.name, type: team.type, status: team.status },
  };
}

export function teamCollection(teams: Iterable<TeamSummary>): FeatureCollection<Point, TeamFeatureProperties> {
  const features: TeamFeature[] = [];
  for (const team of teams) features.push(teamFeature(team));
  return { type: 'FeatureCollection', features };
}

/** The selected team's trail (oldest first) as one line; nothing for fewer than two points. */
export function trailCollection(points: readonly TrailPoint[]): FeatureCollection<LineString | Point> {
  if (points.length < 2) return { type: 'FeatureCollection', features: [] };
  const first = points[0]!;
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'LineString', coordinates: points.map((p) => [p.lon, p.lat]) }, properties: { part: 'line' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [first.lon, first.lat] }, properties: { part: 'start' } },
    ],
  };
}

export function teamSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

export function teamTrailSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
}

export function teamTownSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

/** Where a town's team counts are drawn: its label anchor. */
export interface TownAnchor {
  id: string;
  lon: number;
  lat: number;
}

export type TeamTownProperties = { id: string; total: number } & Record<TeamStatus, number>;

const STATUSES: readonly TeamStatus[] = ['available', 'en_route', 'on_scene', 'busy', 'off_duty'];

/**
 * The teams of each town counted by status, one point per town at its label anchor. A team
 * counts for its home town; a county unit (no home town) for the town whose anchor is nearest
 * to where it is now.
 */
export function teamTownCollection(teams: Iterable<TeamSummary>, towns: readonly TownAnchor[]): FeatureCollection<Point, TeamTownProperties> {
  const counts = new Map<string, TeamTownProperties>();
  const byId = new Map(towns.map((t) => [t.id, t]));
  for (const team of teams) {
    const town = (team.townId && byId.get(team.townId)) || nearest(towns, team.location);
    if (!town) continue;
    let c = counts.get(town.id);
    if (!c) counts.set(town.id, (c = { id: town.id, total: 0, available: 0, en_route: 0, on_scene: 0, busy: 0, off_duty: 0 }));
    c.total += 1;
    c[team.status] += 1;
  }
  const features: Feature<Point, TeamTownProperties>[] = [];
  for (const town of towns) {
    const properties = counts.get(town.id);
    if (properties) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [town.lon, town.lat] }, properties });
  }
  return { type: 'FeatureCollection', features };
}

function nearest(towns: readonly TownAnchor[], at: { lon: number; lat: number }): TownAnchor | undefined {
  // Degrees of longitude shrink with latitude; enough for choosing among a county's towns.
  const k = Math.cos((at.lat * Math.PI) / 180);
  let best: TownAnchor | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const t of towns) {
    const d = ((t.lon - at.lon) * k) ** 2 + (t.lat - at.lat) ** 2;
    if (d < bestD) {
      bestD = d;
      best = t;
    }
  }
  return best;
}

/** A value per team status, as a style expression. */
export const byTeamStatus = (values: Record<TeamStatus, string>) =>
  ['match', ['get', 'status'], 'available', values.available, 'en_route', values.en_route, 'on_scene', values.on_scene, 'busy', values.busy, values.off_duty] as never;

/**
 * The words of the team layer in the UI language: a one-character mark inside the square, a
 * word in the label, and around a town's team count (zh `队伍 38`, en `38 teams`).
 */
export interface TeamMarks {
  mark: Record<TeamStatus, string>;
  word: Record<TeamStatus, string>;
  townTotal?: { before: string; after: string };
}

export const DEFAULT_TEAM_MARKS: TeamMarks = {
  mark: { available: '闲', en_route: '途', on_scene: '场', busy: '忙', off_duty: '休' },
  word: labelsIn(TEAM_STATUS_LABELS, 'zh-CN'),
  townTotal: { before: '队伍 ', after: '' },
};

/**
 * A town's team counts as formatted text: the total on the first line, then each status that
 * has teams as its mark and count in the status colour (`闲12 途3 场5 忙9`): words and figures,
 * the colour only helps.
 */
export function teamTownLabel(marks: TeamMarks): unknown[] {
  const total = marks.townTotal ?? { before: '', after: '' };
  const sections: unknown[] = ['format', ['concat', total.before, ['to-string', ['get', 'total']], total.after], { 'font-scale': 1.05, 'text-color': '#e6eef6' }, '\n', {}];
  for (const status of STATUSES) {
    sections.push(['case', ['>', ['get', status], 0], ['concat', marks.mark[status], ['to-string', ['get', status]], ' '], ''], { 'text-color': TEAM_STATUS_COLORS[status] });
  }
  return sections;
}

/**
 * Team layers: the selected team's last-hour trail (a dashed line from a hollow start dot), a
 * ring on the selected team, the team as a status-coloured rounded square with the status's
 * mark inside (shape and word, not colour alone), and from zoom 12 its name and status in words.
 */
export function teamLayers(marks: TeamMarks = DEFAULT_TEAM_MARKS, scale = 1): LayerSpecification[] {
  const size = (s: number) => ['interpolate', ['linear'], ['zoom'], 8, 0.8 * s, 11, 1 * s, 15, 1.2 * s] as never;
  return [
    {
      id: TEAM_LAYER_IDS.trail,
      type: 'line',
      source: TEAM_TRAIL_SOURCE_ID,
      filter: ['==', ['get', 'part'], 'line'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': MAP_COLORS.trail, 'line-width': 3 * scale, 'line-opacity': 0.9, 'line-dasharray': [2, 1.2] },
    },
    {
      id: TEAM_LAYER_IDS.trailEnds,
      type: 'circle',
      source: TEAM_TRAIL_SOURCE_ID,
      filter: ['==', ['get', 'part'], 'start'],
      paint: { 'circle-radius': 4 * scale, 'circle-color': MAP_COLORS.background, 'circle-stroke-color': MAP_COLORS.trail, 'circle-stroke-width': 2 * scale },
    },
    {
      id: TEAM_LAYER_IDS.selectedRing,
      type: 'circle',
      source: TEAM_SOURCE_ID,
      minzoom: TEAM_SQUARE_MIN_ZOOM,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 14 * scale, 11, 17 * scale, 15, 20 * scale] as never,
        'circle-color': 'rgba(255,255,255,0.06)',
        'circle-stroke-color': MAP_COLORS.selectedRing,
        'circle-stroke-width': 3 * scale,
        'circle-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0],
        'circle-stroke-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0],
      },
    },
    {
      id: TEAM_LAYER_IDS.marker,
      type: 'symbol',
      source: TEAM_SOURCE_ID,
      minzoom: TEAM_SQUARE_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', TEAM_ICON_PREFIX, ['get', 'status']],
        'icon-size': size(scale),
        // Always drawn, and labels placed after them keep off them.
        'icon-allow-overlap': true,
        'text-field': byTeamStatus(marks.mark),
        'text-font': [...CJK_FONT_STACK],
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 10 * scale, 11, 12 * scale, 15, 14 * scale] as never,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
        'symbol-sort-key': ['match', ['get', 'status'], 'available', 5, 'en_route', 4, 'on_scene', 3, 'busy', 2, 1],
      },
      paint: { 'text-color': byTeamStatus(TEAM_STATUS_INK) },
    },
    {
      id: TEAM_LAYER_IDS.label,
      type: 'symbol',
      source: TEAM_SOURCE_ID,
      minzoom: 12.5,
      layout: {
        'text-field': ['concat', ['get', 'name'], ' · ', byTeamStatus(marks.word)] as never,
        'text-font': [...CJK_FONT_STACK],
        'text-size': 12 * scale,
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
        'text-radial-offset': 1.25,
        'text-padding': 1,
      },
      paint: { 'text-color': byTeamStatus(TEAM_STATUS_COLORS), 'text-halo-color': MAP_COLORS.labelHalo, 'text-halo-width': 1.6 * scale },
    },
    {
      // County and town zoom: each town's teams as counts by status on a small panel under the
      // town's name, instead of hundreds of overlapping squares.
      id: TEAM_LAYER_IDS.town,
      type: 'symbol',
      source: TEAM_TOWN_SOURCE_ID,
      maxzoom: TEAM_SQUARE_MIN_ZOOM,
      layout: {
        'text-field': teamTownLabel(marks) as never,
        'text-font': [...CJK_FONT_STACK],
        'text-size': 11 * scale,
        'text-line-height': 1.25,
        // Under the town's name if free, else another side; over a bubble only when no side is free.
        'text-variable-anchor': ['top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'],
        'text-radial-offset': 1.2,
        'text-allow-overlap': true,
        'icon-image': TEAM_PANEL_IMAGE_ID,
        'icon-text-fit': 'both',
        'icon-text-fit-padding': [3 * scale, 6 * scale, 3 * scale, 6 * scale],
        'icon-allow-overlap': true,
      },
    },
  ];
}

/**
 * The smallest `updateData` diff that turns the team markers of `prev` into those of `next`
 * (moved teams, changed status or name, added and removed teams); null when nothing changes.
 */
export function diffTeamFeatures(prev: ReadonlyMap<string, TeamSummary>, next: ReadonlyMap<string, TeamSummary>): GeoJSONSourceDiff | null {
  const add: TeamFeature[] = [];
  const update: GeoJSONFeatureDiff[] = [];
  const remove: string[] = [];
  for (const [id, team] of next) {
    const before = prev.get(id);
    if (!before) {
      add.push(teamFeature(team));
      continue;
    }
    if (before === team) continue;
    const a = teamFeature(before);
    const b = teamFeature(team);
    const moved = before.location.lon !== team.location.lon || before.location.lat !== team.location.lat;
    const changed = PROPERTY_KEYS.filter((key) => a.properties[key] !== b.properties[key]);
    if (!moved && changed.length === 0) continue;
    const diff: GeoJSONFeatureDiff = { id };
    if (moved) diff.newGeometry = b.geometry;
    if (changed.length) diff.addOrUpdateProperties = changed.map((key) => ({ key, value: b.properties[key] }));
    update.push(diff);
  }
  for (const id of prev.keys()) if (!next.has(id)) remove.push(id);
  if (!add.length && !update.length && !remove.length) return null;
  const diff: GeoJSONSourceDiff = {};
  if (add.length) diff.add = add;
  if (update.length) diff.update = update;
  if (remove.length) diff.remove = remove;
  return diff;
}

/**
 * The panel behind a town's team counts, with its stretch zones and content box for
 * `icon-text-fit`, as `map.addImage` takes them (pixel ratio 2).
 */
export function teamPanelImage(): { image: { width: number; height: number; data: Uint8Array }; options: { pixelRatio: number; stretchX: [number, number][]; stretchY: [number, number][]; content: [number, number, number, number] } } {
  const side = 32;
  const r = 10;
  const data = new Uint8Array(side * side * 4);
  const fill = hexRgb('#0d1826');
  const border = hexRgb('#5b7fa3');
  const half = side / 2;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const qx = Math.abs(x + 0.5 - half) - (half - r);
      const qy = Math.abs(y + 0.5 - half) - (half - r);
      const d = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
      const alpha = clamp01(0.5 - d);
      if (alpha <= 0) continue;
      const rgb = -d < 2 ? border : fill;
      const i = (y * side + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = Math.round(alpha * (-d < 2 ? 255 : 230));
    }
  }
  return { image: { width: side, height: side, data }, options: { pixelRatio: 2, stretchX: [[r, side - r]], stretchY: [[r, side - r]], content: [r / 2, r / 2, side - r / 2, side - r / 2] } };
}

/** CSS pixels of a team icon's side at icon-size 1. */
export const TEAM_ICON_CSS_PX = 22;

/**
 * The team marker's image: a rounded square in the status colour with a light border and a dark
 * outline, as RGBA pixels for `map.addImage` (drawn here, so nothing is fetched and it tests
 * without a canvas).
 */
export function teamIconImage(color: string, pixelRatio = 2): { width: number; height: number; data: Uint8Array } {
  const side = Math.round(TEAM_ICON_CSS_PX * pixelRatio);
  const data = new Uint8Array(side * side * 4);
  const fill = hexRgb(color);
  const border = hexRgb('#f4f8fc');
  const outline = hexRgb(MAP_COLORS.background);
  const half = side / 2;
  const radius = 6 * pixelRatio;
  const borderW = 2 * pixelRatio;
  const outlineW = 1 * pixelRatio;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      // signed distance from the rounded square's edge (negative inside)
      const qx = Math.abs(x + 0.5 - half) - (half - radius);
      const qy = Math.abs(y + 0.5 - half) - (half - radius);
      const d = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
      const alpha = clamp01(0.5 - d);
      if (alpha <= 0) continue;
      const depth = -d;
      const rgb = depth < outlineW ? outline : depth < outlineW + borderW ? border : fill;
      const i = (y * side + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = Math.round(alpha * 255);
    }
  }
  return { width: side, height: side, data };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
