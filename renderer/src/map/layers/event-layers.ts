import type { Feature, FeatureCollection, Point } from 'geojson';
import type { EventRecord, EventStatus, Urgency } from '../../../../shared/contracts/events.js';
import { deadlineStanding, isOpen } from '../../../../shared/domain/case-state.js';
import { CJK_FONT_STACK, MAP_COLORS, URGENCY_COLORS, URGENCY_INK } from '../../app/theme';
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff, GeoJSONSourceSpecification, LayerSpecification } from './style-types';

export const EVENT_SOURCE_ID = 'events';
export const EVENT_LAYER_IDS = {
  selectedRing: 'events-selected-ring',
  deadlineRing: 'events-deadline-ring',
  circle: 'events-circle',
  urgencyLabel: 'events-urgency-label',
  deadlineLabel: 'events-deadline-label',
  itemLabel: 'events-item-label',
} as const;

/**
 * The step a marker shows by its outline, so state is readable without colour:
 * `new` solid with a white ring (the centre must act), `active` solid (in the field),
 * `review` hollow (handled, to verify), `done` a small grey dot (finished in the last 24 h).
 */
export type MarkerPhase = 'new' | 'active' | 'review' | 'done';

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
  phase: MarkerPhase;
  item: string;
  /** The step's deadline at the time the feature was built (the queue's countdown colours). */
  deadline: MarkerDeadline;
  /** Whole minutes left (or past, when overdue), for the countdown label at close zoom. */
  remainingMin: number;
}

const PROPERTY_KEYS = ['urgency', 'phase', 'item', 'deadline', 'remainingMin'] as const;

export type EventFeature = Feature<Point, EventFeatureProperties>;

/** The time-dependent part of a marker: its deadline state and the minutes shown. */
function countdownAt(event: EventRecord, now: number): { deadline: MarkerDeadline; remainingMin: number } {
  if (!isOpen(event)) return { deadline: 'none', remainingMin: 0 };
  const state = deadlineStanding(event, now);
  switch (state.kind) {
    case 'none':
      return { deadline: 'none', remainingMin: 0 };
    case 'overdue':
      return { deadline: 'overdue', remainingMin: Math.floor(state.overdueMs / 60_000) };
    default:
      return { deadline: state.kind, remainingMin: Math.floor(state.remainingMs / 60_000) };
  }
}

export function eventFeature(event: EventRecord, now: number): EventFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [event.location.lon, event.location.lat] },
    properties: { id: event.id, urgency: event.urgency, phase: markerPhase(event.status), item: event.itemName, ...countdownAt(event, now) },
  };
}

export function eventCollection(events: Iterable<EventRecord>, now: number): FeatureCollection<Point, EventFeatureProperties> {
  const features: EventFeature[] = [];
  for (const event of events) features.push(eventFeature(event, now));
  return { type: 'FeatureCollection', features };
}

/**
 * Feature ids are promoted from `properties.id`, which is what lets `updateData` touch single
 * markers and feature-state mark the selected one.
 */
export function eventSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

/** An expression picking one of four values by the feature's urgency. */
export const byUrgency = (values: Record<Urgency, string>) =>
  ['match', ['get', 'urgency'], 'P0', values.P0, 'P1', values.P1, 'P2', values.P2, values.P3] as never;

/**
 * Marker radius by zoom, times `size`; finished events are drawn at `doneSize` instead.
 * One zoom curve per expression (a style-spec rule), so the phase test sits inside each stop.
 */
const radius = (size: number, doneSize = size) => {
  const at = (r: number) => (doneSize === size ? r * size : ['case', ['==', ['get', 'phase'], 'done'], r * doneSize, r * size]);
  return ['interpolate', ['linear'], ['zoom'], 8, at(6), 11, at(9), 15, at(12)] as never;
};

/** The short label drawn inside a marker, per urgency, in the UI language. */
export type UrgencyMarks = Record<Urgency, string>;

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

/**
 * The countdown label as a style expression over `remainingMin`: the two largest units, like
 * the queue's countdown (`2天3时`, `1时05分`, `12分`).
 */
export function remainingLabel(marks: DeadlineMarks): unknown[] {
  const m = ['get', 'remainingMin'];
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
  const overdue = ['==', ['get', 'deadline'], 'overdue'];
  return ['concat', ['case', overdue, marks.over.before, marks.left.before], body, ['case', overdue, marks.over.after, marks.left.after]];
}

