import { z } from 'zod';
import { DAY_MS, dayStartOf, periodStart } from './period.js';

/** How many days the overview's trend covers: the day asked for and the six before it. */
export const OVERVIEW_TREND_DAYS = 7;

/**
 * Query of `GET /api/v1/overview`: the county's day (China time, `YYYY-MM-DD`; default today on
 * the server's clock) and optionally one town of the caller's scope (the wall's town view).
 */
export const overviewQuerySchema = z
  .object({
    date: z.iso.date().optional(),
    town: z
      .string()
      .regex(/^\d{9}$/)
      .optional(),
  })
  .strict();
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/** The China calendar day (`YYYY-MM-DD`) that holds `at`. */
export function countyDate(at: Date): string {
  return new Date(dayStartOf(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The day [from, to) named by `date`, or today's (China time) on `now` without one. */
export function overviewDay(date: string | undefined, now: Date): { date: string; from: Date; to: Date } {
  const from = date === undefined ? dayStartOf(now) : periodStart(date);
  return { date: countyDate(from), from, to: new Date(from.getTime() + DAY_MS) };
}

/**
 * Today's figures of the wall. The flow figures count what happened during the day; the state
 * figures (`inProgress`, `overdueNow`, `teamsOnDuty`) are the situation at `asOf`, whatever day
 * was asked for.
 */
export interface OverviewFigures {
  /** 上报: cases reported during the day through any channel, whatever their state now (not-admitted ones included). */
  reported: number;
  /** 立案: cases filed during the day (by hand, by the machine, or self-handled on the spot). */
  filed: number;
  /** 派遣: cases whose (latest) dispatch to a team fell on the day. */
  dispatched: number;
  /** 处置中: cases dispatched and not yet closed, now (待签收, 已签收, 处置中, 已反馈, 已核查). */
  inProgress: number;
  /** 结案: cases closed during the day, whenever reported. */
  closed: number;
  /**
   * 按期结案率 of the day, in percent: `computeKpis(…).onTimeClosureRate` over the KPI counts of the
   * day, the same number `GET /api/v1/kpis?from=<date>&to=<date>` gives. Null when no case was due.
   */
  onTimeRate: number | null;
  /** 超期: open cases whose current step is past its deadline, now. */
  overdueNow: number;
  /** 在岗队伍: teams of the scope (county units included) not off duty, now. */
  teamsOnDuty: number;
}

/** One day of the trend. */
export interface OverviewTrendDay {
  date: string;
  reported: number;
  closed: number;
}

/** One category of the day's reported cases, named in both UI languages. */
export interface OverviewCategory {
  category: string;
  name: string;
  nameEn: string;
  count: number;
}

/** One town of the ranking. */
export interface OverviewTown {
  townId: string;
  name: string;
  reported: number;
  closed: number;
  overdueNow: number;
  /** The town's on-time closure rate of the day (as `GET /api/v1/kpis?groupBy=town`); null when nothing was due. */
  onTimeRate: number | null;
  /** 1 = best, ranked as the KPI groups are (on-time closure, then closure rate; equal rates share a rank; towns with nothing due last). */
  rank: number;
}

/**
 * The administrative unit the wall ranks on a platform of several counties: the counties of a
 * city (市级平台), the cities of a province. A county server ranks its towns only.
 */
export type OverviewUnitLevel = 'county' | 'city';

/** One county or city of the ranking: the columns of a town, summed over its towns. */
export interface OverviewUnit {
  /** The county's or city's region id (its 6-digit code). */
  unitId: string;
  name: string;
  level: OverviewUnitLevel;
  reported: number;
  closed: number;
  overdueNow: number;
  /** On-time closure rate of the day over the unit's towns' KPI counts summed (not an average of rates); null when nothing was due. */
  onTimeRate: number | null;
  /** 1 = best, ranked as `towns` is. */
  rank: number;
}

/** The answer of `GET /api/v1/overview`. */
export interface OverviewResponse {
  /** The day, China time. */
  date: string;
  /** The day as instants, [from, to). */
  from: string;
  to: string;
  /** The server's clock when the figures were counted: the instant of the state figures. */
  asOf: string;
  /** The town asked for, or null for the caller's whole scope. */
  townId: string | null;
  figures: OverviewFigures;
  /** Teams of the scope in all (`figures.teamsOnDuty` of them on duty). */
  teamsTotal: number;
  /** The `OVERVIEW_TREND_DAYS` days ending with `date`, oldest first. */
  trend: OverviewTrendDay[];
  /** Categories of the day's reported cases, most first. */
  categories: OverviewCategory[];
  /** Every town of the scope (or the one asked for), best first. */
  towns: OverviewTown[];
  /**
   * What `units` ranks: the counties on a platform of one city's counties, the cities on one of
   * several cities; null on a county server and for one town (`units` is then empty).
   */
  unitLevel: OverviewUnitLevel | null;
  /** The counties or cities holding the scope's towns, best first (the wall's ranking on a platform). */
  units: OverviewUnit[];
}
