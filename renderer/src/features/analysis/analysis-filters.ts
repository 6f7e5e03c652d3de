import { MAX_ANALYSIS_DAYS, DEFAULT_ANALYSIS_DAYS, TREND_UNITS, type TrendUnit } from '../../../../shared/contracts/analysis.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import { addDays, chinaDayOf, daysBetween, monthStart } from '../../../../shared/domain/calendar-days.js';

/** The filters every chart of the analysis screen shares: one period, one unit, one town. */
export interface AnalysisFilters {
  unit: TrendUnit;
  /** First and last day, `YYYY-MM-DD` (China time), both inclusive. */
  from: string;
  to: string;
  /** A town id, or '' for all the user's towns. */
  town: string;
}

/** The county's day now (China time), whatever the machine's zone. */
export const countyToday = (now: number = Date.now()): string => chinaDayOf(new Date(now));

export function defaultFilters(today: string): AnalysisFilters {
  return { unit: 'day', from: addDays(today, -(DEFAULT_ANALYSIS_DAYS - 1)), to: today, town: '' };
}

export const QUICK_RANGES = ['d7', 'd30', 'd90', 'month', 'year'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

/** The days a quick range covers, ending today; the unit that reads it best. */
export function quickRange(range: QuickRange, today: string): Pick<AnalysisFilters, 'from' | 'to' | 'unit'> {
  switch (range) {
    case 'd7':
      return { from: addDays(today, -6), to: today, unit: 'day' };
    case 'd30':
      return { from: addDays(today, -29), to: today, unit: 'day' };
    case 'd90':
      return { from: addDays(today, -89), to: today, unit: 'week' };
    case 'month':
      return { from: monthStart(today), to: today, unit: 'day' };
    case 'year':
      return { from: `${today.slice(0, 4)}-01-01`, to: today, unit: 'month' };
  }
}

/** Which quick range the filters are, if any (the button shown pressed). */
export function activeQuickRange(f: AnalysisFilters, today: string): QuickRange | null {
  return QUICK_RANGES.find((r) => {
    const q = quickRange(r, today);
    return q.from === f.from && q.to === f.to;
  }) ?? null;
}

export type FilterProblem = { field: 'to'; key: 'toBeforeFrom' } | { field: 'from'; key: 'tooLong' };

/** What is wrong with the period, as the server would say it; null when it can be asked for. */
export function filterProblem(f: Pick<AnalysisFilters, 'from' | 'to'>): FilterProblem | null {
  if (f.to < f.from) return { field: 'to', key: 'toBeforeFrom' };
  if (daysBetween(f.from, f.to) + 1 > MAX_ANALYSIS_DAYS) return { field: 'from', key: 'tooLong' };
  return null;
}

const isDay = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Filters from a deep link (`/analysis?from=…&to=…&unit=…&town=…`): what is well formed is
 * taken, the rest keeps its default, so a bookmark opens on the same view.
 */
export function filtersFromSearch(search: URLSearchParams, today: string): AnalysisFilters {
  const f = defaultFilters(today);
  const from = search.get('from');
  const to = search.get('to');
  const unit = search.get('unit');
  const town = search.get('town');
  if (isDay(to)) f.to = to;
  if (isDay(from)) f.from = from;
  else if (isDay(to)) f.from = addDays(to, -(DEFAULT_ANALYSIS_DAYS - 1));
  if ((TREND_UNITS as readonly string[]).includes(unit ?? '')) f.unit = unit as TrendUnit;
  if (town && /^\d{9}$/.test(town)) f.town = town;
  return f;
}

/** The API query of the filters (`town` left out for all towns). */
export function apiQuery(f: Pick<AnalysisFilters, 'from' | 'to' | 'town'>): Record<string, string | undefined> {
  return { from: f.from, to: f.to, town: f.town || undefined };
}

export const periodDays = (f: Pick<AnalysisFilters, 'from' | 'to'>): number => daysBetween(f.from, f.to) + 1;

/**
 * Every town of the tree in tree order, named for a picker: on a platform of several counties
 * with its county first (`高田县 城北街道`), since a city's towns repeat names across counties.
 */
export function townChoicesOf(root: RegionNode): Array<{ id: string; name: string }> {
  const out: Array<{ id: string; name: string }> = [];
  const walk = (n: RegionNode, county: string | null) => {
    if (n.level === 'town') out.push({ id: n.id, name: county && root.level !== 'county' ? `${county} ${n.name}` : n.name });
    else n.children?.forEach((c) => walk(c, n.level === 'county' ? n.name : county));
  };
  walk(root, null);
  return out;
}