/** Event layers; `scale` grows markers and labels with the UI (see `regionLayers`). */
export function eventLayers(marks: UrgencyMarks, scale = 1, deadlineMarks: DeadlineMarks = DEFAULT_DEADLINE_MARKS): LayerSpecification[] {
  const isDone = ['==', ['get', 'phase'], 'done'] as never;
  const byDeadline = ['match', ['get', 'deadline'], 'overdue', DEADLINE_COLORS.overdue, 'warning', DEADLINE_COLORS.warning, DEADLINE_COLORS.ok] as never;
  return [
    {
      id: EVENT_LAYER_IDS.selectedRing,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      paint: {
        'circle-radius': radius(2 * scale),
        'circle-color': 'rgba(255,255,255,0.08)',
        'circle-stroke-color': MAP_COLORS.selectedRing,
        'circle-stroke-width': 3 * scale,
        'circle-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0],
        'circle-stroke-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0],
      },
    },
    {
      // The deadline as an outer ring: yellow (thin) from 80 % of the step's time, red (thick)
      // when overdue, so "what is late" reads off the map without the queue; the width tells
      // them apart without colour, and the countdown label says it in words at close zoom.
      id: EVENT_LAYER_IDS.deadlineRing,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: ['match', ['get', 'deadline'], ['warning', 'overdue'], true, false],
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
      layout: { 'circle-sort-key': ['match', ['get', 'urgency'], 'P0', 4, 'P1', 3, 'P2', 2, 1] },
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
      id: EVENT_LAYER_IDS.urgencyLabel,
      type: 'symbol',
      source: EVENT_SOURCE_ID,
      minzoom: 11,
      filter: ['!=', ['get', 'phase'], 'done'],
      layout: {
        'text-field': byUrgency(marks),
        'text-font': [...CJK_FONT_STACK],
        'text-size': 11 * scale,
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
      filter: ['all', ['!=', ['get', 'phase'], 'done'], ['!=', ['get', 'deadline'], 'none']],
      layout: {
        'text-field': remainingLabel(deadlineMarks) as never,
        'text-font': [...CJK_FONT_STACK],
        'text-size': 11.5 * scale,
        'text-anchor': 'top',
        'text-offset': [0, 1.05],
        'text-optional': true,
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
      layout: {
        'text-field': ['get', 'item'],
        'text-font': [...CJK_FONT_STACK],
        'text-size': 12 * scale,
        'text-anchor': 'left',
        'text-offset': [1.4, 0],
        'text-optional': true,
      },
      paint: { 'text-color': '#e6eef6', 'text-halo-color': MAP_COLORS.labelHalo, 'text-halo-width': 1.4 * scale },
    },
  ];
}

/** What the map showed: the events and the time their countdowns were computed at. */
export interface ShownEvents {
  events: ReadonlyMap<string, EventRecord>;
  now: number;
}

/**
 * The smallest `updateData` diff that turns the markers of `prev` into those of `next`: added
 * events, changed properties or positions (including a countdown moving as time passes), and
 * removed ids. An unchanged event whose countdown did not move costs a few comparisons.
 * Returns null when nothing on the map changes.
 */
function sameCountdown(event: EventRecord, a: number, b: number): boolean {
  const x = countdownAt(event, a);
  const y = countdownAt(event, b);
  return x.deadline === y.deadline && x.remainingMin === y.remainingMin;
}

export function diffEventFeatures(prev: ShownEvents, next: ShownEvents): GeoJSONSourceDiff | null {
  const add: EventFeature[] = [];
  const update: GeoJSONFeatureDiff[] = [];
  const remove: string[] = [];
  const sameTime = prev.now === next.now;
  for (const [id, event] of next.events) {
    const before = prev.events.get(id);
    if (!before) {
      add.push(eventFeature(event, next.now));
      continue;
    }
    if (before === event && (sameTime || sameCountdown(event, prev.now, next.now))) continue;
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
  for (const id of prev.events.keys()) if (!next.events.has(id)) remove.push(id);
  if (!add.length && !update.length && !remove.length) return null;
  const diff: GeoJSONSourceDiff = {};
  if (add.length) diff.add = add;
  if (update.length) diff.update = update;
  if (remove.length) diff.remove = remove;
  return diff;
}
