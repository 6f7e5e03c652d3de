import { z } from 'zod';
import { DAY_MS, dayOrInstantSchema, dayStartOf, periodEnd, periodStart } from './period.js';

/** Counts the KPIs are computed from (domain.md §5). */
export interface KpiCounts {
  /** 受理: admitted cases reported in the period. */
  accepted: number;
  /** 立案: of those, filed. */
  filed: number;
  /** 派遣: of the filed, dispatched. */
  dispatched: number;
  /** 应结案: cases whose closing deadline falls in the period, carry-overs included. */
  due: number;
  /** 结案: of the due, closed. */
  closed: number;
  /** 按期结案: of the due, closed by their deadline. */
  closedOnTime: number;
  /** 返工: of the due, sent back for rework at least once. */
  rework: number;
  /** 延期: of the due, extended at least once. */
  extended: number;
}

/** Rates in percent. A rate whose denominator is 0 is null (no cases, not 0 % or 100 %). */
export interface Kpis {
  filingRate: number | null;
  dispatchRate: number | null;
  closureRate: number | null;
  onTimeClosureRate: number | null;
  reworkRate: number | null;
  extensionRate: number | null;
}

/**
 * Groupings of `GET /api/v1/kpis`: areas (town, village, grid), the dispatched team, the team's
 * type (综合执法, 网格员…; '' for cases never dispatched) and the handler who reported back; on a
 * platform of several counties also the town's county, and on a province's the town's city
 * (PLATFORM_KPI_GROUPS says which platform has which).
 */
export const KPI_GROUPS = ['city', 'county', 'town', 'village', 'grid', 'team', 'worker', 'teamType'] as const;
export type KpiGroupBy = (typeof KPI_GROUPS)[number];

/** The area levels a KPI grouping or an `area` filter can name above the town. */
export const KPI_AREA_LEVELS = ['city', 'county'] as const;
export type KpiAreaLevel = (typeof KPI_AREA_LEVELS)[number];

/**
 * Which of the upper groupings a platform has, by its root's level (`GET /api/v1/regions`
 * `root.level`): a county server none, a city's platform its counties, a province's its cities
 * and counties. Asking for another is a 400 naming `groupBy`.
 */
export function platformKpiAreas(rootLevel: string): readonly KpiAreaLevel[] {
  if (rootLevel === 'province') return ['city', 'county'];
  if (rootLevel === 'city') return ['county'];
  return [];
}

/**
 * Query of `GET /api/v1/kpis`: the period [from, to) and an optional grouping. `from` and `to` are
 * instants, or plain days: a day as `from` means its start, as `to` its end (so
 * `from=2026-12-01&to=2026-12-01` is that whole day). Without `from` the period starts today; without
 * `to` it ends at the end of `from`'s day (today, by default). Resolve with `kpiPeriod`.
 */
export const kpiQuerySchema = z
  .object({
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
    groupBy: z.enum(KPI_GROUPS).optional(),
    /**
     * One town of the caller's scope (403 `out_of_scope` outside it): the figures of that town
     * only, e.g. `town=…&groupBy=grid` drills down from a town to its grids.
     */
    town: z.string().regex(/^\d{9}$/).optional(),
    /**
     * One county or city (an id of `GET /api/v1/regions`) holding towns of the caller's scope (403
     * `out_of_scope` when it holds none): the figures of its towns in the scope only, e.g.
     * `area=<county>&groupBy=town` drills down from a county to its towns. Not with `town`.
     */
    area: z.string().regex(/^\d{6}$/).optional(),
  })
  .strict();
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/**
 * The period [from, to) of a KPI query, given the server's `now`; null when `to` is not after
 * `from`. Days are the county's (China time).
 */
export function kpiPeriod(q: Pick<KpiQuery, 'from' | 'to'>, now: Date): { from: Date; to: Date } | null {
  const from = q.from === undefined ? dayStartOf(now) : periodStart(q.from);
  const to = q.to === undefined ? new Date(dayStartOf(from).getTime() + DAY_MS) : periodEnd(q.to);
  return from < to ? { from, to } : null;
}

