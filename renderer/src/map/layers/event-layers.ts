import type { Feature, FeatureCollection, Point } from 'geojson';
import type { EventRecord, EventStatus, Urgency } from '../../../../shared/contracts/events.js';
import { CJK_FONT_STACK, MAP_COLORS, URGENCY_COLORS, URGENCY_INK } from '../../app/theme';
import { isOverdue } from '../../features/events-queue/countdown';
import { isOpen } from '../../features/events-queue/queue-tabs';
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff, GeoJSONSourceSpecification, LayerSpecification } from './style-types';

export const EVENT_SOURCE_ID = 'events';
export const EVENT_LAYER_IDS = {
  selectedRing: 'events-selected-ring',
  overdueRing: 'events-overdue-ring',
  circle: 'events-circle',
  urgencyLabel: 'events-urgency-label',
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
    case 'in_progress':
      return 'active';
    case 'handled':
    case 'verified':
      return 'review';
    default:
      return 'done';
  }
}

export interface EventFeatureProperties {
  id: string;
  urgency: Urgency;
  phase: MarkerPhase;
  item: string;
  /** Open and past the deadline of its step at the time the feature was built. */
  overdue: boolean;
}

const PROPERTY_KEYS = ['urgency', 'phase', 'item', 'overdue'] as const;

export type EventFeature = Feature<Point, EventFeatureProperties>;

function overdueAt(event: EventRecord, now: number): boolean {
  return isOpen(event) && isOverdue(event, now);
}

export function eventFeature(event: EventRecord, now: number): EventFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [event.location.lon, event.location.lat] },
    properties: { id: event.id, urgency: event.urgency, phase: markerPhase(event.status), item: event.itemName, overdue: overdueAt(event, now) },
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

/** Event layers; `scale` grows markers and labels with the UI (see `regionLayers`). */
export function eventLayers(marks: UrgencyMarks, scale = 1): LayerSpecification[] {
  const isDone = ['==', ['get', 'phase'], 'done'] as never;
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
      // Overdue: a red outer ring, so "what is late" reads off the map without the queue.
      id: EVENT_LAYER_IDS.overdueRing,
      type: 'circle',
      source: EVENT_SOURCE_ID,
      filter: ['==', ['get', 'overdue'], true],
      paint: {
        'circle-radius': radius(1.55 * scale),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': MAP_COLORS.overdueRing,
        'circle-stroke-width': 2.5 * scale,
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

/** What the map showed: the events and the time their overdue flags were computed at. */
export interface ShownEvents {
  events: ReadonlyMap<string, EventRecord>;
  now: number;
}

/**
 * The smallest `updateData` diff that turns the markers of `prev` into those of `next`: added
 * events, changed properties or positions (including an event becoming overdue as time passes),
 * and removed ids. An unchanged event whose overdue flag did not flip costs two comparisons.
 * Returns null when nothing on the map changes.
 */
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
    if (before === event && (sameTime || overdueAt(event, prev.now) === overdueAt(event, next.now))) continue;
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
