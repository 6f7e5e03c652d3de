import { z } from 'zod';

const CHINA_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * A bound of a period in a URL: a plain day (`2026-12-01`, the county's calendar day, China time)
 * or an instant with its offset, as `GET /api/v1/kpis` takes them.
 */
export const dayOrInstantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Start of the China calendar day that holds `at`. */
export function dayStartOf(at: Date): Date {
  return new Date(Math.floor((at.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS);
}

/** Where a period starting at `bound` starts: a day's first instant (China time), or the instant itself. */
export function periodStart(bound: string): Date {
  return isDay(bound) ? new Date(Date.parse(`${bound}T00:00:00Z`) - CHINA_OFFSET_MS) : new Date(bound);
}

/** Where a period ending at `bound` ends (exclusive): the end of a day, so `to=2026-12-01` holds that whole day; or the instant itself. */
export function periodEnd(bound: string): Date {
  return isDay(bound) ? new Date(periodStart(bound).getTime() + DAY_MS) : new Date(bound);
}

/** Whether an optional period `[from, to)` is empty: both given and `to` not after `from`. */
export function periodIsEmpty(q: { from?: string; to?: string }): boolean {
  return q.from !== undefined && q.to !== undefined && periodEnd(q.to) <= periodStart(q.from);
}