export interface KpiRow {
  /** Region, team or user id. */
  key: string;
  name: string;
  counts: KpiCounts;
  kpis: Kpis;
  /** 1 = best on-time closure rate (then closure rate); groups without due cases rank last. */
  rank: number;
}

export interface KpiResponse {
  from: string;
  to: string;
  groupBy: KpiGroupBy | null;
  total: { counts: KpiCounts; kpis: Kpis };
  /** Share of dispatched cases (reported in the period) that the machine dispatched. */
  autoDispatch: { dispatched: number; auto: number; share: number | null };
  groups: KpiRow[];
}

/**
 * The tables `GET /api/v1/kpis/export.xlsx` exports: a KPI grouping, or the grid workers'
 * evaluation (`gridWorker`, the table of `GET /api/v1/kpis/grid-workers`).
 */
export const KPI_EXPORT_TABLES = [...KPI_GROUPS, 'gridWorker'] as const;
export type KpiExportTable = (typeof KPI_EXPORT_TABLES)[number];

/** Query of `GET /api/v1/kpis/export.xlsx`: the KPI query, `groupBy` also `gridWorker` (default `town`). */
export const kpiExportQuerySchema = kpiQuerySchema.extend({ groupBy: z.enum(KPI_EXPORT_TABLES).optional() }).strict();
export type KpiExportQuery = z.infer<typeof kpiExportQuerySchema>;

/** Query of `GET /api/v1/kpis/grid-workers`: the period and the town, as `GET /api/v1/kpis`. */
export const gridWorkerQuerySchema = kpiQuerySchema.omit({ groupBy: true }).strict();
export type GridWorkerQuery = z.infer<typeof gridWorkerQuerySchema>;

export const EMPLOYMENTS = ['full_time', 'part_time'] as const;
export type Employment = (typeof EMPLOYMENTS)[number];

/**
 * One grid worker (网格员) evaluated over a period. Workers are people of the county's roster,
 * not user accounts: what links them to cases is the phone they report from (a grid patrol
 * report carries the worker's phone), so `reported` and `selfHandled` are their own; the
 * closed-loop figures (`grid`) are those of the cases of their grid, shared by its workers.
 */
export interface GridWorkerRow {
  id: string;
  name: string;
  employment: Employment;
  gridId: string;
  /** `town › village › grid`. */
  placeName: string;
  townId: string;
  /** Households of the grid (through its micro-grids). */
  households: number;
  /** Workers of the same grid. */
  gridWorkers: number;
  /** 巡查上报: grid patrol reports from the worker's phone in the period (not-admitted ones too: reporting is the work). */
  reported: number;
  /** 自行处置: of those, fixed on the spot by the worker. */
  selfHandled: number;
  /** 每百户上报: `reported` per 100 households of the grid (2 decimals); null for a grid without households. */
  per100Households: number | null;
  /** The grid's cases: KPI counts and rates of domain.md §5 over the same period. */
  grid: { counts: KpiCounts; kpis: Kpis };
  /** 1 = most reports per 100 households (then most reports); equal figures share a rank; grids without households last. */
  rank: number;
}

/** Totals of the full-time or the part-time workers. */
export interface EmploymentTotals {
  employment: Employment;
  workers: number;
  reported: number;
  selfHandled: number;
  /** Households of their grids, counted once per worker (a grid's two workers both serve it). */
  households: number;
  /** `reported` per 100 of those households; null without households. */
  per100Households: number | null;
  /** Average reports per worker; null without workers. */
  perWorker: number | null;
}

/** `GET /api/v1/kpis/grid-workers`: the grid workers of the caller's towns (or the town asked for), ranked. */
export interface GridWorkerResponse {
  from: string;
  to: string;
  town: string | null;
  workers: GridWorkerRow[];
  employment: EmploymentTotals[];
}
