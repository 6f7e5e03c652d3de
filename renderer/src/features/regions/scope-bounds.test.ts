import { describe, expect, it } from 'vitest';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
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

describe('where a city or county user’s console opens on a platform', () => {
  const node = (id: string, level: RegionNode['level'], bbox: [number, number, number, number] | undefined, children: RegionNode[] = []): RegionNode => ({
    id,
    code: id,
    name: id,
    level,
    kind: level,
    counts: { grids: 0, microGrids: 0, households: 0, workers: 0 },
    ...(bbox ? { bbox } : {}),
    children,
  });
  const TREE = node('C', 'city', [119, 28, 121, 30], [
    node('A', 'county', [120, 29, 120.5, 29.4], [node('T1', 'town', undefined), node('T2', 'town', undefined)]),
    node('B', 'county', [119, 28, 119.5, 28.5], [node('T3', 'town', undefined)]),
  ]);
  const CITY: [number, number, number, number] = [119, 28, 121, 30];
  const scope = (areas: string[], towns: string[]) => ({ kind: 'towns' as const, towns, counties: [], areas });

  it('frames a county user on the county’s box from the tree, without waiting for the towns', () => {
    expect(startBounds(scope(['A'], ['T1', 'T2']), CITY, undefined, TREE)).toEqual([120, 29, 120.5, 29.4]);
    expect(startBounds(scope(['C'], ['T1', 'T2', 'T3']), CITY, undefined, TREE)).toEqual([119, 28, 121, 30]);
  });

  it('frames counties and towns together, the towns once their outlines are loaded', () => {
    expect(startBounds(scope(['A', 'T3'], ['T1', 'T2', 'T3']), CITY, undefined, TREE)).toBeUndefined();
    expect(startBounds(scope(['B', 'T1'], ['T1', 'T3']), CITY, TOWNS, TREE)).toEqual([119, 28, 120.2, 29.1]);
  });
});
