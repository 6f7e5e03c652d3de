import { describe, expect, it } from 'vitest';
import type { GridImportReport } from '../../../../shared/contracts/imports.js';
import { buildPreview, zoomBox } from './preview';

const square = (x: number, y: number, s: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });

const report = (problems: GridImportReport['problems'] = []): GridImportReport => ({
  kind: 'grids',
  level: 'grid',
  fields: [],
  mapping: { code: 'code', name: 'name', parent: 'parent' },
  crs: 'WGS84',
  features: 2,
  inserts: 0,
  updates: 2,
  createsCounty: null,
  removes: [],
  problems,
  preview: {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: square(120, 30, 0.1), properties: { feature: 1, code: 'A', name: 'a' } },
      { type: 'Feature', geometry: square(120.1, 30, 0.1), properties: { feature: 2, code: 'B', name: 'b' } },
    ],
  },
});

describe('the import preview', () => {
  it('fits the features in the box, north up, and marks the faulty ones and where', () => {
    const p = buildPreview(report([{ feature: 2, code: 'B', problem: 'overlap', where: [120.15, 30.05], areaM2: 50, other: 'A' }]), 400, 200, 0);
    expect(p.shapes.map((s) => [s.code, s.faulty])).toEqual([['A', false], ['B', true]]);
    // two squares side by side, shrunk in longitude by cos(30.05°): 200 px high fills the height
    expect(p.shapes[0]!.d.startsWith('M')).toBe(true);
    const [first] = p.shapes[0]!.d.slice(1).split('L');
    const [x, y] = first!.split(',').map(Number);
    expect(y).toBeCloseTo(200, 0); // the south-west corner at the bottom
    expect(x).toBeCloseTo((400 - 0.2 * Math.cos((30.05 * Math.PI) / 180) * 2000) / 2, 0);
    expect(p.points).toEqual([expect.objectContaining({ problem: 'overlap', index: 0 })]);
    expect(p.points[0]!.y).toBeCloseTo(100, 0);
  });

  it('zooms to a selected shape with room around it, keeping the view’s proportions', () => {
    const p = buildPreview(report(), 400, 200, 0);
    const [x, y, w, h] = zoomBox(p.shapes[1], 400, 200);
    expect(w / h).toBeCloseTo(2, 6);
    const [bx0, by0, bx1, by1] = p.shapes[1]!.box;
    expect(x).toBeLessThan(bx0);
    expect(y).toBeLessThan(by0);
    expect(x + w).toBeGreaterThan(bx1);
    expect(y + h).toBeGreaterThan(by1);
    expect(zoomBox(undefined, 400, 200)).toEqual([0, 0, 400, 200]);
  });

  it('draws nothing for coordinates that are not degrees', () => {
    const r = report();
    r.preview.features = [{ type: 'Feature', geometry: square(500000, 3320000, 1000), properties: { feature: 1, code: 'A', name: 'a' } }];
    expect(buildPreview(r, 400, 200)).toEqual({ shapes: [], points: [] });
  });
});
