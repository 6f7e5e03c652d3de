import type { Feature, FeatureCollection, Point } from 'geojson';
import { type EventRecord, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import { deadlineStanding, isOpen } from '../../../../shared/domain/case-state.js';
import { CJK_FONT_STACK, MAP_COLORS, URGENCY_COLORS, URGENCY_INK } from '../../app/theme';
import { TOWN_MIN_ZOOM_UNDER_COUNTIES } from './region-layers';
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff, GeoJSONSourceSpecification, LayerSpecification } from './style-types';
import type { UnitLevel } from './unit-anchors';

export const EVENT_SOURCE_ID = 'events';
/** The selected case alone, drawn above everything else (teams included) with a halo. */
export const SELECTED_EVENT_SOURCE_ID = 'event-selected';
/** The same events, unclustered, for the heat layer; fed only while that layer is on. */
export const EVENT_HEAT_SOURCE_ID = 'events-heat';

export const EVENT_LAYER_IDS = {
  heat: 'events-heat',
  deadlineRing: 'events-deadline-ring',
  circle: 'events-circle',
  urgencyLabel: 'events-urgency-label',
  deadlineLabel: 'events-deadline-label',
  itemLabel: 'events-item-label',
  clusterRing: 'events-cluster-ring',
  cluster: 'events-cluster',
  clusterCount: 'events-cluster-count',
  clusterOverdue: 'events-cluster-overdue',
  /** Invisible icons the size of each marker and bubble, placed first so no label lands on one. */
  shadow: 'events-shadow',
} as const;

export const SELECTED_LAYER_IDS = {
  halo: 'event-selected-halo',
  ring: 'event-selected-ring',
  marker: 'event-selected-marker',
  label: 'event-selected-label',
} as const;

/** One bubble per county (or city) on a platform of several counties, at its label anchor; see `unitLayers`. */
export const UNIT_SOURCE_ID = 'event-units';

/** The unit bubbles' layers of one level: `event-units-county-bubble`, … */
export const unitLayerIds = (level: UnitLevel) =>
  ({
    ring: `event-units-${level}-ring`,
    bubble: `event-units-${level}-bubble`,
    count: `event-units-${level}-count`,
    overdue: `event-units-${level}-overdue`,
    name: `event-units-${level}-name`,
    shadow: `event-units-${level}-shadow`,
  }) as const;

/**
 * Below this zoom a platform's cases are one bubble per county: where the towns' lines begin
 * (the view has not closed in on one county yet), so the bubbles speak of the units a command
 * room thinks in; from it the spatial bubbles and the markers take over.
 */
export const UNIT_MAX_ZOOM = TOWN_MIN_ZOOM_UNDER_COUNTIES.line;
/** Below this zoom a province's cases are one bubble per city (90 counties' bubbles would crowd it). */
export const CITY_UNIT_MAX_ZOOM = 6.5;

/** The glow around the selected case: a cool light that no urgency or team colour uses. */
const SELECTED_HALO = '#8fdcff';

/** Events are grouped into bubbles up to this zoom (county and town views); single markers from the next. */
export const CLUSTER_MAX_ZOOM = 11;
/** Pixels within which markers join one bubble, at desk scale. */
export const CLUSTER_RADIUS_PX = 56;
/**
 * On a platform of several counties bubbles gather from wider: over a province at z7 a county is
 * ~60 px across, and bubbles at the county's radius would bury the cities' and counties' names.
 */
export const PLATFORM_CLUSTER_RADIUS_PX = 96;

/** The bubbles' radius in px at a UI scale, wider on a platform of several counties. */
export const clusterRadius = (scale: number, platform = false) => Math.round((platform ? PLATFORM_CLUSTER_RADIUS_PX : CLUSTER_RADIUS_PX) * scale);
/** The transparent image the shadow layer sizes to each marker (a square of this many CSS px). */
export const SHADOW_IMAGE_ID = 'collision-shadow';
export const SHADOW_IMAGE_PX = 24;

/**
 * The step a marker shows by its outline, so state is readable without colour:
 * `new` solid with a white ring (the centre must act), `active` solid (in the field),
 * `review` hollow (handled, to verify), `done` a small grey dot (finished in the last 24 h).
 */
export type MarkerPhase = 'new' | 'active' | 'review' | 'done';
export const MARKER_PHASES = ['new', 'active', 'review', 'done'] as const satisfies readonly MarkerPhase[];

