import { describe, expect, it } from 'vitest';
import { DEFAULT_MAP_LAYERS, layerVisibility, mapLayersKey, parseMapLayers, shownPhases } from './layer-switches';

describe('map layer switches', () => {
  it('start with everything on but the heat', () => {
    expect(parseMapLayers(null)).toEqual(DEFAULT_MAP_LAYERS);
    expect(Object.entries(DEFAULT_MAP_LAYERS).filter(([, on]) => !on)).toEqual([['heat', false]]);
  });

  it('read a stored choice leniently: unknown keys and wrong types are ignored, missing ones take the default', () => {
    expect(parseMapLayers(JSON.stringify({ teams: false, review: false, heat: true, bogus: true, grids: 'no' }))).toEqual({ ...DEFAULT_MAP_LAYERS, teams: false, review: false, heat: true });
    expect(parseMapLayers('not json')).toEqual(DEFAULT_MAP_LAYERS);
    expect(parseMapLayers('[1,2]')).toEqual(DEFAULT_MAP_LAYERS);
    expect(parseMapLayers('null')).toEqual(DEFAULT_MAP_LAYERS);
  });

  it('keep each user apart', () => {
    expect(mapLayersKey('u1')).not.toBe(mapLayersKey('u2'));
  });

  it('filter events by phase and show or hide the other layers', () => {
    const state = { ...DEFAULT_MAP_LAYERS, done: false, grids: false };
    expect([...shownPhases(state)]).toEqual(['new', 'active', 'review']);
    const visibility = new Map(layerVisibility(state));
    expect(visibility.get('grid-line')).toBe('none');
    expect(visibility.get('grid-label')).toBe('none');
    expect(visibility.get('microgrid-line')).toBe('visible');
    expect(visibility.get('teams-marker')).toBe('visible');
    expect(visibility.get('teams-town')).toBe('visible');
    expect(visibility.get('events-heat')).toBe('none');
  });
});
