import { describe, expect, it } from 'vitest';
import { regionLabelPoints, regionLabelSources, regionLayers, regionPolygonSources, type RegionCollection } from './region-layers';

const layer = (id: string) => regionLayers().find((l) => l.id === id);

describe('regionLayers', () => {
  it('shows each level from its zoom: towns always, villages ~10, grids ~12, micro-grids ~13.5', () => {
    expect(layer('town-line')?.minzoom).toBe(0);
    expect(layer('village-line')?.minzoom).toBe(10);
    expect(layer('grid-line')?.minzoom).toBe(12);
    expect(layer('microgrid-line')?.minzoom).toBe(13.5);
  });

  it('labels towns at low zoom and finer levels only once zoomed in', () => {
    expect(layer('town-label')).toMatchObject({ minzoom: 0, layout: { 'text-field': ['get', 'name'] } });
    const village = layer('village-label')?.minzoom ?? 0;
    const grid = layer('grid-label')?.minzoom ?? 0;
    const micro = layer('microgrid-label')?.minzoom ?? 0;
    expect(village).toBeGreaterThanOrEqual(10);
    expect(grid).toBeGreaterThan(village);
    expect(micro).toBeGreaterThan(grid);
  });

  it('keeps every level in its own polygon and label sources', () => {
    expect(Object.keys(regionPolygonSources()).sort()).toEqual(['grid', 'microgrid', 'town', 'village'].map((l) => `region-${l}`));
    expect(Object.keys(regionLabelSources()).sort()).toEqual(['grid', 'microgrid', 'town', 'village'].map((l) => `region-${l}-label`));
    expect(layer('grid-line')).toMatchObject({ source: 'region-grid' });
    expect(layer('grid-label')).toMatchObject({ source: 'region-grid-label' });
  });

  it('lets a name move to a free side of its anchor rather than over a marker', () => {
    for (const level of ['town', 'village', 'grid', 'microgrid']) {
      expect(layer(`${level}-label`)?.layout).toMatchObject({ 'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'] });
      expect(layer(`${level}-label`)?.layout).not.toHaveProperty('text-allow-overlap');
    }
  });

  it('puts coarser labels higher in the stack so they win collisions', () => {
    const ids = regionLayers().map((l) => l.id);
    expect(ids.indexOf('town-label')).toBeGreaterThan(ids.indexOf('village-label'));
    expect(ids.indexOf('village-label')).toBeGreaterThan(ids.indexOf('microgrid-label'));
  });
});

describe('regionLabelPoints', () => {
  it('places one label point per region at its label anchor', () => {
    const collection: RegionCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [[[120, 29], [120.1, 29], [120.1, 29.1], [120, 29]]] },
          properties: { id: 'T1', code: '330000001', name: '城关镇', parentId: 'C', level: 'town', kind: 'town', labelLon: 120.06, labelLat: 29.03 },
        },
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [[[121, 29], [121.1, 29], [121.1, 29.1], [121, 29]]] },
          properties: { id: 'T2', code: '330000002', name: '无锚点', parentId: 'C', level: 'town', kind: 'town', labelLon: Number.NaN, labelLat: 29 },
        },
      ],
    };
    expect(regionLabelPoints(collection).features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [120.06, 29.03] }, properties: { id: 'T1', name: '城关镇', level: 'town' } },
    ]);
  });
});
