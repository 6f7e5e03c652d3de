// What the demo generator is asked for: its own file, so that the generator (generate.ts) and
// the seeder that calls it (seed.ts) both read it and neither imports the other.

/**
 * Options of the demo county T县, or of a platform of many counties (`counties`, `cities`).
 * The same options (seed and asOf included) always produce the identical database, row for row.
 * Counts are totals of the platform, shared among its counties by their population (mass); for
 * one county they are the county's own.
 */
export interface DemoOptions {
  seed: number;
  /** 0: no city row (one county, or the counties stand alone); 1: one city holds the counties; more: a province holds the cities. Default 0. */
  cities?: number;
  /** Counties of the platform. Default 1 (T县 alone). */
  counties?: number;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  workers: number;
  fullTimeWorkers: number;
  /** Average; the platform holds exactly microGrids × this many households. */
  householdsPerMicroGrid: number;
  days: number;
  eventsPerDay: number;
  /** End of the seeded history: events are reported in [asOf − days, asOf). */
  asOf: Date;
  /** Days before asOf with the grid workers' demo patrol tracks (patrols.ts). Default 0: none. */
  patrolDays?: number;
}

/** The paper's county: 781 grids, 3,739 micro-grids, 3,361 grid workers (836 full-time). */
export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, 'asOf'> & { cities: number; counties: number } = {
  seed: 20231,
  towns: 15,
  villages: 250,
  grids: 781,
  microGrids: 3739,
  workers: 3361,
  fullTimeWorkers: 836,
  householdsPerMicroGrid: 35,
  days: 30,
  eventsPerDay: 200,
  cities: 0,
  counties: 1,
  patrolDays: 3,
};

/**
 * Platforms of many counties (`demo:seed -- --preset NAME`); explicit flags override each figure.
 * Households per micro-grid and days of history are lowered so that the seed fits in memory and
 * in minutes (README: measured times and peak memory).
 */
export const DEMO_PRESETS = {
  /** One city (市 330800) of ten counties, one of them T县 330899: about ten times T县. */
  city: {
    cities: 1,
    counties: 10,
    towns: 150,
    villages: 2500,
    grids: 7810,
    microGrids: 37_390,
    workers: 33_610,
    fullTimeWorkers: 8360,
    householdsPerMicroGrid: 20,
    days: 14,
    eventsPerDay: 2000,
    // patrol tracks of T县 only: a platform's workers would add millions of positions
    patrolDays: 0,
  },
  /** A province like Zhejiang: 11 cities, 90 counties, 85,000 grids, 450,000 micro-grids, ~33,000 matters a day. */
  zhejiang: {
    cities: 11,
    counties: 90,
    towns: 1360,
    villages: 20_000,
    grids: 85_000,
    microGrids: 450_000,
    workers: 366_000,
    fullTimeWorkers: 91_000,
    householdsPerMicroGrid: 4,
    days: 2,
    eventsPerDay: 33_000,
    // patrol tracks of T县 only: a platform's workers would add millions of positions
    patrolDays: 0,
  },
} as const satisfies Record<string, Partial<Omit<DemoOptions, 'asOf' | 'seed'>>>;

export type DemoPreset = keyof typeof DEMO_PRESETS;

/** True when the options ask for T县 alone: no city or province rows, the generator of old. */
export function isSingleCounty(o: Pick<DemoOptions, 'cities' | 'counties'>): boolean {
  return (o.counties ?? 1) === 1 && (o.cities ?? 0) === 0;
}

/**
 * Largest values the code formats and a sane memory budget allow. `perCounty`: code ranges
 * below a county, so a platform may hold that many in each of its counties.
 */
export const DEMO_LIMITS = {
  perCounty: {
    // 街道, 镇 and 乡 each have a 2–3 digit code range (CODE_RANGES in county.ts)
    towns: 150,
    villages: 20_000,
    grids: 100_000,
    microGrids: 200_000,
    // 4-digit running number per day in the event id, with room for a busy weekday
    eventsPerDay: 5000,
  },
  // a city's code 33xx00 and a county's 33xxyy: two digits each
  cities: 99,
  countiesPerCity: 99,
  // a province of 90 counties holds ~450,000; the seed keeps them all in memory at once
  microGrids: 500_000,
  workers: 1_000_000,
  householdsPerMicroGrid: 1000,
  // ~5M households: the in-memory build of a province stays within a few GB
  households: 5_000_000,
  days: 366,
  // a province reports ~12 million matters a year (~33,000 a day); ids grow past 4 digits a day
  eventsPerDay: 50_000,
  // the whole history is built in memory before it is written
  events: 2_000_000,
} as const;

