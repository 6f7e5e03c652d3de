import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { buildBaseStyle, buildOverlayStyle } from './map-style';
import { authorizeRequest, COUNTY_DELIVERY, regionLayers, TILE_SOURCE_MAX_ZOOM, type RegionDelivery } from './region-layers';

const ORIGIN = 'http://127.0.0.1:4123';
const marks = { P0: '特', P1: '紧', P2: '般', P3: '复' };
/** A city: its micro-grids (above the GeoJSON limit) as tiles, several counties. */
const CITY: RegionDelivery = { tiled: ['microgrid'], upper: true, origin: ORIGIN };
const ids = (style: { layers: { id: string }[] }) => style.layers.map((l) => l.id);
const layerOf = (style: { layers: unknown[] }, id: string) => (style.layers as Array<Record<string, unknown>>).find((l) => l.id === id);

describe('static layers delivered as vector tiles', () => {
  const base = buildBaseStyle({ delivery: CITY });
  const overlay = buildOverlayStyle({ urgencyMarks: marks, delivery: CITY });

  it('are valid styles with the same layer ids as a county, so switches, clicks and probes work alike', () => {
    expect(validateStyleMin(base as never)).toEqual([]);
    expect(validateStyleMin(overlay as never)).toEqual([]);
    const county = [...ids(buildBaseStyle({})), ...ids(buildOverlayStyle({ urgencyMarks: marks }))];
    const city = [...ids(base), ...ids(overlay)];
    expect(county.filter((id) => !city.includes(id))).toEqual([]);
  });

  it('read a tiled level from one vector source on our server, polygons in the base and anchors in the overlay', () => {
    expect(base.sources['region-microgrid']).toBeUndefined();
    expect(overlay.sources['region-microgrid-label']).toBeUndefined();
    for (const style of [base, overlay]) {
      expect(style.sources['region-tiles-microgrid']).toEqual({
        type: 'vector',
        tiles: [`${ORIGIN}/api/v1/tiles/microgrid/{z}/{x}/{y}.mvt`],
        minzoom: 12,
        maxzoom: TILE_SOURCE_MAX_ZOOM,
        promoteId: 'id',
      });
    }
    expect(layerOf(base, 'microgrid-line')).toMatchObject({ source: 'region-tiles-microgrid', 'source-layer': 'microgrid', minzoom: 13.5 });
    expect(layerOf(overlay, 'microgrid-label')).toMatchObject({ source: 'region-tiles-microgrid', 'source-layer': 'microgrid_label' });
    // the levels under the limit stay GeoJSON, exactly as on a county server
    expect(layerOf(base, 'grid-line')).toEqual(layerOf(buildBaseStyle({}), 'grid-line'));
    expect(layerOf(base, 'grid-line')).not.toHaveProperty('source-layer');
  });

  it('keep the styling of each level whichever way it arrives', () => {
    const tiled = layerOf(base, 'microgrid-line') as { paint: unknown; minzoom: number };
    const county = layerOf(buildBaseStyle({}), 'microgrid-line') as { paint: unknown; minzoom: number };
    expect(tiled.paint).toEqual(county.paint);
    expect(tiled.minzoom).toBe(county.minzoom);
  });

  it('draw county and city lines over the towns on a platform of several counties, their names placed before the towns', () => {
    expect(ids(base)).toEqual(['background', 'town-fill', 'microgrid-line', 'grid-line', 'village-line', 'town-line', 'county-line', 'city-line']);
    expect(layerOf(base, 'county-line')).toMatchObject({ source: 'region-tiles-county', 'source-layer': 'county', minzoom: 0 });
    expect(layerOf(overlay, 'city-label')).toMatchObject({ source: 'region-tiles-city', 'source-layer': 'city_label' });
    const order = ids(overlay);
    expect(order.indexOf('teams-marker')).toBeLessThan(order.indexOf('town-label'));
    expect(order.indexOf('town-label')).toBeLessThan(order.indexOf('county-label'));
    expect(order.indexOf('county-label')).toBeLessThan(order.indexOf('city-label'));
    // a province at z7 reads as cities and counties: the towns wait for a county's zoom
    const at7 = (id: string) => {
      const l = regionLayers(1, CITY).find((x) => x.id === id) as { minzoom?: number; maxzoom?: number };
      return (l.minzoom ?? 0) <= 7 && 7 < (l.maxzoom ?? 24);
    };
    expect(['city-line', 'county-line', 'county-label', 'city-label'].filter(at7)).toHaveLength(4);
    expect(['town-line', 'town-label'].filter(at7)).toEqual([]);
    // and so do the towns' team panels, which would cover a province's map
    expect(layerOf(overlay, 'teams-town')).toMatchObject({ minzoom: 9.5 });
    expect(layerOf(buildOverlayStyle({ urgencyMarks: marks }), 'teams-town')).not.toHaveProperty('minzoom');
    // bubbles gather from wider, leaving room for those names
    const radius = (s: typeof overlay) => (s.sources.events as { clusterRadius: number }).clusterRadius;
    expect(radius(overlay)).toBeGreaterThan(radius(buildOverlayStyle({ urgencyMarks: marks })));
  });

  it('leave a county server as it was: no tiles, no county or city lines, towns from zoom 0', () => {
    expect(regionLayers(1, COUNTY_DELIVERY)).toEqual(regionLayers());
    expect(JSON.stringify(buildBaseStyle({ delivery: COUNTY_DELIVERY }))).not.toContain('vector');
    expect(regionLayers().find((l) => l.id === 'town-line')?.minzoom).toBe(0);
  });
});

describe('authorizeRequest', () => {
  const TILE = `${ORIGIN}/api/v1/tiles/microgrid/13/6843/3400.mvt`;

  it('sends the bearer token with requests to our own API', () => {
    expect(authorizeRequest(TILE, ORIGIN, 'tok-1')).toEqual({ url: TILE, headers: { Authorization: 'Bearer tok-1' } });
  });

  it('never sends it to another origin (host, port or scheme), outside the API, or without a session', () => {
    expect(authorizeRequest('http://tiles.example.com/api/v1/tiles/town/1/1/1.mvt', ORIGIN, 'tok-1')).toEqual({ url: 'http://tiles.example.com/api/v1/tiles/town/1/1/1.mvt' });
    expect(authorizeRequest('http://127.0.0.1:4999/api/v1/tiles/town/1/1/1.mvt', ORIGIN, 'tok-1').headers).toBeUndefined();
    expect(authorizeRequest('https://127.0.0.1:4123/api/v1/tiles/town/1/1/1.mvt', ORIGIN, 'tok-1').headers).toBeUndefined();
    expect(authorizeRequest(`${ORIGIN}/fonts/a.pbf`, ORIGIN, 'tok-1').headers).toBeUndefined();
    expect(authorizeRequest(TILE, ORIGIN, null).headers).toBeUndefined();
    expect(authorizeRequest('not a url', ORIGIN, 'tok-1')).toEqual({ url: 'not a url' });
  });
});
