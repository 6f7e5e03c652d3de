import type { EventSource } from '../../../../shared/contracts/events.js';
import type { TeamType } from '../../../../shared/contracts/catalog.js';
import { HOURLY, SOURCE_SHARES } from '../demo/events.js';
import type { Random } from '../demo/random.js';

/**
 * The pure part of the simulator: how many reports arrive in an hour of the day, which channel
 * they come from, how fast a team moves. The same curves as the demo history (demo/events.ts),
 * so a simulated day looks like the seeded ones.
 */

const SOURCES = Object.keys(SOURCE_SHARES) as EventSource[];

/** Relative load of each hour of the day (CST), mean 1 over the day. */
export const HOUR_FACTOR: readonly number[] = (() => {
  const raw = Array.from({ length: 24 }, (_, h) =>
    SOURCES.reduce((sum, s) => {
      const curve = HOURLY[s];
      const mean = curve.reduce((a, b) => a + b, 0) / 24;
      return sum + (SOURCE_SHARES[s] * curve[h]!) / mean;
    }, 0),
  );
  const mean = raw.reduce((a, b) => a + b, 0) / 24;
  return raw.map((v) => v / mean);
})();

const BARE_DAY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The simulated instant a run starts at. The daily curve decides how busy the run is, so the
 * start is always given (tests fix it; the CLI defaults it to now) and never read from the
 * machine: a bare day is its midnight and a time without a zone is read in China Standard Time,
 * like `--as-of`, so the machine's time zone cannot move the curve either. Returns null for
 * anything else, an impossible day (2026-02-30) included.
 */
export function parseSimulationStart(value: Date | string): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const iso = BARE_DAY.test(value) ? `${value}T00:00:00+08:00` : LOCAL_TIME.test(value) ? `${value}+08:00` : ZONED_TIME.test(value) ? value : null;
  if (iso === null) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // Date rolls 02-30 over to March: the written day must survive the round trip in its own zone.
  const zone = /(Z|[+-]\d{2}:\d{2})$/.exec(iso)![1]!;
  const offsetMs = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return new Date(at.getTime() + offsetMs).toISOString().slice(0, 10) === iso.slice(0, 10) ? at : null;
}

/** Expected reports in `seconds` of simulated time starting at `at`, for an average `perHour`. */
export function expectedArrivals(perHour: number, at: Date, seconds: number): number {
  const hour = new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
  return (perHour * HOUR_FACTOR[hour]! * seconds) / 3600;
}

/** A Poisson draw (Knuth; fine for the small means of one tick). */
export function poisson(mean: number, rng: Random): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function gaussian(rng: Random): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** The channel of a report at this hour: the source mix weighted by each channel's hourly curve. */
export function pickSource(at: Date, rng: Random): EventSource {
  const hour = new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
  const weights = SOURCES.map((s) => SOURCE_SHARES[s] * HOURLY[s][hour]!);
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (let i = 0; i < SOURCES.length; i++) {
    r -= weights[i]!;
    if (r < 0) return SOURCES[i]!;
  }
  return SOURCES[SOURCES.length - 1]!;
}

/** Travel speed (km/h): grid workers, cadres and mediators walk or ride; the others drive. */
export function speedKmh(type: TeamType): number {
  return type === 'grid_worker' || type === 'village_cadre' || type === 'mediator' ? 12 : 35;
}

export interface LonLat {
  lon: number;
  lat: number;
}

const M_PER_DEG_LAT = 111_320;

/** Distance in metres (equirectangular; exact enough within a county). */
export function metres(a: LonLat, b: LonLat): number {
  const kx = M_PER_DEG_LAT * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return Math.hypot((b.lon - a.lon) * kx, (b.lat - a.lat) * M_PER_DEG_LAT);
}

/**
 * One step along a road-like path: roads are not straight, so the team first closes the larger
 * of the two axis gaps (a Manhattan path), `kmh × seconds` metres at most. Returns the new point
 * and whether it arrived (within 30 m).
 */
export function stepToward(from: LonLat, to: LonLat, kmh: number, seconds: number): { at: LonLat; arrived: boolean } {
  const budget = (kmh * 1000 * seconds) / 3600;
  const kx = M_PER_DEG_LAT * Math.cos(((from.lat + to.lat) / 2) * (Math.PI / 180));
  let dx = (to.lon - from.lon) * kx;
  let dy = (to.lat - from.lat) * M_PER_DEG_LAT;
  let left = budget;
  const first = Math.abs(dx) >= Math.abs(dy) ? 'x' : 'y';
  const move = (axis: 'x' | 'y') => {
    const d = axis === 'x' ? dx : dy;
    const m = Math.min(Math.abs(d), left);
    left -= m;
    if (axis === 'x') dx -= Math.sign(d) * m;
    else dy -= Math.sign(d) * m;
  };
  move(first);
  move(first === 'x' ? 'y' : 'x');
  const at = { lon: to.lon - dx / kx, lat: to.lat - dy / M_PER_DEG_LAT };
  return { at, arrived: Math.hypot(dx, dy) <= 30 };
}