export function markerPhase(status: EventStatus): MarkerPhase {
  switch (status) {
    case 'reported':
    case 'filed':
      return 'new';
    case 'dispatched':
    case 'accepted':
    case 'in_progress':
      return 'active';
    case 'handled':
    case 'verified':
      return 'review';
    default:
      return 'done';
  }
}

/** Where an open case stands against its step's deadline, as the map colours it. */
export type MarkerDeadline = 'none' | 'ok' | 'warning' | 'overdue';

export interface EventFeatureProperties {
  id: string;
  urgency: Urgency;
  /** 0 (P0) … 3 (P3) for an open case, 4 when finished: a bubble shows the smallest of its markers. */
  rank: number;
  phase: MarkerPhase;
  /** The item's name as filed (Chinese), and its code, by which the label finds the reader's language's name. */
  item: string;
  code: string;
  /** The step's deadline standing as of the last clock step (changes only when a case crosses 80 % or its deadline). */
  deadline: MarkerDeadline;
  /**
   * The step's deadline (ms since the epoch; 0 without one). The countdown label reads it against
   * the style's global `now`, so the passing minutes cost no data update.
   */
  deadlineAt: number;
}

const PROPERTY_KEYS = ['urgency', 'rank', 'phase', 'item', 'code', 'deadline', 'deadlineAt'] as const;

export type EventFeature = Feature<Point, EventFeatureProperties>;

const URGENCY_RANK: Record<Urgency, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };
export const DONE_RANK = 4;

/** The deadline standing a marker shows (finished cases have none). */
function deadlineState(event: EventRecord, now: number): MarkerDeadline {
  if (!isOpen(event)) return 'none';
  return deadlineStanding(event, now).kind;
}

export function eventFeature(event: EventRecord, now: number): EventFeature {
  const deadline = deadlineState(event, now);
  const phase = markerPhase(event.status);
  const due = deadline === 'none' || !event.deadlineAt ? 0 : Date.parse(event.deadlineAt);
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [event.location.lon, event.location.lat] },
    properties: {
      id: event.id,
      urgency: event.urgency,
      rank: phase === 'done' ? DONE_RANK : URGENCY_RANK[event.urgency],
      phase,
      item: event.itemName,
      code: event.itemCode,
      deadline,
      deadlineAt: Number.isNaN(due) ? 0 : due,
    },
  };
}

export function eventCollection(events: Iterable<EventRecord>, now: number, shows: (event: EventRecord) => boolean = () => true): FeatureCollection<Point, EventFeatureProperties> {
  const features: EventFeature[] = [];
  for (const event of events) if (shows(event)) features.push(eventFeature(event, now));
  return { type: 'FeatureCollection', features };
}

const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/**
 * The event markers, clustered at county and town zoom. Each bubble aggregates its markers'
 * worst urgency (smallest rank) and how many are overdue or near their deadline, so a bubble
 * says where it burns without opening it. Feature ids are promoted from `properties.id`, which
 * lets `updateData` touch single markers.
 */
export function eventSource(scale = 1, platform = false): GeoJSONSourceSpecification {
  return {
    type: 'geojson',
    data: empty(),
    promoteId: 'id',
    cluster: true,
    clusterMaxZoom: CLUSTER_MAX_ZOOM,
    clusterRadius: clusterRadius(scale, platform),
    clusterProperties: {
      worst: ['min', ['get', 'rank']],
      overdue: ['+', ['case', ['==', ['get', 'deadline'], 'overdue'], 1, 0]],
      warning: ['+', ['case', ['==', ['get', 'deadline'], 'warning'], 1, 0]],
    },
  };
}

export function selectedEventSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: empty(), promoteId: 'id' };
}

export function eventHeatSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: empty(), promoteId: 'id' };
}

/** An expression picking one of four values by the feature's urgency. */
export const byUrgency = (values: Record<Urgency, string>) =>
  ['match', ['get', 'urgency'], 'P0', values.P0, 'P1', values.P1, 'P2', values.P2, values.P3] as never;

/** A bubble's colour: that of its worst urgency; grey when all it holds are finished. */
const byWorst = (values: Record<Urgency, string>, done: string) =>
  ['match', ['get', 'worst'], 0, values.P0, 1, values.P1, 2, values.P2, 3, values.P3, done] as never;

/**
 * Marker radius by zoom, times `size`; finished events are drawn at `doneSize` instead.
 * One zoom curve per expression (a style-spec rule), so the phase test sits inside each stop.
 */
