import { expression } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { eventFixture } from '../../testing/event-fixture';
import {
  clusterCountLabel,
  clusterOverdueLabel,
  DEFAULT_CLUSTER_MARKS,
  DEFAULT_DEADLINE_MARKS,
  diffEventFeatures,
  eventFeature,
  eventLayers,
  eventSource,
  MARKER_PHASES,
  markerPhase,
  remainingLabel,
  SELECTED_LAYER_IDS,
  selectedEventLayers,
  splitAroundTime,
  TIME_SLOT,
  touchedIds,
  type EventFeatureProperties,
  type MarkerPhase,
  type ShownEvents,
} from './event-layers';

const beforeDeadline = Date.parse('2024-05-01T01:00:00Z');
const afterDeadline = Date.parse('2024-05-01T11:00:00Z');
const deadline = Date.parse('2024-05-01T10:00:00Z');
const mapOf = (...events: EventRecord[]) => new Map(events.map((e) => [e.id, e]));
const ALL = new Set<MarkerPhase>(MARKER_PHASES);
const shown = (events: Map<string, EventRecord>, now = beforeDeadline, phases: ReadonlySet<MarkerPhase> = ALL): ShownEvents => ({ events, now, phases });
const marks = { urgency: { P0: 'P0', P1: 'P1', P2: 'P2', P3: 'P3' } };

/** Evaluates a style expression for one feature, as MapLibre would (global state included). */
function evaluate(expr: unknown, properties: Record<string, unknown>, globalState: Record<string, unknown> = {}, zoom = 14): unknown {
  const parsed = expression.createExpression(expr, 'text-field' as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom, globalState } as never, { type: 'Point', properties } as never);
}

