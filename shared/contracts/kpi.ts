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

export const KPI_GROUPS = ['town', 'village', 'grid', 'team', 'worker'] as const;
export type KpiGroupBy = (typeof KPI_GROUPS)[number];


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
