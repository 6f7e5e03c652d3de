import { expression } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { eventFixture } from '../../testing/event-fixture';
import { DEFAULT_DEADLINE_MARKS, splitAroundTime, TIME_SLOT, diffEventFeatures, eventFeature, eventLayers, eventSource, markerPhase, remainingLabel, type EventFeatureProperties } from './event-layers';

const beforeDeadline = Date.parse('2024-05-01T01:00:00Z');
const afterDeadline = Date.parse('2024-05-01T11:00:00Z');
const mapOf = (...events: EventRecord[]) => new Map(events.map((e) => [e.id, e]));
const shown = (events: Map<string, EventRecord>, now = beforeDeadline) => ({ events, now });

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

  it('builds a point feature whose id is promoted from its properties', () => {
    expect(eventSource()).toMatchObject({ type: 'geojson', promoteId: 'id' });
    expect(eventFeature(eventFixture({ id: 'E9', urgency: 'P0', location: { lon: 120.5, lat: 29.5 } }), beforeDeadline)).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [120.5, 29.5] },
      properties: { id: 'E9', urgency: 'P0', phase: 'new', item: '邻里纠纷', deadline: 'ok', remainingMin: 540 },
    });
  });

  it("colours an open case's marker by its step's deadline, as the queue does, never a finished one", () => {
    const props = (over: Partial<EventRecord>, now: number) => eventFeature(eventFixture({ status: 'dispatched', ...over }), now).properties;
    expect(props({}, afterDeadline)).toMatchObject({ deadline: 'overdue', remainingMin: 60 });
    expect(props({}, Date.parse('2024-05-01T08:30:00Z'))).toMatchObject({ deadline: 'warning', remainingMin: 90 });
    expect(props({ deadlineState: 'warning' }, beforeDeadline)).toMatchObject({ deadline: 'warning' });
    expect(props({ deadlineAt: null }, beforeDeadline)).toMatchObject({ deadline: 'none' });
    expect(props({ status: 'closed' }, afterDeadline)).toMatchObject({ deadline: 'none', remainingMin: 0 });
  });

  it('labels markers with the urgency mark of the UI language and rings only the selected one', () => {
    const layers = eventLayers({ P0: 'P0', P1: 'P1', P2: 'P2', P3: 'P3' });
    const label = layers.find((l) => l.id === 'events-urgency-label');
    expect(JSON.stringify(label)).toContain('"P0"');
    const ring = layers.find((l) => l.id === 'events-selected-ring');
    expect(JSON.stringify(ring)).toContain('feature-state');
  });

  it('rings warning and overdue cases and labels their countdown only at close zoom', () => {
    const layers = eventLayers({ P0: 'P0', P1: 'P1', P2: 'P2', P3: 'P3' });
    const ring = JSON.stringify(layers.find((l) => l.id === 'events-deadline-ring'));
    expect(ring).toContain('"overdue"');
    expect(ring).toContain('"warning"');
    const label = layers.find((l) => l.id === 'events-deadline-label')!;
    expect(label.minzoom).toBeGreaterThanOrEqual(12);
  });
});

describe('remainingLabel', () => {
  const evaluate = (marks: typeof DEFAULT_DEADLINE_MARKS, properties: Pick<EventFeatureProperties, 'deadline' | 'remainingMin'>) => {
    const parsed = expression.createExpression(remainingLabel(marks), 'text-field');
    if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
    return String(parsed.value.evaluate({ zoom: 14 }, { type: 'Point', properties } as never));
  };
  const en = { left: { before: '', after: ' left' }, over: { before: 'late ', after: '' }, day: 'd', hour: 'h', minute: 'm', gap: ' ' };

  it('takes the words around the time from a message template', () => {
    expect(splitAroundTime(`剩${TIME_SLOT}`)).toEqual({ before: '剩', after: '' });
    expect(splitAroundTime(`${TIME_SLOT} left`)).toEqual({ before: '', after: ' left' });
  });

  it('says the time left or past in the two largest units, like the queue', () => {
    expect(evaluate(DEFAULT_DEADLINE_MARKS, { deadline: 'ok', remainingMin: 65 })).toBe('剩1时05分');
    expect(evaluate(DEFAULT_DEADLINE_MARKS, { deadline: 'warning', remainingMin: 12 })).toBe('剩12分');
    expect(evaluate(DEFAULT_DEADLINE_MARKS, { deadline: 'overdue', remainingMin: 3 * 1440 + 125 })).toBe('超3天2时');
    expect(evaluate(en, { deadline: 'ok', remainingMin: 125 })).toBe('2h 05m left');
    expect(evaluate(en, { deadline: 'overdue', remainingMin: 15 })).toBe('late 15m');
  });
});

describe('diffEventFeatures', () => {
  const a = eventFixture({ id: 'a' });
  const b = eventFixture({ id: 'b', urgency: 'P1' });

  it('returns null when nothing on the map changes', () => {
    expect(diffEventFeatures(shown(mapOf(a, b)), shown(mapOf(a, b)))).toBeNull();
    // a new version that changes nothing the marker shows
    expect(diffEventFeatures(shown(mapOf(a)), shown(mapOf({ ...a, seq: 9, description: 'edited' })))).toBeNull();
    // the clock moved within the same minute
    expect(diffEventFeatures(shown(mapOf(a), beforeDeadline + 10_000), shown(mapOf(a), beforeDeadline + 40_000))).toBeNull();
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
  });

  it('moves a marker whose location changed', () => {
    const moved = { ...a, location: { lon: 121, lat: 30 } };
    expect(diffEventFeatures(shown(mapOf(a)), shown(mapOf(moved)))).toEqual({
      update: [{ id: 'a', newGeometry: { type: 'Point', coordinates: [121, 30] } }],
    });
  });

  it('updates the countdown of the events whose time moved on, and their state when it turned', () => {
    const finished = eventFixture({ id: 'finished', status: 'closed', deadlineAt: null });
    expect(diffEventFeatures(shown(mapOf(a, finished)), shown(mapOf(a, finished), afterDeadline))).toEqual({
      update: [
        {
          id: 'a',
          addOrUpdateProperties: [
            { key: 'deadline', value: 'overdue' },
            { key: 'remainingMin', value: 60 },
          ],
        },
      ],
    });
  });
});
