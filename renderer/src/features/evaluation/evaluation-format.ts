import { platformKpiAreas, type KpiCounts, type KpiExportTable, type KpiGroupBy, type Kpis } from '../../../../shared/contracts/kpi.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';

/** The evaluation screen's tables: the KPI groupings (the areas from the top down), then the grid workers. */
export const EVALUATION_TABS = ['city', 'county', 'town', 'village', 'grid', 'teamType', 'team', 'worker', 'gridWorker'] as const satisfies readonly KpiExportTable[];
export type EvaluationTab = (typeof EVALUATION_TABS)[number];

/**
 * The tables a platform shows, by its root's level (`GET /api/v1/regions` `root.level`): a
 * province's cities and counties, a city's counties, then the rest; a county server none of those.
 */
export function evaluationTabs(rootLevel: string): EvaluationTab[] {
  const areas: readonly string[] = platformKpiAreas(rootLevel);
  return EVALUATION_TABS.filter((t) => (t !== 'city' && t !== 'county') || areas.includes(t));
}

/** What a row of a table drills down to: a city's counties, a county's towns, a town's grids. */
export const DRILL_TO: Readonly<Partial<Record<EvaluationTab, EvaluationTab>>> = { city: 'county', county: 'town', town: 'grid' };

/** The table that ranks the regions one level below a region of the tree (what a breadcrumb back to it opens). */
export function tabBelow(level: RegionNode['level'], tabs: readonly EvaluationTab[]): EvaluationTab {
  const below: EvaluationTab = level === 'province' ? 'city' : level === 'city' ? 'county' : level === 'county' ? 'town' : 'grid';
  return tabs.includes(below) ? below : tabs[0]!;
}

/** The regions from the tree's root down to `id`, both included; [] when `id` is not in the tree. */
export function pathTo(root: RegionNode, id: string): RegionNode[] {
  if (root.id === id) return [root];
  for (const child of root.children ?? []) {
    const below = pathTo(child, id);
    if (below.length > 0) return [root, ...below];
  }
  return [];
}

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

/** The tab of a deep link (`/evaluation?tab=grid&town=…`), or null for the platform's first. */
export function tabFromSearch(search: URLSearchParams): EvaluationTab | null {
  const tab = search.get('tab');
  return (EVALUATION_TABS as readonly string[]).includes(tab ?? '') ? (tab as EvaluationTab) : null;
}

/** The county or city of a deep link (`/evaluation?tab=town&area=…`), or '' for none. */
export function areaFromSearch(search: URLSearchParams): string {
  const area = search.get('area');
  return area && /^\d{6}$/.test(area) ? area : '';
}
