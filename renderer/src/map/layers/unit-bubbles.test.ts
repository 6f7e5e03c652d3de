import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import { eventFixture } from '../../testing/event-fixture';
import { CITY_UNIT_MAX_ZOOM, cityUnitMaxZoom, EVENT_LAYER_IDS, eventLayers, MARKER_PHASES, UNIT_MAX_ZOOM, UNIT_SOURCE_ID, unitLayerIds, type MarkerPhase, type ShownEvents } from './event-layers';
import { unitAnchors, type UnitAnchor } from './unit-anchors';
import { cityOf, countyOf, UnitTally } from './unit-bubbles';

const beforeDeadline = Date.parse('2024-05-01T01:00:00Z');
const afterDeadline = Date.parse('2024-05-01T11:00:00Z');
const ALL = new Set<MarkerPhase>(MARKER_PHASES);
const mapOf = (events: EventRecord[]) => new Map(events.map((e) => [e.id, e]));
const shown = (events: Map<string, EventRecord>, now = beforeDeadline, phases: ReadonlySet<MarkerPhase> = ALL): ShownEvents => ({ events, now, phases });
const anchor = (id: string, level: UnitAnchor['level']): UnitAnchor => ({ id, level, name: id, lon: 120, lat: 29, bbox: [119.9, 28.9, 120.1, 29.1] });
const ANCHORS = [anchor('330101', 'county'), anchor('330102', 'county'), anchor('330201', 'county'), anchor('330100', 'city'), anchor('330200', 'city')];
const figures = (tally: UnitTally) => Object.fromEntries(tally.collection(ANCHORS).features.map((f) => [f.properties.id, [f.properties.point_count, f.properties.worst, f.properties.overdue]]));

describe('unit ids of an event', () => {
  it('reads the county from the town id’s first 6 digits and the city from its first 4', () => {
    expect(countyOf('330101001')).toBe('330101');
    expect(cityOf('330101001')).toBe('330100');
  });
});

describe('unitAnchors', () => {
  const node = (id: string, level: RegionNode['level'], children: RegionNode[] = []): RegionNode => ({
    id,
    code: id,
    name: id,
    level,
    kind: level,
    counts: { grids: 0, microGrids: 0, households: 0, workers: 0 },
    labelLon: 120,
    labelLat: 29,
    bbox: [119, 28, 121, 30],
    children,
  });

  it('gives a province its counties and cities, a city its counties, a county nothing', () => {
    const province = node('330000', 'province', [node('330100', 'city', [node('330101', 'county'), node('330102', 'county')]), node('330200', 'city', [node('330201', 'county')])]);
    expect(unitAnchors(province).map((a) => `${a.level}:${a.id}`)).toEqual(['county:330101', 'county:330102', 'county:330201', 'city:330100', 'city:330200']);
    const city = node('330100', 'city', [node('330101', 'county'), node('330102', 'county')]);
    expect(unitAnchors(city).map((a) => a.id)).toEqual(['330101', '330102']);
    expect(unitAnchors(node('330899', 'county', [node('330899001', 'town')]))).toEqual([]);
  });
});

