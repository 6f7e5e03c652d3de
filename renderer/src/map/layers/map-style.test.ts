import { createExpression, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { buildBaseStyle, buildOverlayStyle } from './map-style';

const marks = { P0: '特', P1: '紧', P2: '般', P3: '复' };
const overlay = buildOverlayStyle({ urgencyMarks: marks });
const base = buildBaseStyle({});
const ids = (style: typeof overlay) => style.layers.map((l) => l.id);

describe('the map styles', () => {
  it('are valid MapLibre styles', () => {
    expect(validateStyleMin(base as never)).toEqual([]);
    expect(validateStyleMin(overlay as never)).toEqual([]);
  });

  it('fetch nothing from anywhere: no glyphs, sprite or remote sources', () => {
    for (const style of [base, overlay]) {
      expect(style.glyphs).toBeUndefined();
      expect(style.sprite).toBeUndefined();
      expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
    }
  });

  it('have unique layer ids across both maps, each drawing from a source of its own map', () => {
    const all = [...ids(base), ...ids(overlay)];
    expect(new Set(all).size).toBe(all.length);
    for (const style of [base, overlay]) {
      const sources = style.layers.flatMap((l) => ('source' in l ? [l.source as string] : []));
      expect(sources.filter((source) => !(source in style.sources))).toEqual([]);
    }
  });

  it('draw the ground and every boundary on the base, which no pushed event touches', () => {
    expect(ids(base)).toEqual(['background', 'town-fill', 'microgrid-line', 'grid-line', 'village-line', 'town-line']);
    expect(Object.keys(base.sources).some((id) => id.startsWith('event') || id.startsWith('team'))).toBe(false);
  });

  it('stack the overlay so markers claim their room before any name, and the selected case sits on top', () => {
    const order = ids(overlay);
    const at = (id: string) => order.indexOf(id);
    // drawn bottom up: heat, finer names, events, teams, town names, the selected case, the shadow last
    expect(at('events-heat')).toBe(0);
    expect(at('village-label')).toBeLessThan(at('events-circle'));
    expect(at('events-cluster')).toBeLessThan(at('teams-marker'));
    expect(at('teams-marker')).toBeLessThan(at('town-label'));
    expect(at('town-label')).toBeLessThan(at('event-selected-halo'));
    expect(at('teams-town')).toBeLessThan(at('event-selected-marker'));
    expect(order.at(-1)).toBe('events-shadow');
  });

  it("keep the countdown's clock in the overlay's global state", () => {
    expect(overlay.state).toEqual({ now: { default: 0 }, itemNames: { default: {} } });
    expect(JSON.stringify(overlay.layers.find((l) => l.id === 'events-deadline-label'))).toContain('"global-state","now"');
  });

  it('name items in the UI language from the global state, falling back to the name the case was filed under', () => {
    const label = overlay.layers.find((l) => l.id === 'events-item-label') as { layout: { 'text-field': unknown } };
    const expression = createExpression(label.layout['text-field'], latest.layout_symbol['text-field'] as never);
    if (expression.result !== 'success') throw new Error(JSON.stringify(expression.value));
    const feature = { type: 'Point' as const, properties: { code: 'D38', item: '餐饮油烟扰民' } };
    const text = (itemNames: Record<string, string>) => String(expression.value.evaluate({ zoom: 15, globalState: { itemNames } }, feature as never));
    expect(text({ D38: 'Cooking fumes nuisance' })).toBe('Cooking fumes nuisance');
    expect(text({})).toBe('餐饮油烟扰民');
  });
});

describe('the map styles at wall scale', () => {
  it('grow labels, lines, markers and bubbles with the UI scale and stay valid', () => {
    const wall = buildOverlayStyle({ urgencyMarks: marks, scale: 2 });
    const wallBase = buildBaseStyle({ scale: 2 });
    expect(validateStyleMin(wall as never)).toEqual([]);
    expect(validateStyleMin(wallBase as never)).toEqual([]);
    const layout = (s: typeof wall, id: string) => s.layers.find((l) => l.id === id)?.layout as Record<string, unknown>;
    const paint = (s: typeof wall, id: string) => s.layers.find((l) => l.id === id)?.paint as Record<string, unknown>;
    expect(layout(wall, 'events-cluster-count')['text-size']).toBe(2 * (layout(overlay, 'events-cluster-count')['text-size'] as number));
    expect(JSON.stringify(layout(wall, 'town-label')['text-size'])).toBe(JSON.stringify(['interpolate', ['linear'], ['zoom'], 8, 26, 11, 32]));
    expect(paint(wall, 'event-selected-ring')['circle-stroke-width']).toBe(6);
    expect(JSON.stringify(paint(wallBase, 'town-line')['line-width'])).toBe(JSON.stringify(['interpolate', ['linear'], ['zoom'], 8, 2.4, 12, 4.4, 16, 6]));
    expect((wall.sources.events as { clusterRadius: number }).clusterRadius).toBe(2 * (overlay.sources.events as { clusterRadius: number }).clusterRadius);
  });
});