const MARKER_RADIUS: [zoom: number, px: number][] = [
  [8, 8],
  [11, 9],
  [15, 12],
];
const radius = (size: number, doneSize = size) => {
  const at = (r: number) => (doneSize === size ? r * size : ['case', ['==', ['get', 'phase'], 'done'], r * doneSize, r * size]);
  return ['interpolate', ['linear'], ['zoom'], ...MARKER_RADIUS.flatMap(([z, r]) => [z, at(r)])] as never;
};

/** A bubble's radius in CSS px, by how many markers it holds: room for the count and the word under it. */
const bubbleRadius = (scale: number) => ['step', ['get', 'point_count'], 17 * scale, 10, 19 * scale, 50, 22 * scale, 200, 25 * scale] as never;

/** The short label drawn inside a marker, per urgency, in the UI language. */
export type UrgencyMarks = Record<Urgency, string>;

/**
 * The words of a bubble, in the UI language: its worst urgency inside, under the count (特急,
 * 紧急… or 已办结 when all it holds are finished), and beside it, when some are overdue, their
 * count (zh `超期3`, en `3 late`).
 */
export interface ClusterMarks {
  worst: Record<Urgency | 'done', string>;
  overdue: { before: string; after: string };
}

export const DEFAULT_CLUSTER_MARKS: ClusterMarks = {
  worst: { P0: '特急', P1: '紧急', P2: '一般', P3: '复杂', done: '已办结' },
  overdue: { before: '超期', after: '' },
};

/**
 * The words of the countdown label under a marker, in the UI language: zh `剩2时05分` /
 * `超15分`, en `2h 05m left` / `late 15m`. Kept in the style, not the data, so a language switch
 * restyles the map without re-sending a single feature.
 */
export interface DeadlineMarks {
  /** Around the duration while time is left: zh `剩…`, en `… left`. */
  left: { before: string; after: string };
  /** Around the duration once overdue: zh `超…`, en `late …`. */
  over: { before: string; after: string };
  day: string;
  hour: string;
  minute: string;
  /** Between the two parts of a duration: '' in Chinese, ' ' in English. */
  gap: string;
}

export const DEFAULT_DEADLINE_MARKS: DeadlineMarks = { left: { before: '剩', after: '' }, over: { before: '超', after: '' }, day: '天', hour: '时', minute: '分', gap: '' };

/** Splits a message such as `剩{{time}}` (already rendered with `time` = TIME_SLOT) around the slot. */
export const TIME_SLOT = '\u2060TIME\u2060';
export function splitAroundTime(rendered: string): { before: string; after: string } {
  const at = rendered.indexOf(TIME_SLOT);
  return at < 0 ? { before: rendered, after: '' } : { before: rendered.slice(0, at), after: rendered.slice(at + TIME_SLOT.length) };
}

/** Colours of the countdown, as in the queue: yellow from 80 % of the step's time, red when overdue. */
export const DEADLINE_COLORS = { warning: MAP_COLORS.warningRing, overdue: MAP_COLORS.overdueRing, ok: '#c9d6e2' } as const;

/** The style's global state: the map clock, stepped by the controller once a minute. */
export const MAP_NOW = 'now';

/**
 * The style's global state: item names in the UI language by code (empty in Chinese, where the
 * name the case was filed under is shown). A language switch sets it once; no feature changes.
 */
export const MAP_ITEM_NAMES = 'itemNames';

/**
 * The countdown label as a style expression: the minutes between `deadlineAt` and the global
 * `now`, in the two largest units like the queue's countdown (`2天3时`, `1时05分`, `12分`).
 */
export function remainingLabel(marks: DeadlineMarks): unknown[] {
  const overdue = ['==', ['get', 'deadline'], 'overdue'];
  const delta = ['-', ['get', 'deadlineAt'], ['global-state', MAP_NOW]];
  const m = ['max', 0, ['floor', ['/', ['case', overdue, ['-', 0, delta], delta], 60_000]]];
  const days = ['floor', ['/', m, 1440]];
  const hours = ['floor', ['/', ['%', m, 1440], 60]];
  const minutes = ['%', m, 60];
  const str = (x: unknown) => ['to-string', x];
  const pad2 = (x: unknown) => ['case', ['<', x, 10], ['concat', '0', str(x)], str(x)];
  const body = [
    'case',
    ['>=', m, 1440],
    ['concat', str(days), marks.day, marks.gap, str(hours), marks.hour],
    ['>=', m, 60],
    ['concat', str(hours), marks.hour, marks.gap, pad2(minutes), marks.minute],
    ['concat', str(m), marks.minute],
  ];
  return ['concat', ['case', overdue, marks.over.before, marks.left.before], body, ['case', overdue, marks.over.after, marks.left.after]];
}

