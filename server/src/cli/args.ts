import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_DEMO_OPTIONS, DEMO_PRESETS, demoOptionsProblem, type DemoOptions, type DemoPreset } from '../modules/demo/demo-options.js';

/** Command-line options of the demo county or platform, shared by `server`, `start` and `demo:seed`. */
export const DEMO_ARG_OPTIONS = {
  preset: { type: 'string' },
  seed: { type: 'string' },
  cities: { type: 'string' },
  counties: { type: 'string' },
  towns: { type: 'string' },
  villages: { type: 'string' },
  grids: { type: 'string' },
  'micro-grids': { type: 'string' },
  workers: { type: 'string' },
  'full-time-workers': { type: 'string' },
  'households-per-micro-grid': { type: 'string' },
  days: { type: 'string' },
  'events-per-day': { type: 'string' },
  'as-of': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export class UsageError extends Error {}

const NUMERIC: Array<[keyof typeof DEMO_ARG_OPTIONS, keyof Omit<DemoOptions, 'asOf'>, number]> = [
  ['seed', 'seed', 0],
  ['cities', 'cities', 0],
  ['counties', 'counties', 1],
  ['towns', 'towns', 1],
  ['villages', 'villages', 1],
  ['grids', 'grids', 1],
  ['micro-grids', 'microGrids', 1],
  ['workers', 'workers', 1],
  ['full-time-workers', 'fullTimeWorkers', 0],
  ['households-per-micro-grid', 'householdsPerMicroGrid', 0],
  ['days', 'days', 0],
  ['events-per-day', 'eventsPerDay', 0],
];

/** Start of the current day in China Standard Time, so one day's runs seed the same county. */
/**
 * The history ends when the demo is seeded (to the minute): a demo started at 11:00 shows the
 * morning's reports and cases moving, not a county whose work stopped at midnight and whose
 * every step has run over since. `--as-of` fixes it to regenerate the identical county.
 */
export function defaultAsOf(now = new Date()): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

export function demoOptionsFrom(values: Record<string, string | boolean | undefined>): DemoOptions {
  const preset = values.preset;
  if (preset !== undefined && (typeof preset !== 'string' || !Object.hasOwn(DEMO_PRESETS, preset))) {
    throw new UsageError(`--preset must be one of ${Object.keys(DEMO_PRESETS).join(', ')} (got "${String(preset)}")`);
  }
  const options: DemoOptions = { ...DEFAULT_DEMO_OPTIONS, ...(preset ? DEMO_PRESETS[preset as DemoPreset] : {}), asOf: defaultAsOf() };
  for (const [flag, key, min] of NUMERIC) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`--${flag} must be a whole number ≥ ${min} (got "${String(raw)}")`);
    }
    options[key] = n;
  }
  if (values['full-time-workers'] === undefined && options.fullTimeWorkers > options.workers) {
    // Keep the paper's share of full-time workers (836 of 3,361) when only the total is given
    // (or a preset's total is lowered).
    options.fullTimeWorkers = Math.max(Math.min(options.grids, options.workers), Math.round((options.workers * 836) / 3361));
  }
  const asOf = values['as-of'];
  if (asOf !== undefined) {
    // A bare date means the start of that day in the county (China Standard Time).
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(asOf)) ? `${String(asOf)}T00:00:00+08:00` : String(asOf));
    if (typeof asOf !== 'string' || Number.isNaN(d.getTime())) throw new UsageError(`--as-of must be an ISO date or time (got "${String(asOf)}")`);
    options.asOf = d;
  }
  const cities = options.cities ?? 0;
  const counties = options.counties ?? 1;
  if (counties > 1 && cities === 0) throw new UsageError('--counties above 1 needs --cities 1 or more (a city or a province holds the counties)');
  if (counties < cities) throw new UsageError('--counties must be at least --cities (every city has a county)');
  if (options.towns < counties) throw new UsageError('--towns must be at least --counties (every county has a town)');
  if (options.villages < options.towns) throw new UsageError('--villages must be at least --towns');
  if (options.grids < options.villages) throw new UsageError('--grids must be at least --villages (every village has a grid)');
  if (options.microGrids < options.grids) throw new UsageError('--micro-grids must be at least --grids');
  if (options.workers < options.grids) throw new UsageError('--workers must be at least --grids (every grid has a worker)');
  if (options.fullTimeWorkers > options.workers) throw new UsageError('--full-time-workers cannot exceed --workers');
  const problem = demoOptionsProblem(options);
  if (problem) throw new UsageError(problem);
  return options;
}

export function parseCli<O extends ParseArgsConfig['options']>(options: O, usage: string) {
  try {
    return parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
