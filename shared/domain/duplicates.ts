import type { DuplicateRule } from '../contracts/workflow.js';

/** Mean Earth radius (IUGG), metres: haversine's error over a county (< 0.5 %) is far below a duplicate radius. */
const EARTH_RADIUS_M = 6_371_008.8;
const HOUR_MS = 3_600_000;

/** What duplicate detection compares of a case (an open one, or the new intake as the probe). */
export interface DuplicateProbe {
  id: string;
  itemCode: string;
  lon: number;
  lat: number;
  /** Unified address code (统一地址编码); null when the intake had none. */
  addressCode: string | null;
  microGridId: string;
  /** ISO 8601 instant with offset. */
  reportedAt: string;
}

/** Great-circle (haversine) distance in metres between two WGS84 points. */
export function distanceMeters(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  // min(1, …) keeps rounding from pushing asin out of its domain for antipodal points.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function instant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not an ISO date: ${JSON.stringify(iso)}`);
  return ms;
}

/**
 * Open cases that a new intake probably duplicates: the same item, reported within
 * `rule.windowHours` before the probe (both ends included; a case reported after the probe is
 * not its original), and near it: within `rule.radiusMeters`, or at the same unified address
 * (if `rule.sameAddress`; an unknown address matches nothing), or in the same micro-grid (if
 * `rule.sameMicroGrid`). Ids nearest first, then earliest reported, then by id.
 */
export function findDuplicates(probe: Omit<DuplicateProbe, 'id'>, open: readonly DuplicateProbe[], rule: DuplicateRule): string[] {
  const at = instant(probe.reportedAt, 'probe.reportedAt');
  const earliest = at - rule.windowHours * HOUR_MS;
  const hits: { id: string; meters: number; reported: number }[] = [];
  for (const c of open) {
    if (c.itemCode !== probe.itemCode) continue;
    const reported = instant(c.reportedAt, `reportedAt of ${c.id}`);
    if (reported < earliest || reported > at) continue;
    const meters = distanceMeters(probe, c);
    const near =
      meters <= rule.radiusMeters ||
      (rule.sameAddress && probe.addressCode !== null && probe.addressCode === c.addressCode) ||
      (rule.sameMicroGrid && probe.microGridId === c.microGridId);
    if (near) hits.push({ id: c.id, meters, reported });
  }
  hits.sort((x, y) => x.meters - y.meters || x.reported - y.reported || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return hits.map((h) => h.id);
}