/** Inside a bubble: the count, and under it the word of its worst urgency. */
export function clusterCountLabel(marks: ClusterMarks): unknown[] {
  const worst = ['match', ['get', 'worst'], 0, marks.worst.P0, 1, marks.worst.P1, 2, marks.worst.P2, 3, marks.worst.P3, marks.worst.done];
  return ['format', ['get', 'point_count_abbreviated'], { 'font-scale': 1.15 }, '\n', {}, worst, { 'font-scale': 0.82 }];
}

/** Beside a bubble holding overdue cases: how many. */
export function clusterOverdueLabel(marks: ClusterMarks): unknown[] {
  return ['concat', marks.overdue.before, ['to-string', ['get', 'overdue']], marks.overdue.after];
}

const IS_CLUSTER = ['has', 'point_count'] as never;
const IS_POINT = ['!', ['has', 'point_count']] as never;

export interface EventLayerMarks {
  urgency: UrgencyMarks;
  deadline?: DeadlineMarks;
  cluster?: ClusterMarks;
}

/**
 * Event layers: heat (off by default), bubbles at county and town zoom (colour and word of the
 * worst urgency, the count inside, a red ring and the overdue count beside it), single markers
 * from village zoom, and the invisible shadow that keeps labels off markers and bubbles.
 * `scale` grows markers and labels with the UI (see `regionLayers`).
 */
export function eventLayers(marks: EventLayerMarks, scale = 1, units: UnitZooms | null = null): LayerSpecification[] {
  const layers = spatialEventLayers(marks, scale);
  if (!units) return layers;
  // On a platform the spatial bubbles and markers wait for a county's zoom; the heat does not.
  const spatial = layers.map((l) => (l.id === EVENT_LAYER_IDS.heat ? l : { ...l, minzoom: UNIT_MAX_ZOOM }));
  return [...spatial, ...unitLayers(marks.cluster ?? DEFAULT_CLUSTER_MARKS, scale, units)];
}

/** Which unit bubbles a platform shows: the counties', and below CITY_UNIT_MAX_ZOOM the cities' when it holds several. */
export interface UnitZooms {
  cities: boolean;
}

/**
 * The zoom below which a province's bubbles are its cities', at a UI scale: a bubble's footprint
 * grows with the scale and a county's does not, so on a 4K wall (scale 2) a county's bubble
 * would cover its county; there the cities' stay until a county's zoom. At desk scale, 6.5.
 */
export function cityUnitMaxZoom(scale: number): number {
  return Math.min(UNIT_MAX_ZOOM, CITY_UNIT_MAX_ZOOM + 2 * Math.log2(Math.max(1, scale)));
}

/** The zooms each level's unit bubbles show at. */
export function unitZoomRange(level: UnitLevel, units: UnitZooms, scale = 1): { minzoom: number; maxzoom: number } {
  const cityMax = cityUnitMaxZoom(scale);
  if (level === 'city') return { minzoom: 0, maxzoom: cityMax };
  return { minzoom: units.cities ? cityMax : 0, maxzoom: UNIT_MAX_ZOOM };
}

/** A unit bubble's radius, by the counts a county or city holds: room for a 3- or 4-digit count and the word under it. */
const unitRadius = (scale: number) => ['step', ['get', 'point_count'], 15 * scale, 10, 16 * scale, 100, 18 * scale, 1000, 21 * scale] as never;
/** The size of a unit's name beside its bubble (a county's name on the map is 14–19 px). */
const UNIT_NAME_PX = 14;
/** The name's distance from the bubble's centre, in ems of its size: the radius, its ring and a gap. */
const unitNameOffset = ['step', ['get', 'point_count'], 21 / UNIT_NAME_PX, 10, 22 / UNIT_NAME_PX, 100, 24 / UNIT_NAME_PX, 1000, 27 / UNIT_NAME_PX] as never;