describe('event markers', () => {
  it('maps each status to a marker phase shown by outline and fill', () => {
    expect(markerPhase('reported')).toBe('new');
    expect(markerPhase('filed')).toBe('new');
    expect(markerPhase('dispatched')).toBe('active');
    expect(markerPhase('accepted')).toBe('active');
    expect(markerPhase('in_progress')).toBe('active');
    expect(markerPhase('handled')).toBe('review');
    expect(markerPhase('verified')).toBe('review');
    expect(markerPhase('closed')).toBe('done');
    expect(markerPhase('void')).toBe('done');
    expect(markerPhase('merged')).toBe('done');
    expect(markerPhase('not_admitted')).toBe('done');
  });

  it('builds a point feature whose id is promoted from its properties, with no clock-dependent figure in it', () => {
    expect(eventSource()).toMatchObject({ type: 'geojson', promoteId: 'id', cluster: true });
    expect(eventFeature(eventFixture({ id: 'E9', urgency: 'P0', location: { lon: 120.5, lat: 29.5 } }), beforeDeadline)).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [120.5, 29.5] },
      properties: { id: 'E9', urgency: 'P0', rank: 0, phase: 'new', item: '邻里纠纷', code: 'A01', deadline: 'ok', deadlineAt: deadline },
    });
  });

  it("colours an open case's marker by its step's deadline, as the queue does, never a finished one", () => {
    const props = (over: Partial<EventRecord>, now: number) => eventFeature(eventFixture({ status: 'dispatched', ...over }), now).properties;
    expect(props({}, afterDeadline)).toMatchObject({ deadline: 'overdue' });
    expect(props({}, Date.parse('2024-05-01T08:30:00Z'))).toMatchObject({ deadline: 'warning' });
    expect(props({ deadlineState: 'warning' }, beforeDeadline)).toMatchObject({ deadline: 'warning' });
    expect(props({ deadlineAt: null }, beforeDeadline)).toMatchObject({ deadline: 'none', deadlineAt: 0 });
    expect(props({ status: 'closed' }, afterDeadline)).toMatchObject({ deadline: 'none', deadlineAt: 0, rank: 4 });
  });

  it('marks every open marker with its urgency in words, at every zoom: never colour alone', () => {
    const label = eventLayers(marks).find((l) => l.id === 'events-urgency-label')!;
    expect(JSON.stringify(label)).toContain('"P0"');
    expect(label.minzoom).toBeUndefined();
  });

  it('rings warning and overdue cases and labels their countdown only at close zoom', () => {
    const layers = eventLayers(marks);
    const ring = JSON.stringify(layers.find((l) => l.id === 'events-deadline-ring'));
    expect(ring).toContain('"overdue"');
    expect(ring).toContain('"warning"');
    expect(layers.find((l) => l.id === 'events-deadline-label')!.minzoom).toBeGreaterThanOrEqual(12);
  });

  it('groups markers into bubbles that carry their worst urgency and how many are overdue or near it', () => {
    expect(eventSource().clusterProperties).toEqual({
      worst: ['min', ['get', 'rank']],
      overdue: ['+', ['case', ['==', ['get', 'deadline'], 'overdue'], 1, 0]],
      warning: ['+', ['case', ['==', ['get', 'deadline'], 'warning'], 1, 0]],
    });
    const ids = eventLayers(marks).map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['events-cluster', 'events-cluster-ring', 'events-cluster-count', 'events-cluster-overdue']));
  });

  it("writes the bubble's count with its worst urgency under it, and its overdue count beside it", () => {
    const count = evaluate(clusterCountLabel(DEFAULT_CLUSTER_MARKS), { point_count_abbreviated: '12', worst: 1 }) as { sections: { text: string }[] };
    expect(count.sections.map((s) => s.text).join('')).toBe('12\n紧急');
    const done = evaluate(clusterCountLabel(DEFAULT_CLUSTER_MARKS), { point_count_abbreviated: '3', worst: 4 }) as { sections: { text: string }[] };
    expect(done.sections.map((s) => s.text).join('')).toBe('3\n已办结');
    expect(evaluate(clusterOverdueLabel(DEFAULT_CLUSTER_MARKS), { overdue: 3 })).toBe('超期3');
    expect(evaluate(clusterOverdueLabel({ ...DEFAULT_CLUSTER_MARKS, overdue: { before: '', after: ' late' } }), { overdue: 3 })).toBe('3 late');
  });

  it('keeps names off markers and bubbles with an invisible shadow the size of each', () => {
    const shadow = eventLayers(marks).find((l) => l.id === 'events-shadow')!;
    expect(shadow.layout).toMatchObject({ 'icon-image': 'collision-shadow', 'icon-allow-overlap': true });
    expect(shadow.layout).not.toHaveProperty('icon-ignore-placement');
    expect(shadow.paint).toEqual({ 'icon-opacity': 0 });
  });

  it('draws the selected case alone, with a halo and a ring, from its own source', () => {
    const layers = selectedEventLayers(marks.urgency);
    expect(layers.map((l) => l.id)).toEqual([SELECTED_LAYER_IDS.halo, SELECTED_LAYER_IDS.ring, SELECTED_LAYER_IDS.marker, SELECTED_LAYER_IDS.label]);
    expect(new Set(layers.map((l) => ('source' in l ? l.source : null)))).toEqual(new Set(['event-selected']));
  });
});

describe('remainingLabel', () => {
  const label = (marks: typeof DEFAULT_DEADLINE_MARKS, props: Pick<EventFeatureProperties, 'deadline' | 'deadlineAt'>, now: number) => String(evaluate(remainingLabel(marks), props, { now }));
  const en = { left: { before: '', after: ' left' }, over: { before: 'late ', after: '' }, day: 'd', hour: 'h', minute: 'm', gap: ' ' };
  const min = 60_000;

  it('takes the words around the time from a message template', () => {
    expect(splitAroundTime(`剩${TIME_SLOT}`)).toEqual({ before: '剩', after: '' });
    expect(splitAroundTime(`${TIME_SLOT} left`)).toEqual({ before: '', after: ' left' });
  });

  it("says the time left or past against the map's clock, in the two largest units, like the queue", () => {
    expect(label(DEFAULT_DEADLINE_MARKS, { deadline: 'ok', deadlineAt: deadline }, deadline - 65 * min)).toBe('剩1时05分');
    expect(label(DEFAULT_DEADLINE_MARKS, { deadline: 'warning', deadlineAt: deadline }, deadline - 12 * min - 30_000)).toBe('剩12分');
    expect(label(DEFAULT_DEADLINE_MARKS, { deadline: 'overdue', deadlineAt: deadline }, deadline + (3 * 1440 + 125) * min)).toBe('超3天2时');
    expect(label(en, { deadline: 'ok', deadlineAt: deadline }, deadline - 125 * min)).toBe('2h 05m left');
    expect(label(en, { deadline: 'overdue', deadlineAt: deadline }, deadline + 15 * min)).toBe('late 15m');
  });
});

