import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { eventFixture } from '../../testing/event-fixture';
import { diffEventFeatures, eventFeature, eventLayers, eventSource, markerPhase } from './event-layers';

const beforeDeadline = Date.parse('2024-05-01T01:00:00Z');
const afterDeadline = Date.parse('2024-05-01T11:00:00Z');
const mapOf = (...events: EventRecord[]) => new Map(events.map((e) => [e.id, e]));
const shown = (events: Map<string, EventRecord>, now = beforeDeadline) => ({ events, now });

describe('event markers', () => {
  it('maps each status to a marker phase shown by outline and fill', () => {
    expect(markerPhase('reported')).toBe('new');
    expect(markerPhase('filed')).toBe('new');
    expect(markerPhase('dispatched')).toBe('active');
    expect(markerPhase('in_progress')).toBe('active');
    expect(markerPhase('handled')).toBe('review');
    expect(markerPhase('verified')).toBe('review');
    expect(markerPhase('closed')).toBe('done');
    expect(markerPhase('void')).toBe('done');
  });

  it('builds a point feature whose id is promoted from its properties', () => {
    expect(eventSource()).toMatchObject({ type: 'geojson', promoteId: 'id' });
    expect(eventFeature(eventFixture({ id: 'E9', urgency: 'P0', location: { lon: 120.5, lat: 29.5 } }), beforeDeadline)).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [120.5, 29.5] },
      properties: { id: 'E9', urgency: 'P0', phase: 'new', item: '邻里纠纷', overdue: false },
    });
  });

  it('flags open events past their deadline as overdue, never finished ones', () => {
    expect(eventFeature(eventFixture({ status: 'dispatched' }), afterDeadline).properties.overdue).toBe(true);
    expect(eventFeature(eventFixture({ status: 'closed' }), afterDeadline).properties.overdue).toBe(false);
  });

  it('labels markers with the urgency mark of the UI language and rings only the selected one', () => {
    const layers = eventLayers({ P0: 'P0', P1: 'P1', P2: 'P2', P3: 'P3' });
    const label = layers.find((l) => l.id === 'events-urgency-label');
    expect(JSON.stringify(label)).toContain('"P0"');
    const ring = layers.find((l) => l.id === 'events-selected-ring');
    expect(JSON.stringify(ring)).toContain('feature-state');
  });
});

describe('diffEventFeatures', () => {
  const a = eventFixture({ id: 'a' });
  const b = eventFixture({ id: 'b', urgency: 'P1' });

  it('returns null when nothing on the map changes', () => {
    expect(diffEventFeatures(shown(mapOf(a, b)), shown(mapOf(a, b)))).toBeNull();
    // a new version that changes nothing the marker shows
    expect(diffEventFeatures(shown(mapOf(a)), shown(mapOf({ ...a, seq: 9, description: 'edited' })))).toBeNull();
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

  it('updates only the events whose deadline passed as time moves on', () => {
    const later = eventFixture({ id: 'later', deadlineAt: '2024-05-02T00:00:00Z' });
    expect(diffEventFeatures(shown(mapOf(a, later)), shown(mapOf(a, later), afterDeadline))).toEqual({
      update: [{ id: 'a', addOrUpdateProperties: [{ key: 'overdue', value: true }] }],
    });
  });
});