/** The count and worst urgency written in a bubble: the same on a cluster and on a county's or city's bubble. */
function bubbleCount(marks: ClusterMarks, scale: number) {
  return {
    layout: {
      'text-field': clusterCountLabel(marks) as never,
      'text-font': [...CJK_FONT_STACK],
      'text-size': 12 * scale,
      'text-line-height': 1.05,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': byWorst(URGENCY_INK, '#0d1620') },
  };
}
/**
 * The unit bubbles, per level shown: the look of the spatial bubbles (colour and word of the worst
 * urgency, the count inside, a red or yellow ring, the overdue count beside) at the county's or
 * city's label anchor, and an invisible shadow so its name moves beside the bubble, not under it.
 */
export function unitLayers(marks: ClusterMarks, scale: number, units: UnitZooms): LayerSpecification[] {
  const levels: UnitLevel[] = units.cities ? ['city', 'county'] : ['county'];
  const labelFont = [...CJK_FONT_STACK];
  return levels.flatMap((level): LayerSpecification[] => {
    const ids = unitLayerIds(level);
    const range = unitZoomRange(level, units, scale);
    const base = { source: UNIT_SOURCE_ID, ...range, filter: ['==', ['get', 'level'], level] as never };
    return [
      {
        ...base,
        id: ids.ring,
        type: 'circle',
        filter: ['all', ['==', ['get', 'level'], level], ['>', ['+', ['get', 'overdue'], ['get', 'warning']], 0]] as never,
        paint: {
          'circle-radius': ['+', unitRadius(scale), 4 * scale] as never,
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], DEADLINE_COLORS.overdue, DEADLINE_COLORS.warning] as never,
          'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 3.5 * scale, 2 * scale] as never,
        },
      },
      {
        ...base,
        id: ids.bubble,
        type: 'circle',
        layout: { 'circle-sort-key': ['-', 10, ['get', 'worst']] as never },
        paint: {
          'circle-radius': unitRadius(scale),
          'circle-color': byWorst(URGENCY_COLORS, MAP_COLORS.eventDone),
          'circle-opacity': 0.92,
          'circle-stroke-color': MAP_COLORS.eventStrokeNew,
          'circle-stroke-width': 1.5 * scale,
        },
      },
      {
        ...base,
        id: ids.count,
        type: 'symbol',
        ...bubbleCount(marks, scale),
      },
      {
        // The overdue count beside the bubble where there is room once the names are placed
        // (over a province most counties have some; the red ring says so where the words do not fit).
        ...base,
        id: ids.overdue,
        type: 'symbol',
        filter: ['all', ['==', ['get', 'level'], level], ['>', ['get', 'overdue'], 0]] as never,
        layout: {
          'text-field': clusterOverdueLabel(marks) as never,
          'text-font': labelFont,
          'text-size': 11.5 * scale,
          // Always right under its bubble: among a province's close-set bubbles a count set to
          // whichever side is free reads as a neighbour's.
          'text-anchor': 'top',
          'text-offset': ['step', ['get', 'point_count'], ['literal', [0, 1.6]], 10, ['literal', [0, 1.7]], 100, ['literal', [0, 1.9]], 1000, ['literal', [0, 2.15]]] as never,
          'text-padding': 1,
        },
        paint: {
          'text-color': DEADLINE_COLORS.overdue,
          'text-halo-color': MAP_COLORS.labelHalo,
          'text-halo-width': 1.8 * scale,
        },
      },
      {
        // The unit's name, one line beside the bubble: the bubble sits on the county's label
        // anchor, where the boundary layer's own name can no longer go, so the bubble carries it
        // (a county without open cases keeps the boundary layer's name).
        ...base,
        id: ids.name,
        type: 'symbol',
        layout: {
          'text-field': ['get', 'name'],
          'text-font': labelFont,
          'text-size': UNIT_NAME_PX * scale,
          // Beside the bubble (under it is the overdue count's place), else above or under it; a
          // name that fits nowhere waits for the next zoom.
          'text-variable-anchor': ['left', 'right', 'bottom', 'top'],
          'text-radial-offset': unitNameOffset,
          'text-padding': 2 * scale,
        },
        paint: {
          'text-color': UNIT_NAME_COLOR,
          'text-halo-color': MAP_COLORS.labelHalo,
          'text-halo-width': 1.8 * scale,
        },
      },
      {
        ...base,
        id: ids.shadow,
        type: 'symbol',
        layout: {
          'icon-image': SHADOW_IMAGE_ID,
          'icon-size': ['/', ['*', 2, ['+', unitRadius(scale), 4 * scale]], SHADOW_IMAGE_PX] as never,
          'icon-allow-overlap': true,
          'icon-padding': 1,
        },
        paint: { 'icon-opacity': 0 },
      },
    ];
  });
}

/** A unit's name in the colour of the county and city names on the map (UPPER_STYLES in region-layers.ts). */
const UNIT_NAME_COLOR = '#eef4fa';

/** Ids of every unit layer that reserves room from labels (placed last, with the markers' shadow). */
export const UNIT_SHADOW_IDS: readonly string[] = [unitLayerIds('city').shadow, unitLayerIds('county').shadow];
/** Ids of the unit bubbles a click opens. */
export const UNIT_BUBBLE_IDS = [unitLayerIds('city').bubble, unitLayerIds('county').bubble] as const;
/** Ids of the units' name labels. */
export const UNIT_NAME_IDS = [unitLayerIds('city').name, unitLayerIds('county').name] as const;