describe('diffEventFeatures', () => {
  const a = eventFixture({ id: 'a' });
  const b = eventFixture({ id: 'b', urgency: 'P1' });

  it('returns null when nothing on the map changes', () => {
    expect(diffEventFeatures(shown(mapOf(a, b)), shown(mapOf(a, b)))).toBeNull();
    // a new version that changes nothing the marker shows
    expect(diffEventFeatures(shown(mapOf(a)), shown(mapOf({ ...a, seq: 9, description: 'edited' })))).toBeNull();
    // the clock moved, and no case crossed 80 % of its time or its deadline: the labels follow the style's clock
    expect(diffEventFeatures(shown(mapOf(a), beforeDeadline), shown(mapOf(a), beforeDeadline + 3_600_000))).toBeNull();
  });

  it('adds new events, updates changed ones property by property, removes gone ones', () => {
    const c = eventFixture({ id: 'c', urgency: 'P0' });
    const bDispatched = { ...b, status: 'dispatched' as const, seq: 5 };
    const diff = diffEventFeatures(shown(mapOf(a, b)), shown(mapOf(bDispatched, c)));
    expect(diff).toEqual({
      add: [eventFeature(c, beforeDeadline)],
      update: [{ id: 'b', addOrUpdateProperties: [{ key: 'phase', value: 'active' }] }],
      remove: ['a'],
    });
    expect(touchedIds(diff!)).toEqual(['c', 'b']);
  });

  it('moves a marker whose location changed', () => {
    const moved = { ...a, location: { lon: 121, lat: 30 } };
    expect(diffEventFeatures(shown(mapOf(a)), shown(mapOf(moved)))).toEqual({
      update: [{ id: 'a', newGeometry: { type: 'Point', coordinates: [121, 30] } }],
    });
  });

  it('updates the deadline standing of a case whose time ran out, and no finished one', () => {
    const finished = eventFixture({ id: 'finished', status: 'closed', deadlineAt: null });
    expect(diffEventFeatures(shown(mapOf(a, finished)), shown(mapOf(a, finished), afterDeadline))).toEqual({
      update: [{ id: 'a', addOrUpdateProperties: [{ key: 'deadline', value: 'overdue' }] }],
    });
  });

  it('removes the markers of a phase switched off and adds them back when switched on', () => {
    const handled = eventFixture({ id: 'h', status: 'handled' });
    const noReview = new Set<MarkerPhase>(['new', 'active', 'done']);
    expect(diffEventFeatures(shown(mapOf(a, handled)), shown(mapOf(a, handled), beforeDeadline, noReview))).toEqual({ remove: ['h'] });
    expect(diffEventFeatures(shown(mapOf(a, handled), beforeDeadline, noReview), shown(mapOf(a, handled)))).toEqual({ add: [eventFeature(handled, beforeDeadline)] });
    // a case moving into a hidden phase leaves the map
    const aHandled = { ...a, status: 'handled' as const, seq: 2 };
    expect(diffEventFeatures(shown(mapOf(a), beforeDeadline, noReview), shown(mapOf(aHandled), beforeDeadline, noReview))).toEqual({ remove: ['a'] });
  });
});
