import { describe, expect, it } from 'vitest';
import { bearing, cutSnippet, fitView, MapSnippetStore, MAX_NEIGHBOURS, MAX_STORED_MAPS, ringsPath, scaleBar, toXY, type RegionLayer } from './field-map';

/** A square micro-grid of `size` degrees with its lower left corner at (lon, lat). */
const square = (id: string, parentId: string, lon: number, lat: number, size = 0.002): RegionLayer['features'][number] => ({
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] },
  properties: { id, name: `微网格${id}`, parentId },
});

// a 10×10 block of micro-grids, two grids side by side (columns 0–4 and 5–9)
const micro: RegionLayer = { features: [] };
for (let x = 0; x < 10; x++) for (let y = 0; y < 10; y++) micro.features.push(square(`M${x}${y}`, x < 5 ? 'G0' : 'G1', 120 + x * 0.002, 29 + y * 0.002));
const grids: RegionLayer = { features: [square('G0', 'V', 120, 29, 0.01), square('G1', 'V', 120.01, 29, 0.01)] };

describe('the task map', () => {
  it('cuts the micro-grid, its grid and the nearest micro-grids around out of the layers', () => {
    const s = cutSnippet('M22', micro, grids)!;
    expect(s.microGrid).toMatchObject({ id: 'M22', name: '微网格M22' });
    expect(s.microGrid.rings[0]).toHaveLength(5);
    expect(s.grid?.id).toBe('G0');
    expect(s.neighbours).toHaveLength(MAX_NEIGHBOURS);
    expect(s.neighbours.map((n) => n.id)).not.toContain('M22');
    // nearest first: the four sharing a side come before the corners
    expect(s.neighbours.slice(0, 4).map((n) => n.id).sort()).toEqual(['M12', 'M21', 'M23', 'M32']);
    expect(cutSnippet('nope', micro, grids)).toBeNull();
    // small enough to keep many on the phone
    expect(JSON.stringify(s).length).toBeLessThan(6_000);
  });

  it('projects north up at one scale both ways, inside the padding', () => {
    const view = fitView([[120, 29], [120.01, 29.01]], 360, 240, 18);
    const [x0, y0] = toXY(view, [120, 29]);
    const [x1, y1] = toXY(view, [120.01, 29.01]);
    expect(y1).toBeLessThan(y0); // north is up
    expect(Math.min(x0, x1, y0, y1)).toBeGreaterThanOrEqual(17.9);
    expect(Math.max(x0, x1)).toBeLessThanOrEqual(360 - 17.9);
    expect(Math.max(y0, y1)).toBeLessThanOrEqual(240 - 17.9);
    // a degree of longitude is shorter than one of latitude by cos(latitude)
    expect((x1 - x0) / (y0 - y1)).toBeCloseTo(Math.cos((29.005 * Math.PI) / 180), 2);
    expect(ringsPath(view, [[[120, 29], [120.01, 29], [120.01, 29.01]]])).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+L[\d.]+ [\d.]+Z$/);
  });

  it('draws a round scale bar and says how far and which way', () => {
    const view = fitView([[120, 29], [120.01, 29.01]], 360, 240, 18);
    const bar = scaleBar(view, 110);
    expect([100, 200, 500]).toContain(bar.metres);
    expect(bar.px).toBeLessThanOrEqual(110);
    expect(bearing({ lon: 120, lat: 29 }, { lon: 120, lat: 29.01 })).toEqual({ metres: expect.closeTo(1113, 0) as number, direction: 'n' });
    expect(bearing({ lon: 120, lat: 29 }, { lon: 119.99, lat: 28.99 }).direction).toBe('sw');
    expect(bearing({ lon: 120, lat: 29 }, { lon: 120.01, lat: 29 }).direction).toBe('e');
  });

  it('keeps the maps of the most recent micro-grids on the phone', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    const store = new MapSnippetStore(storage);
    const ids = micro.features.slice(0, MAX_STORED_MAPS + 3).map((f) => f.properties.id);
    ids.forEach((id, i) => store.put([cutSnippet(id, micro, grids)!], i));
    const again = new MapSnippetStore(storage);
    expect(again.has(ids[0]!)).toBe(false);
    expect(again.get(ids.at(-1)!)?.microGrid.id).toBe(ids.at(-1));
    expect(ids.filter((id) => again.has(id))).toHaveLength(MAX_STORED_MAPS);
  });
});