export function unitSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: empty(), promoteId: 'id' };
}

/** The spatial event layers (see `eventLayers`). */
function spatialEventLayers(marks: EventLayerMarks, scale: number): LayerSpecification[] {
  const deadlineMarks = marks.deadline ?? DEFAULT_DEADLINE_MARKS;
  const clusterMarks = marks.cluster ?? DEFAULT_CLUSTER_MARKS;
  const isDone = ['==', ['get', 'phase'], 'done'] as never;
  const byDeadline = ['match', ['get', 'deadline'], 'overdue', DEADLINE_COLORS.overdue, 'warning', DEADLINE_COLORS.warning, DEADLINE_COLORS.ok] as never;
  const labelFont = [...CJK_FONT_STACK];
  return [
    {
      // Where the open cases gather, weighted by urgency; finished ones add nothing.
      id: EVENT_LAYER_IDS.heat,
      type: 'heatmap',
      source: EVENT_HEAT_SOURCE_ID,
      maxzoom: 15,
      filter: ['!=', ['get', 'phase'], 'done'],
      layout: { visibility: 'none' },
      paint: {
        'heatmap-weight': ['match', ['get', 'urgency'], 'P0', 1, 'P1', 0.75, 'P2', 0.5, 0.35] as never,
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 2] as never,
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 14 * scale, 11, 24 * scale, 14, 40 * scale] as never,
        'heatmap-opacity': 0.7,
        'heatmap-color': [
          'interpolate',
          ['linear'],
          ['heatmap-density'],
          0,
          'rgba(63,140,255,0)',
          0.15,
          'rgba(63,140,255,0.45)',
          0.4,
          URGENCY_COLORS.P2,
          0.7,
          URGENCY_COLORS.P1,
          1,
          URGENCY_COLORS.P0,
        ] as never,
      },
    },
    {
      // The deadline as an outer ring: yellow (thin) from 80 % of the step's time, red (thick)
      // when overdue, so "what is late" reads off the map without the queue; the width tells
      // them apart without colour, and the countdown label says it in words at close zoom.
      id: EVENT_LAYER_IDS.deadlineRing,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: ['all', IS_POINT, ['match', ['get', 'deadline'], ['warning', 'overdue'], true, false]],
      paint: {
        'circle-radius': radius(1.55 * scale),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': byDeadline,
        'circle-stroke-width': ['match', ['get', 'deadline'], 'overdue', 3 * scale, 1.6 * scale] as never,
      },
    },
    {
      id: EVENT_LAYER_IDS.circle,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: IS_POINT,
      layout: { 'circle-sort-key': ['-', 10, ['get', 'rank']] as never },
      paint: {
        'circle-radius': radius(scale, 0.6 * scale),
        'circle-color': ['case', isDone, MAP_COLORS.eventDone, byUrgency(URGENCY_COLORS)],
        'circle-opacity': ['match', ['get', 'phase'], 'review', 0.18, 'done', 0.7, 1],
        'circle-stroke-color': [
          'match',
          ['get', 'phase'],
          'new',
          MAP_COLORS.eventStrokeNew,
          'review',
          byUrgency(URGENCY_COLORS),
          MAP_COLORS.eventStrokeActive,
        ],
        'circle-stroke-width': ['match', ['get', 'phase'], 'new', 2.5 * scale, 'review', 3 * scale, 'done', 0.5 * scale, 1.5 * scale],
      },
    },
    {
      // The urgency as a mark inside every open marker, at every zoom: never colour alone.
      id: EVENT_LAYER_IDS.urgencyLabel,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      filter: ['all', IS_POINT, ['!=', ['get', 'phase'], 'done']],
      layout: {
        'text-field': byUrgency(marks.urgency),
        'text-font': labelFont,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 10 * scale, 12, 11 * scale] as never,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: {
        // A hollow (review) marker shows its label in the urgency colour; a solid one in ink.
        'text-color': ['case', ['==', ['get', 'phase'], 'review'], byUrgency(URGENCY_COLORS), byUrgency(URGENCY_INK)],
      },
    },
    {
      id: EVENT_LAYER_IDS.deadlineLabel,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      minzoom: 12.5,
      filter: ['all', IS_POINT, ['!=', ['get', 'phase'], 'done'], ['!=', ['get', 'deadline'], 'none']],
      layout: {
        'text-field': remainingLabel(deadlineMarks) as never,
        'text-font': labelFont,
        'text-size': 11.5 * scale,
        // Under the marker if there is room, else beside it; never over another marker.
        'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1.05,
        'text-padding': 1,
      },
      paint: {
        'text-color': byDeadline,
        'text-halo-color': MAP_COLORS.labelHalo,
        'text-halo-width': 1.6 * scale,
      },
    },
    {
      id: EVENT_LAYER_IDS.itemLabel,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      minzoom: 14,
      filter: IS_POINT,
      layout: {
        'text-field': ['coalesce', ['get', ['get', 'code'], ['global-state', MAP_ITEM_NAMES]], ['get', 'item']],
        'text-font': labelFont,
        'text-size': 12 * scale,
        'text-variable-anchor': ['left', 'right', 'bottom-left', 'top-left'],
        'text-radial-offset': 1.3,
        'text-justify': 'auto',
        'text-padding': 1,
      },
      paint: { 'text-color': '#e6eef6', 'text-halo-color': MAP_COLORS.labelHalo, 'text-halo-width': 1.4 * scale },
    },
    {
      // The bubble's state in its outline: a thick red ring when any case in it is overdue, a
      // thin yellow one when any is near its deadline; the words beneath say it too.
      id: EVENT_LAYER_IDS.clusterRing,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: ['all', IS_CLUSTER, ['>', ['+', ['get', 'overdue'], ['get', 'warning']], 0]],
      paint: {
        'circle-radius': ['+', bubbleRadius(scale), 4 * scale] as never,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], DEADLINE_COLORS.overdue, DEADLINE_COLORS.warning] as never,
        'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 3.5 * scale, 2 * scale] as never,
      },
    },
    {
      id: EVENT_LAYER_IDS.cluster,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: IS_CLUSTER,
      layout: { 'circle-sort-key': ['-', 10, ['get', 'worst']] as never },
      paint: {
        'circle-radius': bubbleRadius(scale),
        'circle-color': byWorst(URGENCY_COLORS, MAP_COLORS.eventDone),
        'circle-opacity': 0.92,
        'circle-stroke-color': MAP_COLORS.eventStrokeNew,
        'circle-stroke-width': 1.5 * scale,
      },
    },
    {
      id: EVENT_LAYER_IDS.clusterCount,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      filter: IS_CLUSTER,
      ...bubbleCount(clusterMarks, scale),
    },
    {
      // Beside the bubble, where there is room (over a neighbour only when there is none).
      id: EVENT_LAYER_IDS.clusterOverdue,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      filter: ['all', IS_CLUSTER, ['>', ['get', 'overdue'], 0]],
      layout: {
        'text-field': clusterOverdueLabel(clusterMarks) as never,
        'text-font': labelFont,
        'text-size': 11.5 * scale,
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
        'text-radial-offset': ['step', ['get', 'point_count'], 1.95, 10, 2.1, 50, 2.35, 200, 2.6] as never,
        'text-allow-overlap': true,
      },
      paint: {
        'text-color': DEADLINE_COLORS.overdue,
        'text-halo-color': MAP_COLORS.labelHalo,
        'text-halo-width': 1.8 * scale,
      },
    },
    {
      id: EVENT_LAYER_IDS.shadow,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      layout: {
        'icon-image': SHADOW_IMAGE_ID,
        'icon-size': shadowSize(scale),
        'icon-allow-overlap': true,
        'icon-padding': 1,
      },
      paint: { 'icon-opacity': 0 },
    },
  ];
}