/**
 * What is wrong with `options`, naming the option, or null. Seeding checks it too; callers
 * with a user at hand (the CLI) check first to answer with a usage error.
 */
export function demoOptionsProblem(o: DemoOptions): string | null {
  const cities = o.cities ?? 0;
  const counties = o.counties ?? 1;
  const counts: Array<[string, number, number, number | undefined]> = [
    ['seed', o.seed, 0, undefined],
    ['cities', cities, 0, DEMO_LIMITS.cities],
    ['counties', counties, 1, Math.max(1, cities) * DEMO_LIMITS.countiesPerCity],
    ['towns', o.towns, 1, counties * DEMO_LIMITS.perCounty.towns],
    ['villages', o.villages, 1, counties * DEMO_LIMITS.perCounty.villages],
    ['grids', o.grids, 1, counties * DEMO_LIMITS.perCounty.grids],
    ['microGrids', o.microGrids, 1, Math.min(DEMO_LIMITS.microGrids, counties * DEMO_LIMITS.perCounty.microGrids)],
    ['workers', o.workers, 1, DEMO_LIMITS.workers],
    ['fullTimeWorkers', o.fullTimeWorkers, 0, undefined],
    ['householdsPerMicroGrid', o.householdsPerMicroGrid, 0, DEMO_LIMITS.householdsPerMicroGrid],
    ['days', o.days, 0, DEMO_LIMITS.days],
    ['eventsPerDay', o.eventsPerDay, 0, Math.min(DEMO_LIMITS.eventsPerDay, counties * DEMO_LIMITS.perCounty.eventsPerDay)],
  ];
  for (const [key, v, min, max] of counts) {
    if (!Number.isSafeInteger(v) || v < min) return `${key} must be a whole number ≥ ${min} (got ${v})`;
    if (max !== undefined && v > max) {
      const perCounty = (DEMO_LIMITS.perCounty as Partial<Record<string, number>>)[key];
      const per = perCounty !== undefined && counties > 1 && max === counties * perCounty ? ` (${perCounty.toLocaleString('en-US')} per county)` : key === 'counties' ? ' (99 per city)' : '';
      return `${key} must be at most ${max}${per} (got ${v})`;
    }
  }
  if (!(o.asOf instanceof Date) || Number.isNaN(o.asOf.getTime())) return 'asOf must be a valid date';
  if (counties > 1 && cities === 0) return 'counties above 1 need cities ≥ 1 (a city or a province holds them)';
  if (counties < cities) return 'counties must be at least cities (every city has a county)';
  if (o.towns < counties) return 'towns must be at least counties (every county has a town)';
  if (o.villages < o.towns) return 'villages must be at least towns (every town has a village)';
  // Averages well inside the 3-digit code ranges; a town or village far above average still
  // fails in generation with a RangeError naming the level.
  if (o.villages > 40 * o.towns) return 'villages must be at most 40 × towns (the village code range of a town)';
  if (o.grids > 200 * o.villages) return 'grids must be at most 200 × villages (the grid code range of a village)';
  if (o.microGrids > 200 * o.grids) return 'microGrids must be at most 200 × grids (the micro-grid code range of a grid)';
  if (o.grids < o.villages) return 'grids must be at least villages (every village has a grid)';
  if (o.microGrids < o.grids) return 'microGrids must be at least grids (every grid has a micro-grid)';
  if (o.workers < o.grids) return 'workers must be at least grids (every grid has a worker)';
  if (o.fullTimeWorkers > o.workers) return 'fullTimeWorkers cannot exceed workers';
  if (o.microGrids * o.householdsPerMicroGrid > DEMO_LIMITS.households) {
    return `householdsPerMicroGrid × microGrids must be at most ${DEMO_LIMITS.households.toLocaleString('en-US')} households (got ${(o.microGrids * o.householdsPerMicroGrid).toLocaleString('en-US')})`;
  }
  if (o.days * o.eventsPerDay > DEMO_LIMITS.events) {
    return `days × eventsPerDay must be at most ${DEMO_LIMITS.events.toLocaleString('en-US')} events (got ${(o.days * o.eventsPerDay).toLocaleString('en-US')})`;
  }
  return null;
}
