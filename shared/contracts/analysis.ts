import { z } from 'zod';
import type { EventSource, EventStatus, Urgency } from './events.js';
import { decimalIntParam } from './params.js';
import type { SearchPlace } from './search.js';

/**
 * Analysis (分析研判) of the cases the closed loop produced: trends with year-on-year (同比) and
 * period-on-period (环比) figures, the mix of categories and channels, the hours of the week,
 * hot spots (the same item recurring in one grid), and the agenda of the daily analysis meeting
 * (日常研判分析会). Every figure covers only the caller's towns.
 *
 * What is counted (the same words as `GET /api/v1/kpis`):
 * - reported (受理): admitted cases reported in the period (not-admitted intakes are refused, so
 *   they are no case); equals the KPI's `accepted` for the same period and towns;
 * - filed / dispatched / closed: cases filed, dispatched or closed *in* the period, whenever
 *   they were reported (a flow, as a day's work is counted);
 * - a hot spot's occurrences leave out duplicates merged into another case and voided reports:
 *   a second report of the same thing is not a recurrence.
 * Days, hours and weekdays are China time (UTC+8), whatever the server's zone.
 */

/** A county calendar day, `YYYY-MM-DD` (China time). Analysis works on whole days. */
export const daySchema = z.iso.date();
/** A town's id (9-digit code). */
export const townIdSchema = z.string().regex(/^\d{9}$/);

export const TREND_UNITS = ['day', 'week', 'month'] as const;
export type TrendUnit = (typeof TREND_UNITS)[number];

/**
 * The filters every analysis query shares: the period `[from, to]` in whole days (both
 * inclusive; default: the 30 days ending today) and one town (default: all the caller's towns;
 * a town outside them is refused with 403 `out_of_scope`).
 */
export const analysisQuerySchema = z
  .object({
    from: daySchema.optional(),
    to: daySchema.optional(),
    town: townIdSchema.optional(),
  })
  .strict();
export type AnalysisQuery = z.infer<typeof analysisQuerySchema>;

/** `GET /api/v1/analysis/trend`: the filters and the bucket unit (default `day`). */
export const trendQuerySchema = analysisQuerySchema.extend({ unit: z.enum(TREND_UNITS).optional() }).strict();
export type TrendQuery = z.infer<typeof trendQuerySchema>;

/** `GET /api/v1/analysis/hot-spots`: the filters, the least count that makes a hot spot (2–100, default 2) and how many to return (1–500, default 100). */
export const hotSpotQuerySchema = analysisQuerySchema
  .extend({
    min: decimalIntParam({ min: 2, max: 100 }).optional(),
    limit: decimalIntParam({ min: 1, max: 500 }).optional(),
  })
  .strict();
export type HotSpotQuery = z.infer<typeof hotSpotQuerySchema>;

/** `GET /api/v1/analysis/agenda`: the meeting's day (default today) and optionally one town. */
export const agendaQuerySchema = z.object({ date: daySchema.optional(), town: townIdSchema.optional() }).strict();
export type AgendaQuery = z.infer<typeof agendaQuerySchema>;

/** Longest period an analysis query covers: a bit more than a year, so a trend shows a whole year by day. */
export const MAX_ANALYSIS_DAYS = 400;
/** The default period: the 30 days ending today. */
export const DEFAULT_ANALYSIS_DAYS = 30;

/** The resolved filters an answer was computed for. */
export interface AnalysisScope {
  /** First day of the period (inclusive). */
  from: string;
  /** Last day of the period (inclusive). */
  to: string;
  /** The town asked for, or null for all the caller's towns. */
  town: string | null;
}

/** Counts of one stretch of time. */
export interface FlowCounts {
  /** 受理: admitted cases reported. */
  reported: number;
  /** 立案: cases filed. */
  filed: number;
  /** 派遣: cases dispatched. */
  dispatched: number;
  /** 结案: cases closed. */
  closed: number;
}
export const FLOW_METRICS = ['reported', 'filed', 'dispatched', 'closed'] as const satisfies readonly (keyof FlowCounts)[];
export type FlowMetric = (typeof FLOW_METRICS)[number];

/**
 * A comparison with a base period: the base's counts and the change in percent
 * (`(current − base) / base × 100`, 2 decimals), null where the base is 0 (no base, no change).
 */
export interface Comparison {
  /** First and last day of the base period. */
  from: string;
  to: string;
  counts: FlowCounts;
  change: Record<FlowMetric, number | null>;
}

/** One bucket of a trend: a day, a week (Monday to Sunday) or a calendar month, cut to the period. */
export interface TrendBucket {
  /** First and last day of the bucket inside the period. */
  from: string;
  to: string;
  /** The bucket is cut by the period's ends (a week or month not wholly inside it). */
  partial: boolean;
  counts: FlowCounts;
  /** 同比: the same days a year before. */
  yoy: Comparison;
  /**
   * 环比: the bucket before — the day, the Monday-to-Sunday week or the calendar month before;
   * for a bucket cut by the period's ends, the same number of days just before it.
   */
  pop: Comparison;
}

/** `GET /api/v1/analysis/trend`. */
export interface TrendResponse extends AnalysisScope {
  unit: TrendUnit;
  buckets: TrendBucket[];
  /** The whole period's counts: the sum of the buckets. */
  total: FlowCounts;
  /** 同比 of the whole period: the same days a year before. */
  yoy: Comparison;
  /** 环比 of the whole period: the same number of days just before it. */
  pop: Comparison;
}

/** One slice of a mix. */
export interface MixSlice<K extends string = string> {
  key: K;
  /** In the request's language. */
  name: string;
  count: number;
  /** Share of the period's reported cases in percent (2 decimals); null when there are none. */
  share: number | null;
}