describe('UnitTally', () => {
  const e = (id: string, townId: string, over: Partial<EventRecord> = {}) => eventFixture({ id, townId, status: 'dispatched', ...over });

  it('counts open cases per county and city with their worst urgency and overdue count', () => {
    const tally = new UnitTally();
    const events = mapOf([e('a', '330101001', { urgency: 'P2' }), e('b', '330101002', { urgency: 'P0' }), e('c', '330102001', { urgency: 'P3' }), e('d', '330201001', { status: 'closed', closedAt: '2024-05-01T00:30:00Z' })]);
    expect(tally.update(shown(events))).toBe(true);
    expect(figures(tally)).toEqual({ '330101': [2, 0, 0], '330102': [1, 3, 0], '330100': [3, 0, 0] });
    // the clock passes the deadline: every case recounted, all three overdue
    expect(tally.update(shown(events, afterDeadline))).toBe(true);
    expect(figures(tally)['330100']).toEqual([3, 0, 3]);
  });

  it('follows a feed batch by what changed: a new case, a closed one, one switched urgency', () => {
    const tally = new UnitTally();
    const a = e('a', '330101001', { urgency: 'P0' });
    const b = e('b', '330102001', { urgency: 'P2' });
    const first = mapOf([a, b]);
    tally.update(shown(first));
    expect(tally.update(shown(new Map(first)))).toBe(false);
    const next = new Map(first);
    next.set('a', { ...a, status: 'closed', closedAt: '2024-05-01T00:30:00Z' });
    next.set('b', { ...b, urgency: 'P1' });
    next.set('c', e('c', '330201001', { urgency: 'P3' }));
    expect(tally.update(shown(next))).toBe(true);
    expect(figures(tally)).toEqual({ '330102': [1, 1, 0], '330201': [1, 3, 0], '330100': [1, 1, 0], '330200': [1, 3, 0] });
    // the feed hands a new map each batch
    const gone = new Map(next);
    gone.delete('c');
    tally.update(shown(gone));
    expect(figures(tally)['330200']).toBeUndefined();
  });

  it('leaves out the phases switched off', () => {
    const tally = new UnitTally();
    tally.update(shown(mapOf([e('a', '330101001', { status: 'reported' }), e('b', '330101002', { status: 'dispatched' })]), beforeDeadline, new Set<MarkerPhase>(['active'])));
    expect(figures(tally)['330101']).toEqual([1, 2, 0]);
  });

  it('costs little for a province’s 32,000 open cases (measured, printed, not asserted)', () => {
    const events: EventRecord[] = [];
    for (let i = 0; i < 32_000; i++) {
      const county = `33${String((i % 11) + 1).padStart(2, '0')}${String((i % 8) + 1).padStart(2, '0')}`;
      events.push(e(`E${i}`, `${county}${String((i % 15) + 1).padStart(3, '0')}`, { urgency: (['P0', 'P1', 'P2', 'P3'] as const)[i % 4] }));
    }
    const all = mapOf(events);
    const tally = new UnitTally();
    const t0 = performance.now();
    tally.update(shown(all));
    const full = performance.now() - t0;
    // feed batches of 50 changed cases each (the rest the same records), after a warm-up
    let batch = all;
    const steps: number[] = [];
    for (let round = 0; round < 12; round++) {
      batch = new Map(batch);
      for (let i = 0; i < 50; i++) batch.set(`E${i * 600 + round}`, { ...all.get(`E${i * 600 + round}`)!, urgency: round % 2 ? 'P0' : 'P3' });
      const t = performance.now();
      tally.update(shown(batch));
      steps.push(performance.now() - t);
    }
    const step = steps.slice(2).sort((x, y) => x - y)[5]!;
    // a new clock minute recounts every case
    const t1 = performance.now();
    tally.update(shown(batch, beforeDeadline + 60_000));
    const minute = performance.now() - t1;
    const anchors = [...new Set(events.map((x) => countyOf(x.townId)))].map((id) => anchor(id, 'county'));
    const t2 = performance.now();
    const bubbles = tally.collection(anchors);
    const collect = performance.now() - t2;
    console.info(`unit tally, 32,000 open cases: first count ${full.toFixed(1)} ms, a 50-case batch ${step.toFixed(2)} ms (median), a clock minute ${minute.toFixed(1)} ms, ${bubbles.features.length} bubbles built in ${collect.toFixed(2)} ms`);
    expect(bubbles.features.reduce((n, f) => n + f.properties.point_count, 0)).toBe(32_000);
  });
});

describe('the unit layers', () => {
  const marks = { urgency: { P0: 'P0', P1: 'P1', P2: 'P2', P3: 'P3' } };
  const range = (layers: ReturnType<typeof eventLayers>, id: string) => {
    const l = layers.find((x) => x.id === id)!;
    return [l.minzoom ?? 0, l.maxzoom ?? 24];
  };

  it('leave a county console’s layers as they were', () => {
    expect(eventLayers(marks, 1)).toEqual(eventLayers(marks, 1, null));
    expect(eventLayers(marks, 1).some((l) => 'source' in l && l.source === UNIT_SOURCE_ID)).toBe(false);
  });

  it('on a province: cities below 6.5, counties to 8.5, the spatial bubbles and markers from 8.5; the heat at every zoom', () => {
    const layers = eventLayers(marks, 1, { cities: true });
    expect(range(layers, unitLayerIds('city').bubble)).toEqual([0, CITY_UNIT_MAX_ZOOM]);
    expect(range(layers, unitLayerIds('county').bubble)).toEqual([CITY_UNIT_MAX_ZOOM, UNIT_MAX_ZOOM]);
    expect(range(layers, EVENT_LAYER_IDS.cluster)).toEqual([UNIT_MAX_ZOOM, 24]);
    expect(range(layers, EVENT_LAYER_IDS.circle)).toEqual([UNIT_MAX_ZOOM, 24]);
    expect(range(layers, EVENT_LAYER_IDS.heat)).toEqual([0, 15]);
    // a city platform: its counties from the lowest zoom
    expect(range(eventLayers(marks, 1, { cities: false }), unitLayerIds('county').bubble)).toEqual([0, UNIT_MAX_ZOOM]);
  });

  it('keep a 4K wall (scale 2) on the cities’ bubbles until a county’s zoom', () => {
    expect(cityUnitMaxZoom(1)).toBe(CITY_UNIT_MAX_ZOOM);
    expect(cityUnitMaxZoom(2)).toBe(UNIT_MAX_ZOOM);
    expect(range(eventLayers(marks, 2, { cities: true }), unitLayerIds('city').bubble)).toEqual([0, UNIT_MAX_ZOOM]);
  });
});
