import { describe, expect, it } from 'vitest';
import { demoOptionsFrom, UsageError } from '../../cli/args.js';
import { DEFAULT_DEMO_OPTIONS, DEMO_PRESETS, demoOptionsProblem } from './demo-options.js';

describe('demo presets', () => {
  it('start from the preset, and flags given override its figures', () => {
    const city = demoOptionsFrom({ preset: 'city', 'as-of': '2026-11-25' });
    expect(city).toMatchObject({ ...DEMO_PRESETS.city, seed: DEFAULT_DEMO_OPTIONS.seed });
    expect(demoOptionsProblem(city)).toBeNull();
    const small = demoOptionsFrom({ preset: 'city', counties: '3', 'micro-grids': '9000', workers: '8000' });
    expect(small).toMatchObject({ cities: 1, counties: 3, microGrids: 9000, workers: 8000, towns: DEMO_PRESETS.city.towns });
    // the preset's full-time workers would exceed the lowered total: one per grid (or the paper's share) instead
    expect(small.fullTimeWorkers).toBe(DEMO_PRESETS.city.grids);
  });

  it('are platforms the limits allow: a province of 11 cities and 90 counties', () => {
    const zhejiang = demoOptionsFrom({ preset: 'zhejiang' });
    expect(demoOptionsProblem(zhejiang)).toBeNull();
    expect(zhejiang).toMatchObject({ cities: 11, counties: 90, grids: 85_000, microGrids: 450_000 });
    expect(zhejiang.days * zhejiang.eventsPerDay).toBeGreaterThanOrEqual(60_000);
  });

  it('refuse an unknown preset, naming the ones there are', () => {
    expect(() => demoOptionsFrom({ preset: 'county' })).toThrow(UsageError);
    expect(() => demoOptionsFrom({ preset: 'county' })).toThrow('--preset must be one of city, zhejiang (got "county")');
    expect(() => demoOptionsFrom({ preset: 'city', cities: '0' })).toThrow(/--counties above 1 needs --cities/);
  });
});
