import { describe, expect, it } from 'vitest';
import { buildCounty, townKinds } from './county.js';
import { DEFAULT_DEMO_OPTIONS } from './demo-options.js';

describe('the full default county geometry', () => {
  // Geometry only (no households, people or events): the paper's counts, in memory.
  const county = buildCounty(DEFAULT_DEMO_OPTIONS);

  it('has the paper’s 781 grids and 3,739 micro-grids, and the default towns and villages', () => {
    expect(county.towns).toHaveLength(DEFAULT_DEMO_OPTIONS.towns);
    expect(county.villages).toHaveLength(DEFAULT_DEMO_OPTIONS.villages);
    expect(county.grids).toHaveLength(781);
    expect(county.microGrids).toHaveLength(3739);
    const { streets, townships } = townKinds(DEFAULT_DEMO_OPTIONS.towns);
    expect(county.towns.filter((t) => t.kind === 'street')).toHaveLength(streets);
    expect(county.towns.filter((t) => t.kind === 'township')).toHaveLength(townships);
    const codes = [county.county, ...county.towns, ...county.villages, ...county.grids, ...county.microGrids].map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('lies inland in Zhejiang, about 1,500–2,000 km², and every level adds up to the county', () => {
    const [minLon, minLat, maxLon, maxLat] = county.county.bbox;
    expect(minLon).toBeGreaterThan(119.5);
    expect(maxLon).toBeLessThan(120.4);
    expect(minLat).toBeGreaterThan(28.8);
    expect(maxLat).toBeLessThan(29.5);
    const total = county.county.areaKm2;
    expect(total).toBeGreaterThan(1500);
    expect(total).toBeLessThan(2000);
    for (const level of [county.towns, county.villages, county.grids, county.microGrids]) {
      const sum = level.reduce((s, r) => s + r.areaKm2, 0);
      expect(Math.abs(sum - total) / total).toBeLessThan(1e-6);
    }
  });

  it('makes the seat’s streets denser than the hills', () => {
    const meanArea = (kind: string) => {
      const villages = county.villages.filter((v) => v.parent!.kind === kind);
      return villages.reduce((s, v) => s + v.areaKm2, 0) / villages.length;
    };
    expect(meanArea('street')).toBeLessThan(meanArea('township') / 2);
  });
});
