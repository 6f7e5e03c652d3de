import type { KpiCounts, KpiExportTable, KpiGroupBy, Kpis } from '../../../../shared/contracts/kpi.js';

/** The evaluation screen's tables: the KPI groupings, then the grid workers. */
export const EVALUATION_TABS = ['town', 'village', 'grid', 'teamType', 'team', 'worker', 'gridWorker'] as const satisfies readonly KpiExportTable[];
export type EvaluationTab = (typeof EVALUATION_TABS)[number];

export const isKpiTab = (tab: EvaluationTab): tab is Exclude<EvaluationTab, 'gridWorker'> & KpiGroupBy => tab !== 'gridWorker';

export const COUNT_COLUMNS = ['accepted', 'filed', 'dispatched', 'due', 'closed', 'closedOnTime', 'rework', 'extended'] as const satisfies readonly (keyof KpiCounts)[];
export const RATE_COLUMNS = ['filingRate', 'dispatchRate', 'closureRate', 'onTimeClosureRate', 'reworkRate', 'extensionRate'] as const satisfies readonly (keyof Kpis)[];

/** A rate in percent with two decimals, or '—' without a denominator (no case is neither 0 % nor 100 %). */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${rate.toFixed(2)}%`;
}

/** A figure per 100 households or per worker: two decimals, or '—'. */
export function formatRatio(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

/** One page of a ranked list: its rows and where it sits in the whole. */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; page: number; pages: number; from: number; to: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = rows.slice(p * size, p * size + size);
  return { rows: slice, page: p, pages, from: rows.length === 0 ? 0 : p * size + 1, to: p * size + slice.length };
}

/** Tabs and town from a deep link (`/evaluation?tab=grid&town=…`); what is not valid keeps its default. */
export function tabFromSearch(search: URLSearchParams): EvaluationTab {
  const tab = search.get('tab');
  return (EVALUATION_TABS as readonly string[]).includes(tab ?? '') ? (tab as EvaluationTab) : 'town';
}