/** `GET /api/v1/analysis/mix`: reported cases by category and by intake channel, largest first. */
export interface MixResponse extends AnalysisScope {
  total: number;
  categories: MixSlice[];
  sources: MixSlice<EventSource>[];
}

/**
 * `GET /api/v1/analysis/hours`: reported cases by weekday and hour of the day (China time).
 * `counts[weekday][hour]`, weekday 0 = Monday … 6 = Sunday, hour 0–23.
 */
export interface HoursResponse extends AnalysisScope {
  total: number;
  counts: number[][];
  /** The busiest cell (first by weekday, then hour, on ties); null when there is no case. */
  peak: { weekday: number; hour: number; count: number } | null;
}

/** A micro-grid inside a hot spot where the item recurred at the very same spot. */
export interface HotSpotMicroGrid {
  id: string;
  name: string;
  count: number;
}

/**
 * A hot spot: a grid where the same item was reported at least `min` times in the period
 * (merged duplicates and voided reports left out).
 */
export interface HotSpot {
  /** 1 = most cases; equal counts share a rank. */
  rank: number;
  gridId: string;
  itemCode: string;
  /** The item's name as the cases were filed (Chinese); the console names it in its language. */
  itemName: string;
  category: string;
  count: number;
  /** Cases still open now. */
  open: number;
  /** The grid as a place the console's map can fly to (`level: 'grid'`, `path` town › village). */
  place: SearchPlace;
  /** `town › village › grid`. */
  placeName: string;
  /** The grid's label point, [lon, lat] WGS84. */
  centroid: [number, number];
  /** Micro-grids where the item recurred itself (≥ 2), most first. */
  microGrids: HotSpotMicroGrid[];
  /** The cases, newest first. */
  caseIds: string[];
  /** Where each case was reported, [lon, lat] WGS84, in the order of `caseIds` (the heat layer). */
  points: Array<[number, number]>;
  /** First and last report. */
  firstAt: string;
  lastAt: string;
}

/** `GET /api/v1/analysis/hot-spots`. */
export interface HotSpotsResponse extends AnalysisScope {
  min: number;
  /** Hot spots found (before `limit`). */
  total: number;
  /** Cases in all hot spots found. */
  cases: number;
  hotSpots: HotSpot[];
}

/** A case on the meeting's agenda. */
export interface AgendaCase {
  id: string;
  itemCode: string;
  itemName: string;
  urgency: Urgency;
  status: EventStatus;
  /** `town › village › grid`. */
  placeName: string;
  address: string;
  reportedAt: string;
  /** The current step's deadline, or the closing deadline; null when neither is set. */
  deadlineAt: string | null;
  /** How late it is at `generatedAt`, in minutes (0 when not late). */
  lateMinutes: number;
  teamName: string | null;
  supervised: boolean;
}

/** A case of the day that repeats an item at the same micro-grid within the previous 30 days. */
export interface AgendaRepeat extends AgendaCase {
  /** The earlier cases of the same item at that micro-grid (newest first). */
  earlierIds: string[];
  /** Of those, the ones closed: the matter came back after it was closed. */
  reopenedAfterClose: number;
}

/** The agenda of the daily analysis meeting (日常研判分析会). */
export interface AgendaResponse {
  date: string;
  town: { id: string; name: string } | null;
  /**
   * The region the agenda is titled after, the root of the caller's scope: the county (a county
   * server, a county user), a city (a city user, a city's platform) or the province.
   */
  area: { id: string; name: string };
  /** When it was made (the server's clock). Overdue and supervised cases are those open then. */
  generatedAt: string;
  /** The hot spots' window: the 7 days ending with `date`. */
  hotSpotWindow: { from: string; to: string };
  summary: {
    /** Admitted cases reported on the day. */
    reported: number;
    /** Cases closed on the day. */
    closed: number;
    hotSpots: number;
    repeats: number;
    overdue: number;
    supervised: number;
  };
  /** Hot spots of the 7 days, most cases first (at most 10), with the day's own count. */
  hotSpots: Array<HotSpot & { onDate: number }>;
  /** Days a repeat looks back for the same item at the same micro-grid. */
  repeatWindowDays: number;
  repeats: AgendaRepeat[];
  /** Open cases past their deadline, latest first. */
  overdue: AgendaCase[];
  /** Open cases under supervision (督办). */
  supervised: AgendaCase[];
}

/** Days back a repeat is looked for. */
export const REPEAT_WINDOW_DAYS = 30;
/** Days the agenda's hot spots cover (ending with the meeting's day). */
export const AGENDA_HOT_SPOT_DAYS = 7;
/** Hot spots on the agenda. */
export const AGENDA_HOT_SPOTS = 10;

/**
 * The period of an analysis query on `today` (the county's day now): `to` defaults to today,
 * `from` to the 30 days ending with `to`. A field problem names the field: `to` before `from`,
 * or a period longer than `MAX_ANALYSIS_DAYS`.
 */
export function analysisPeriod(q: Pick<AnalysisQuery, 'from' | 'to'>, today: string): { from: string; to: string } | { field: 'to' | 'from'; code: 'before_from' | 'too_many_days' } {
  const to = q.to ?? (q.from !== undefined && q.from > today ? q.from : today);
  const from = q.from ?? shiftDay(to, -(DEFAULT_ANALYSIS_DAYS - 1));
  if (to < from) return { field: 'to', code: 'before_from' };
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_ANALYSIS_DAYS) return { field: 'from', code: 'too_many_days' };
  return { from, to };
}

const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
