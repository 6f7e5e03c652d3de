// What the demo generator is asked for: its own file, so that the generator (generate.ts) and
// the seeder that calls it (seed.ts) both read it and neither imports the other.

/**
 * Options of the demo county T县. The same options (seed and asOf included) always produce
 * the identical database, row for row.
 */
export interface DemoOptions {
  seed: number;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  workers: number;
  fullTimeWorkers: number;
  /** Average; the county holds exactly microGrids × this many households. */
  householdsPerMicroGrid: number;
  days: number;
  eventsPerDay: number;
  /** End of the seeded history: events are reported in [asOf − days, asOf). */
  asOf: Date;
}

/** The paper's county: 781 grids, 3,739 micro-grids, 3,361 grid workers (836 full-time). */
export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, 'asOf'> = {
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
};

/** Largest values the code formats and a sane memory budget allow. */
export const DEMO_LIMITS = {
  // 街道, 镇 and 乡 each have a 2–3 digit code range (CODE_RANGES in county.ts)
  towns: 150,
  villages: 20_000,
  grids: 100_000,
  microGrids: 200_000,
  workers: 1_000_000,
  householdsPerMicroGrid: 1000,
  days: 366,
  // 4-digit running number per day in the event id, with room for a busy weekday
  eventsPerDay: 5000,
} as const;

/**
 * What is wrong with `options`, naming the option, or null. Seeding checks it too; callers
 * with a user at hand (the CLI) check first to answer with a usage error.
 */
export function demoOptionsProblem(o: DemoOptions): string | null {
  const counts: Array<[keyof Omit<DemoOptions, 'asOf'>, number]> = [
    ['seed', 0],
    ['towns', 1],
    ['villages', 1],
    ['grids', 1],
    ['microGrids', 1],
    ['workers', 1],
    ['fullTimeWorkers', 0],
    ['householdsPerMicroGrid', 0],
    ['days', 0],
    ['eventsPerDay', 0],
  ];
  for (const [key, min] of counts) {
    const v = o[key];
    if (!Number.isSafeInteger(v) || v < min) return `${key} must be a whole number ≥ ${min} (got ${v})`;
    const max = (DEMO_LIMITS as Partial<Record<string, number>>)[key];
    if (max !== undefined && v > max) return `${key} must be at most ${max} (got ${v})`;
  }
  if (!(o.asOf instanceof Date) || Number.isNaN(o.asOf.getTime())) return 'asOf must be a valid date';
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
  return null;
}
