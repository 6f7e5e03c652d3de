import { describe, expect, it } from 'vitest';
import type { RegionLevel } from '../../../../shared/contracts/regions.js';
import type { RegionCollection } from '../../map/layers/region-layers';
import { eventFixture } from '../../testing/event-fixture';
import { buildRegionIndex, placeLabel, regionChain } from './region-index';

const level = (lvl: RegionLevel, rows: [id: string, name: string, parentId: string][]): RegionCollection => ({
  type: 'FeatureCollection',
  features: rows.map(([id, name, parentId]) => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [] },
    properties: { id, code: id, name, parentId, level: lvl, kind: lvl === 'town' ? 'town' : lvl === 'village' ? 'village' : lvl, labelLon: 0, labelLat: 0 },
  })),
});

const index = buildRegionIndex([
  level('town', [['T1', '城关镇', 'C']]),
  level('village', [['V1', '东门村', 'T1']]),
  level('grid', [['G1', '东门村第1网格', 'V1']]),
  undefined,
]);

describe('region names', () => {
  it('resolves town › village › grid from the loaded levels', () => {
    expect(placeLabel(index, eventFixture({ townId: 'T1', villageId: 'V1', gridId: 'G1' }))).toBe('城关镇 › 东门村 › 东门村第1网格');
  });

  it('skips levels not loaded yet and falls back to the address when none are', () => {
    expect(regionChain(index, eventFixture({ townId: 'T1', villageId: 'V1', gridId: 'G1', microGridId: 'M1' }), 'microgrid')).toEqual([
      '城关镇',
      '东门村',
      '东门村第1网格',
    ]);
    expect(placeLabel(new Map(), eventFixture({ address: '统一地址 123 号' }))).toBe('统一地址 123 号');
  });
});
