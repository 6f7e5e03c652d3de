import type { TimeLimit } from '../contracts/catalog.js';
import type { WorkingCalendar } from '../contracts/workflow.js';

/**
 * Deadlines on the working calendar (工作日历), domain.md §4: step limits mix plain minutes,
 * working hours and working days, so a limit is counted on the calendar's working periods of
 * its working days. Everything is in China Standard Time (UTC+8, no daylight saving) and never
 * in the machine's zone: a server in another zone must give the same deadlines.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** CST is UTC+8 all year (China has had no daylight saving since 1991). */
const CST_OFFSET_MS = 8 * 60 * MINUTE_MS;
/**
 * A calendar without a working day in this many days is broken (e.g. every weekday off):
 * stop rather than loop forever. Three years comfortably exceeds any real run of days off.
 */
const MAX_IDLE_DAYS = 3 * 366;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days off for the 2026 public holidays and the weekend days worked instead (调休上班), from the
 * State Council General Office's notice on the 2026 holiday arrangements (国务院办公厅关于2026年
 * 部分节假日安排的通知). The list covers 2026 only: later years must be added through the workflow
 * settings (`PUT /api/v1/settings/workflow`) once each year's notice is published.
 */
const HOLIDAYS_2026: readonly (readonly [from: string, to: string])[] = [
  ['2026-01-01', '2026-01-03'], // 元旦
  ['2026-02-15', '2026-02-23'], // 春节
  ['2026-04-04', '2026-04-06'], // 清明节
  ['2026-05-01', '2026-05-05'], // 劳动节
  ['2026-06-19', '2026-06-21'], // 端午节
  ['2026-09-25', '2026-09-27'], // 中秋节
  ['2026-10-01', '2026-10-07'], // 国庆节
];
const WORKDAYS_2026 = [
  '2026-01-04', // 元旦调休（周日）
  '2026-02-14', // 春节调休（周六）
  '2026-02-28', // 春节调休（周六）
  '2026-05-09', // 劳动节调休（周六）
  '2026-09-20', // 国庆节调休（周日）
  '2026-10-10', // 国庆节调休（周六）
];

function daysFromTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayIndexOf(from); d <= dayIndexOf(to); d++) out.push(dayOfIndex(d));
  return out;
}

/**
 * The default working calendar: 08:30–12:00 and 13:30–17:30 (7.5 working hours a day),
 * Saturday and Sunday off, and China's 2026 public holidays with their 调休 workdays.
 */
