import { describe, expect, it } from 'vitest';
import type { RegionCollection } from '../../map/layers/region-layers';
import { regionsBounds, startBounds } from './scope-bounds';

const square = (id: string, [w, s, e, n]: number[]) => ({
  type: 'Feature' as const,
  id,
  properties: { id, code: id, name: id, parentId: 'C', level: 'town' as const, kind: 'town' as const, labelLon: 0, labelLat: 0 },
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [w!, s!],
        [e!, s!],
        [e!, n!],
        [w!, n!],
        [w!, s!],
      ],
    ],
  },
});
const TOWNS: RegionCollection = {
  type: 'FeatureCollection',
  features: [square('T1', [120, 29, 120.2, 29.1]), square('T2', [120.2, 29.1, 120.5, 29.4]), square('T3', [119, 28, 119.5, 28.5])],
};
const COUNTY: [number, number, number, number] = [119, 28, 121, 30];

describe('where the console opens', () => {
  it('frames the union of the towns asked for', () => {
    expect(regionsBounds(TOWNS, ['T1'])).toEqual([120, 29, 120.2, 29.1]);
    expect(regionsBounds(TOWNS, ['T1', 'T2'])).toEqual([120, 29, 120.5, 29.4]);
    expect(regionsBounds(TOWNS, ['T9'])).toBeNull();
  });

  it('opens a county user on the county, a town user on their towns once they are loaded', () => {
    expect(startBounds({ kind: 'county' }, COUNTY, undefined)).toBe(COUNTY);
    expect(startBounds({ kind: 'towns', towns: ['T3'], counties: [], areas: ['T3'] }, COUNTY, undefined)).toBeUndefined();
    expect(startBounds({ kind: 'towns', towns: ['T3'], counties: [], areas: ['T3'] }, COUNTY, TOWNS)).toEqual([119, 28, 119.5, 28.5]);
    expect(startBounds({ kind: 'towns', towns: ['T9'], counties: [], areas: ['T9'] }, COUNTY, TOWNS)).toBe(COUNTY);
  });
});