/** The shadow's icon size: the bubble's or the marker's (with its deadline ring) diameter over the image's side. */
function shadowSize(scale: number): never {
  const of = (markerRadius: number) => ['/', ['*', 2, ['case', IS_CLUSTER, ['+', bubbleRadius(scale), 4 * scale], markerRadius * 1.55 * scale]], SHADOW_IMAGE_PX];
  return ['interpolate', ['linear'], ['zoom'], ...MARKER_RADIUS.flatMap(([z, r]) => [z, of(r)])] as never;
}

/**
 * The selected case, alone and on top of every marker and team square: a soft halo, a white
 * ring, the marker itself and its urgency mark. Always drawn, whatever the zoom, the bubbles
 * and the layer switches.
 */
export function selectedEventLayers(marks: UrgencyMarks, scale = 1): LayerSpecification[] {
  const isDone = ['==', ['get', 'phase'], 'done'] as never;
  return [
    {
      id: SELECTED_LAYER_IDS.halo,
      type: 'circle',
      source: SELECTED_EVENT_SOURCE_ID,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 24 * scale, 15, 36 * scale] as never,
        'circle-color': SELECTED_HALO,
        'circle-opacity': 0.5,
        'circle-blur': 0.55,
      },
    },
    {
      id: SELECTED_LAYER_IDS.ring,
      type: 'circle',
      source: SELECTED_EVENT_SOURCE_ID,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 13 * scale, 11, 16 * scale, 15, 21 * scale] as never,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': MAP_COLORS.selectedRing,
        'circle-stroke-width': 3 * scale,
      },
    },
    {
      id: SELECTED_LAYER_IDS.marker,
      type: 'circle',
      source: SELECTED_EVENT_SOURCE_ID,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 8 * scale, 11, 10 * scale, 15, 13 * scale] as never,
        'circle-color': ['case', isDone, MAP_COLORS.eventDone, byUrgency(URGENCY_COLORS)],
        'circle-stroke-color': MAP_COLORS.eventStrokeActive,
        'circle-stroke-width': 1.5 * scale,
      },
    },
    {
      id: SELECTED_LAYER_IDS.label,
      type: 'symbol',
      source: SELECTED_EVENT_SOURCE_ID,
      layout: {
        'text-field': byUrgency(marks),
        'text-font': [...CJK_FONT_STACK],
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 10 * scale, 15, 12 * scale] as never,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': ['case', isDone, '#0d1620', byUrgency(URGENCY_INK)] },
    },
  ];
}