export const DEFAULT_CALENDAR: WorkingCalendar = {
  periods: [
    { start: '08:30', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [0, 6],
  holidays: HOLIDAYS_2026.flatMap(([from, to]) => daysFromTo(from, to)),
  workdays: [...WORKDAYS_2026],
};

/** A calendar checked once and turned into numbers: periods in minutes after CST midnight. */
interface Compiled {
  periods: { start: number; end: number }[];
  dayMinutes: number;
  weekend: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/** Days since 1970-01-01 of a `yyyy-mm-dd` day; throws on a malformed or impossible date. */
function dayIndexOf(day: string): number {
  const m = ISO_DAY.exec(day);
  if (!m) throw new RangeError(`not a yyyy-mm-dd day: ${JSON.stringify(day)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such day: ${day}`);
  }
  return ms / DAY_MS;
}

function dayOfIndex(index: number): string {
  return new Date(index * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOfIndex(index: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((index + 4) % 7) + 7) % 7;
}

function hhmmMinutes(value: string, where: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new Error(`working calendar: ${where} must be HH:MM (00:00–23:59), got ${JSON.stringify(value)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Compiled calendars by object: a deadline computation is called for every step of every case
 * (tens of thousands when the demo seeds), and a calendar is treated as immutable once used —
 * settings replace the object instead of editing it.
 */
const compiledCache = new WeakMap<WorkingCalendar, Compiled>();

function compile(cal: WorkingCalendar): Compiled {
  let compiled = compiledCache.get(cal);
  if (!compiled) {
    compiled = compileUncached(cal);
    compiledCache.set(cal, compiled);
  }
  return compiled;
}

function compileUncached(cal: WorkingCalendar): Compiled {
  if (cal.periods.length === 0) throw new Error('working calendar: at least one working period is needed');
  const periods = cal.periods.map((p, i) => {
    const start = hhmmMinutes(p.start, `periods[${i}].start`);
    const end = hhmmMinutes(p.end, `periods[${i}].end`);
    if (end <= start) throw new Error(`working calendar: periods[${i}] ends (${p.end}) before it starts (${p.start})`);
    return { start, end };
  });
  // The consuming loop walks periods in order and counts each minute once, so they must be
  // sorted and may touch but not overlap.
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]!.start < periods[i - 1]!.end) {
      throw new Error(
        `working calendar: periods must be sorted and not overlap; periods[${i}] (${cal.periods[i]!.start}) starts before periods[${i - 1}] ends (${cal.periods[i - 1]!.end})`,
      );
    }
  }
  for (const d of cal.weekendDays) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new Error(`working calendar: weekendDays holds ${d}, not 0 (Sunday) … 6 (Saturday)`);
  }
  const days = (list: readonly string[], name: string): Set<string> => {
    for (const d of list) {
      try {
        dayIndexOf(d);
      } catch (e) {
        throw new Error(`working calendar: ${name}: ${(e as Error).message}`);
      }
    }
    return new Set(list);
  };
  const holidays = days(cal.holidays, 'holidays');
  const workdays = days(cal.workdays, 'workdays');
  for (const d of workdays) {
    if (holidays.has(d)) throw new Error(`working calendar: ${d} is both a holiday and a workday`);
  }
  return {
    periods,
    dayMinutes: periods.reduce((sum, p) => sum + p.end - p.start, 0),
    weekend: new Set(cal.weekendDays),
    holidays,
    workdays,
  };
}

function workingIndex(c: Compiled, index: number): boolean {
  const day = dayOfIndex(index);
  if (c.workdays.has(day)) return true;
  if (c.holidays.has(day)) return false;
  return !c.weekend.has(weekdayOfIndex(index));
}

function msOf(d: Date, name: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/** CST day index (days since 1970-01-01 in UTC+8) of an instant. */
function cstDayIndex(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** The instant at `minute` minutes after CST midnight of a CST day. */
function instantOf(dayIndex: number, minute: number): number {
  return dayIndex * DAY_MS - CST_OFFSET_MS + minute * MINUTE_MS;
}

/**
 * The instant after `budgetMs` of working time has passed from `fromMs`. A deadline that uses up
 * a period exactly falls on the period's end (17:30, "the end of the day"), not on the next start.
 */
function consume(c: Compiled, fromMs: number, budgetMs: number): number {
  if (budgetMs <= 0) return fromMs;
  let remaining = budgetMs;
  let idle = 0;
  for (let day = cstDayIndex(fromMs); ; day++) {
    if (!workingIndex(c, day)) {
      if (++idle > MAX_IDLE_DAYS) throw new Error(`working calendar: no working day within ${MAX_IDLE_DAYS} days after ${dayOfIndex(day - idle + 1)}`);
      continue;
    }
    idle = 0;
    for (const p of c.periods) {
      const start = Math.max(fromMs, instantOf(day, p.start));
      const end = instantOf(day, p.end);
      if (start >= end) continue;
      if (remaining <= end - start) return Math.round(start + remaining);
      remaining -= end - start;
    }
  }
}

/** Minutes of working time that a limit in a working unit allows; null for plain units. */
function workingMinutes(c: Compiled, limit: TimeLimit): number | null {
  switch (limit.unit) {
    case 'work_hours':
      return limit.value * 60;
    case 'work_days':
      // A working day is the length of a standard working day (the sum of the periods), so
      // "1 working day" from Friday 16:00 ends Monday 16:00, not Monday 17:30.
      return limit.value * c.dayMinutes;
    case 'minutes':
    case 'days':
      return null;
  }
}

function plainMinutes(limit: TimeLimit): number {
  return limit.unit === 'days' ? limit.value * 24 * 60 : limit.value;
}

function checkLimit(limit: TimeLimit): void {
  if (!Number.isFinite(limit.value) || limit.value < 0) throw new RangeError(`time limit value must be a finite number ≥ 0, got ${limit.value}`);
}

/**
 * Throws an Error that says what is wrong when a calendar breaks the assumptions the deadline
 * arithmetic makes (periods well-formed, sorted and not overlapping, weekdays 0–6, real days,
 * no day both a holiday and a workday). Settings can call it to refuse a calendar up front.
 */
export function assertValidCalendar(cal: WorkingCalendar): void {
  compileUncached(cal);
}

/** The CST calendar day (`yyyy-mm-dd`) of an instant, whatever the machine's time zone. */
export function cstDay(at: Date): string {
  return dayOfIndex(cstDayIndex(msOf(at, 'at')));
}

/**
 * Whether a CST day (`yyyy-mm-dd`) is a working day: a listed 调休 workday is, a listed public
 * holiday is not, otherwise any day that is not a weekend day.
 */
export function isWorkingDay(dayCst: string, cal: WorkingCalendar): boolean {
  return workingIndex(compile(cal), dayIndexOf(dayCst));
}

/**
 * The deadline of a step that starts at `from` with `limit` to finish. `minutes` and `days`
 * (24 h) are plain time and ignore the calendar; `work_hours` count only minutes inside working
 * periods of working days; `work_days` count `value` standard working days of working time.
 * Fractional values are allowed (0.5 work_hours = 30 working minutes). A start outside working
 * time counts from the next working period.
 */
export function addLimit(from: Date, limit: TimeLimit, cal: WorkingCalendar): Date {
  return fractionPoint(from, limit, 1, cal);
}

/**
 * The instant when `fraction` of a step's limit has elapsed, counted in the limit's own units:
 * 80 % of 1 working day is 6 working hours, 80 % of 60 minutes is 48 minutes. `fraction` 1 is the
 * deadline itself (`addLimit`); 0 is `from`.
 */
export function fractionPoint(from: Date, limit: TimeLimit, fraction: number, cal: WorkingCalendar): Date {
  const fromMs = msOf(from, 'from');
  checkLimit(limit);
  if (!Number.isFinite(fraction) || fraction < 0) throw new RangeError(`fraction must be a finite number ≥ 0, got ${fraction}`);
  const c = compile(cal);
  const working = workingMinutes(c, limit);
  if (working === null) return new Date(Math.round(fromMs + plainMinutes(limit) * fraction * MINUTE_MS));
  return new Date(consume(c, fromMs, working * fraction * MINUTE_MS));
}

/**
 * Working minutes (inside working periods of working days) between two instants; negative when
 * `b` is before `a`. Lets a countdown show the working time left rather than the clock time.
 */
export function workingMinutesBetween(a: Date, b: Date, cal: WorkingCalendar): number {
  const aMs = msOf(a, 'a');
  const bMs = msOf(b, 'b');
  if (bMs < aMs) return -workingMinutesBetween(b, a, cal);
  const c = compile(cal);
  let total = 0;
  for (let day = cstDayIndex(aMs); day <= cstDayIndex(bMs); day++) {
    if (!workingIndex(c, day)) continue;
    for (const p of c.periods) {
      const start = Math.max(aMs, instantOf(day, p.start));
      const end = Math.min(bMs, instantOf(day, p.end));
      if (end > start) total += end - start;
    }
  }
  return total / MINUTE_MS;
}
