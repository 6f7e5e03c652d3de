import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';

/**
 * The patrol maths of a worker's positions (docs/WORKFORCE.md, "Workload and activity"): pure,
 * no clock, no database. Positions are the worker's own (`team_positions.worker_id`), in time order.
 */
export interface PatrolPoint {
  lon: number;
  lat: number;
  /** When the device took it, ms since the epoch. */
  at: number;
}

/** Two positions at most this far apart belong to one patrol span. */
export const PATROL_GAP_MS = 10 * 60_000;
/** A step faster than this (30 km/h) is a jump (a bad fix, a ride), not walked: its distance is not counted. */
export const PATROL_MAX_SPEED_MPS = 30_000 / 3600;
/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance between two WGS84 points, metres (haversine). */
export function haversineMetres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** One patrol span: consecutive positions no more than 10 min apart, at least two of them. */
export interface PatrolSpan {
  points: PatrolPoint[];
  /** Last position's time minus the first's, ms. */
  ms: number;
  /** Distance along the span without its jumps, metres (unrounded). */
  metres: number;
}

/**
 * Splits time-ordered positions into spans: a gap of more than 10 min ends a span; a position
 * alone (no neighbour within 10 min) is no span. Along a span, each step adds its great-circle
 * distance unless it is faster than 30 km/h (a step of no time but some distance is such a jump).
 */
export function patrolSpans(points: readonly PatrolPoint[]): PatrolSpan[] {
  const spans: PatrolSpan[] = [];
  let current: PatrolPoint[] = [];
  let metres = 0;
  const close = () => {
    if (current.length >= 2) spans.push({ points: current, ms: current.at(-1)!.at - current[0]!.at, metres });
    current = [];
    metres = 0;
  };
  for (const p of points) {
    const prev = current.at(-1);
    if (prev && p.at - prev.at > PATROL_GAP_MS) close();
    const last = current.at(-1);
    if (last) {
      const d = haversineMetres(last, p);
      const dt = (p.at - last.at) / 1000;
      if (dt > 0 ? d / dt <= PATROL_MAX_SPEED_MPS : d === 0) metres += d;
    }
    current.push(p);
  }
  close();
  return spans;
}

export interface PatrolSummary {
  /** Sum of the spans' durations, whole minutes (rounded). */
  minutes: number;
  /** Sum of the spans' distances, whole metres (rounded). */
  metres: number;
  /** China calendar days a span's positions fall on. */
  days: number;
}

/** Minutes, metres and days of the spans (rounded once, at the end). */
export function summarize(spans: readonly PatrolSpan[]): PatrolSummary {
  const days = new Set<string>();
  let ms = 0;
  let metres = 0;
  for (const s of spans) {
    ms += s.ms;
    metres += s.metres;
    for (const p of s.points) days.add(chinaDayOf(new Date(p.at)));
  }
  return { minutes: Math.round(ms / 60_000), metres: Math.round(metres), days: days.size };
}