/** The shadow layer's image: fully transparent, it only reserves room in the label placement. */
export function shadowImage(): { width: number; height: number; data: Uint8Array } {
  return { width: SHADOW_IMAGE_PX, height: SHADOW_IMAGE_PX, data: new Uint8Array(SHADOW_IMAGE_PX * SHADOW_IMAGE_PX * 4) };
}

/** What the map showed: the events, which phases were switched on, and the time their deadline states were taken at. */
export interface ShownEvents {
  events: ReadonlyMap<string, EventRecord>;
  phases: ReadonlySet<MarkerPhase>;
  now: number;
}

const shows = (shown: ShownEvents, event: EventRecord | undefined): event is EventRecord => event !== undefined && shown.phases.has(markerPhase(event.status));

/**
 * The smallest `updateData` diff that turns the markers of `prev` into those of `next`: added
 * events (new, or of a phase switched on), changed properties or positions (including a case
 * crossing 80 % of its time or its deadline as the clock moves), and removed ids (gone, or of a
 * phase switched off). An unchanged event costs an identity check, or two deadline standings
 * when the clock moved. Returns null when nothing on the map changes.
 */
export function diffEventFeatures(prev: ShownEvents, next: ShownEvents): GeoJSONSourceDiff | null {
  const add: EventFeature[] = [];
  const update: GeoJSONFeatureDiff[] = [];
  const remove: string[] = [];
  const sameTime = prev.now === next.now;
  for (const [id, event] of next.events) {
    const before = prev.events.get(id);
    const was = shows(prev, before);
    if (!shows(next, event)) {
      if (was) remove.push(id);
      continue;
    }
    if (!was) {
      add.push(eventFeature(event, next.now));
      continue;
    }
    if (before === event && (sameTime || deadlineState(event, prev.now) === deadlineState(event, next.now))) continue;
    const a = eventFeature(before, prev.now);
    const b = eventFeature(event, next.now);
    const moved = before.location.lon !== event.location.lon || before.location.lat !== event.location.lat;
    const changed = PROPERTY_KEYS.filter((key) => a.properties[key] !== b.properties[key]);
    if (!moved && changed.length === 0) continue;
    const diff: GeoJSONFeatureDiff = { id };
    if (moved) diff.newGeometry = b.geometry;
    if (changed.length) diff.addOrUpdateProperties = changed.map((key) => ({ key, value: b.properties[key] }));
    update.push(diff);
  }
  for (const [id, before] of prev.events) if (!next.events.has(id) && shows(prev, before)) remove.push(id);
  if (!add.length && !update.length && !remove.length) return null;
  const diff: GeoJSONSourceDiff = {};
  if (add.length) diff.add = add;
  if (update.length) diff.update = update;
  if (remove.length) diff.remove = remove;
  return diff;
}

/** Ids a diff adds or changes (what must be drawn before the map shows the change). */
export function touchedIds(diff: GeoJSONSourceDiff): string[] {
  const ids: string[] = [];
  for (const f of diff.add ?? []) if (f.properties && typeof f.properties.id === 'string') ids.push(f.properties.id);
  for (const u of diff.update ?? []) ids.push(String(u.id));
  return ids;
}
