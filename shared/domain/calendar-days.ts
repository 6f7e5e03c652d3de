import type { TrendUnit } from '../contracts/analysis.js';

/**
 * Arithmetic on the county's calendar days, written `YYYY-MM-DD` (China time). A day string is a
 * date without a zone, so the arithmetic runs on UTC midnights, where no daylight saving or
 * machine zone can shift it; `periodStart` (period.ts) turns a day into its first instant.
 */

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The China calendar day that holds the instant. */
export function chinaDayOf(at: Date): string {
  return fromMs(at.getTime() + CHINA_OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** Days from `a` to `b` (b − a): 0 for the same day. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

/** The same day `n` years later (earlier for n < 0); 29 February becomes the 28th in a common year. */
export function addYears(day: string, n: number): string {
  const y = Number(day.slice(0, 4)) + n;
  const md = day.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/** The Monday of the day's week (weeks run Monday to Sunday, as in China). */
export function weekStart(day: string): string {
  const weekday = (new Date(toMs(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(toMs(day)).getUTCDay() + 6) % 7;
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after the day's month. */
export function nextMonthStart(day: string): string {
  const d = new Date(toMs(monthStart(day)));
  d.setUTCMonth(d.getUTCMonth() + 1);
  return fromMs(d.getTime());
}

/** The first day of the unit (day, week, month) holding `day`, and the first day of the next one. */
function unitOf(day: string, unit: TrendUnit): { start: string; next: string } {
  if (unit === 'day') return { start: day, next: addDays(day, 1) };
  if (unit === 'week') {
    const start = weekStart(day);
    return { start, next: addDays(start, 7) };
  }
  return { start: monthStart(day), next: nextMonthStart(day) };
}

/** A stretch of whole days, both ends inclusive. */
export interface DayRange {
  from: string;
  to: string;
}

/** A trend's bucket with its base periods. */
export interface DayBucket extends DayRange {
  /** Cut by the period's ends. */
  partial: boolean;
  /** 同比: the same days a year before. */
  yoy: DayRange;
  /** 环比: the unit before, or for a cut bucket the same number of days just before it. */
  pop: DayRange;
}

/** The same days a year before. */
export const yearBefore = (r: DayRange): DayRange => ({ from: addYears(r.from, -1), to: addYears(r.to, -1) });

/** The same number of days just before the range. */
export function justBefore(r: DayRange): DayRange {
  const length = daysBetween(r.from, r.to) + 1;
  return { from: addDays(r.from, -length), to: addDays(r.from, -1) };
}

/**
 * The period `[from, to]` cut into days, Monday-to-Sunday weeks or calendar months, each with its
 * year-on-year and period-on-period base. The buckets cover the period exactly, in order.
 */
export function trendBuckets(period: DayRange, unit: TrendUnit): DayBucket[] {
  const buckets: DayBucket[] = [];
  let day = period.from;
  while (day <= period.to) {
    const { start, next } = unitOf(day, unit);
    const last = addDays(next, -1);
    const range = { from: day, to: last < period.to ? last : period.to };
    const partial = range.from !== start || range.to !== last;
    const pop = partial ? justBefore(range) : { from: unitOf(addDays(start, -1), unit).start, to: addDays(start, -1) };
    buckets.push({ ...range, partial, yoy: yearBefore(range), pop });
    day = next;
  }
  return buckets;
}
