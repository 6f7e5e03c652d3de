import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { RegionLocator } from './locator.js';

const square = (id: string, x0: number, y0: number, size: number) => {
  const geometry: Polygon = {
    type: 'Polygon',
    coordinates: [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]],
  };
  return { id, geometry, bbox: [x0, y0, x0 + size, y0 + size] as [number, number, number, number] };
};

// Two triangles splitting one box along its diagonal: their bboxes overlap fully, so only the
// exact polygon test can tell them apart.
const triangle = (id: string, coords: Array<[number, number]>) => {
  const geometry: Polygon = { type: 'Polygon', coordinates: [[...coords, coords[0]!]] };
  return { id, geometry, bbox: [0, 0, 1, 1] as [number, number, number, number] };
};

describe('RegionLocator', () => {
  it('finds the polygon that holds a point, not just a box that does', () => {
    const locator = new RegionLocator([
      triangle('upper', [[0, 0], [1, 1], [0, 1]]),
      triangle('lower', [[0, 0], [1, 0], [1, 1]]),
    ]);
    expect(locator.locate(0.2, 0.8)?.id).toBe('upper');
    expect(locator.locate(0.8, 0.2)?.id).toBe('lower');
  });

  it('answers null outside every polygon', () => {
    const locator = new RegionLocator([square('a', 0, 0, 1), square('b', 1, 0, 1)]);
    expect(locator.locate(2.5, 0.5)).toBeNull();
    expect(locator.locate(0.5, -0.01)).toBeNull();
    expect(new RegionLocator([]).locate(0, 0)).toBeNull();
  });

  it('gives a point on a shared edge to the first region in id order, every time', () => {
    const locator = new RegionLocator([square('b', 1, 0, 1), square('a', 0, 0, 1)]);
    expect(locator.locate(1, 0.5)?.id).toBe('a');
  });
});
