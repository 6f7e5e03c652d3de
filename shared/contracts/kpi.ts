import { z } from 'zod';

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

/** Query of `GET /api/v1/kpis`: the period [from, to) and an optional grouping. */
export const kpiQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    groupBy: z.enum(KPI_GROUPS).optional(),
  })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'not_after_from' });
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

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
