import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { buildMapStyle } from './map-style';

const style = buildMapStyle({ urgencyMarks: { P0: '特', P1: '急', P2: '般', P3: '复' } });

describe('buildMapStyle', () => {
  it('is a valid MapLibre style', () => {
    expect(validateStyleMin(style as never)).toEqual([]);
  });

  it('fetches nothing from anywhere: no glyphs, sprite or remote sources', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('has unique layer ids, each drawing from a declared source', () => {
    const ids = style.layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sources = style.layers.flatMap((l) => ('source' in l ? [l.source as string] : []));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !(source in style.sources))).toEqual([]);
  });

  it('draws events above every region layer but the town names', () => {
    const ids = style.layers.map((l) => l.id);
    const firstEvent = ids.findIndex((id) => id.startsWith('events-'));
    const lastRegion = ids.findLastIndex((id) => /^(town|village|grid|microgrid)-/.test(id) && id !== 'town-label');
    expect(firstEvent).toBeGreaterThan(lastRegion);
    expect(ids.at(-1)).toBe('town-label');
  });
});

describe('buildMapStyle at wall scale', () => {
  it('grows labels, lines and markers with the UI scale and stays valid', () => {
    const marks = { P0: '特', P1: '紧', P2: '般', P3: '复' };
    const wall = buildMapStyle({ urgencyMarks: marks, scale: 2 });
    expect(validateStyleMin(wall as never)).toEqual([]);
    const layout = (s: typeof wall, id: string) => s.layers.find((l) => l.id === id)?.layout as Record<string, unknown>;
    const paint = (s: typeof wall, id: string) => s.layers.find((l) => l.id === id)?.paint as Record<string, unknown>;
    expect(layout(wall, 'events-urgency-label')['text-size']).toBe(2 * (layout(style, 'events-urgency-label')['text-size'] as number));
    expect(JSON.stringify(layout(wall, 'town-label')['text-size'])).toBe(JSON.stringify(['interpolate', ['linear'], ['zoom'], 8, 26, 11, 32]));
    expect(paint(wall, 'events-selected-ring')['circle-stroke-width']).toBe(6);
  });
});
