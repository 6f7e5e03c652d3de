import { EMPLOYMENTS, type EmploymentTotals, type GridWorkerResponse, type GridWorkerRow, type KpiCounts, type KpiGroupBy, type KpiResponse, type KpiRow, type Kpis } from '../../../../shared/contracts/kpi.js';
import { computeKpis } from '../../../../shared/domain/kpi.js';
import type { GridWorkerCountRow, KpiCountRow } from './kpi.repo.js';

/** No cases: the start of a sum of counts. */
export const ZERO_KPI_COUNTS: KpiCounts = { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 };

/** Two groups' counts summed (a rate over a sum, never an average of rates). */
export const addKpiCounts = (a: KpiCounts, b: KpiCounts): KpiCounts => ({
  accepted: a.accepted + b.accepted,
  filed: a.filed + b.filed,
  dispatched: a.dispatched + b.dispatched,
  due: a.due + b.due,
  closed: a.closed + b.closed,
  closedOnTime: a.closedOnTime + b.closedOnTime,
  rework: a.rework + b.rework,
  extended: a.extended + b.extended,
});

/**
 * Town rows rolled up into the areas that hold them (a town's county or city, as `areaOf` reads
 * it from the region tree): each area's counts are its towns' summed with addKpiCounts, so a
 * county's rates are computed over the sum, never averaged, and the areas add up to the same
 * total as the towns. A town `areaOf` cannot place (a boundary import removed it) is left out.
 */
export function rollUpTowns(rows: readonly KpiCountRow[], areaOf: (townId: string) => { id: string; name: string } | null): KpiCountRow[] {
  const areas = new Map<string, KpiCountRow>();
  for (const r of rows) {
    const area = areaOf(r.key);
    if (!area) continue;
    const sum = areas.get(area.id);
    if (sum) {
      sum.counts = addKpiCounts(sum.counts, r.counts);
      sum.autoDispatched += r.autoDispatched;
    } else {
      areas.set(area.id, { key: area.id, name: area.name, counts: r.counts, autoDispatched: r.autoDispatched });
    }
  }
  return [...areas.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Percent with 2 decimals, null when nothing was dispatched (same convention as computeKpis). */
const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 100);

/** Higher is better; a group without due cases (null rates) sorts after every group with some. */
function compare(a: Kpis, b: Kpis): number {
  const by = (x: number | null, y: number | null) => (x === null ? (y === null ? 0 : 1) : y === null ? -1 : y - x);
  if (a.onTimeClosureRate === null || b.onTimeClosureRate === null) return by(a.onTimeClosureRate, b.onTimeClosureRate);
  return by(a.onTimeClosureRate, b.onTimeClosureRate) || by(a.closureRate, b.closureRate);
}

/**
 * Ranks groups by on-time closure rate, then closure rate (domain.md §5: evaluations per area,
 * team and person, with ranking). Equal rates share a rank (1, 2, 2, 4); groups without due
 * cases share the last rank. Within a rank, by name.
 */
export function rankGroups(rows: Array<Omit<KpiRow, 'rank'>>): KpiRow[] {
  const sorted = [...rows].sort((a, b) => compare(a.kpis, b.kpis) || a.name.localeCompare(b.name, 'zh-CN') || a.key.localeCompare(b.key));
  const ranked: KpiRow[] = [];
  sorted.forEach((row, i) => {
    const prev = ranked[i - 1];
    const rank = prev && compare(prev.kpis, row.kpis) === 0 ? prev.rank : i + 1;
    ranked.push({ ...row, rank });
  });
  return ranked;
}

/**
 * The `GET /api/v1/kpis` answer from the counted rows. With a grouping, the total is the sum of
 * the groups (every counted case falls in exactly one group); `unnamed` names the '' group
 * (cases without a team or a recorded handler) in the request's language.
 */
export function buildKpiResponse(
  query: { from: string; to: string; groupBy: KpiGroupBy | null },
  rows: KpiCountRow[],
  unnamed: string,
): KpiResponse {
  const counts = rows.reduce((sum, r) => addKpiCounts(sum, r.counts), ZERO_KPI_COUNTS);
  const auto = rows.reduce((sum, r) => sum + r.autoDispatched, 0);
  const groups = query.groupBy
    ? rankGroups(rows.map((r) => ({ key: r.key, name: r.name ?? unnamed, counts: r.counts, kpis: computeKpis(r.counts) })))
    : [];
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    total: { counts, kpis: computeKpis(counts) },
    autoDispatch: { dispatched: counts.dispatched, auto, share: percent(auto, counts.dispatched) },
    groups,
  };
}

/** Reports per 100 households, 2 decimals; null without households. */
const per100 = (reported: number, households: number): number | null => (households === 0 ? null : Math.round((reported / households) * 10_000) / 100);

/** More reports per 100 households first, then more reports; no households (null) last. */
function compareWorkers(a: Pick<GridWorkerRow, 'per100Households' | 'reported'>, b: Pick<GridWorkerRow, 'per100Households' | 'reported'>): number {
  if (a.per100Households === null || b.per100Households === null) {
    if (a.per100Households !== b.per100Households) return a.per100Households === null ? 1 : -1;
  } else if (a.per100Households !== b.per100Households) return b.per100Households - a.per100Households;
  return b.reported - a.reported;
}

/**
 * The grid workers' evaluation: each worker's reports normalised per 100 households of their
 * grid, ranked (equal figures share a rank; within a rank by name), beside their grid's KPIs;
 * and the totals of full-time and part-time workers.
 */
export function buildGridWorkerResponse(
  query: { from: string; to: string; town: string | null },
  rows: GridWorkerCountRow[],
  gridCounts: ReadonlyMap<string, KpiCounts>,
): GridWorkerResponse {
  const workers = rows
    .map((r) => {
      const counts = gridCounts.get(r.gridId) ?? ZERO_KPI_COUNTS;
      return {
        id: r.id,
        name: r.name,
        employment: r.employment,
        gridId: r.gridId,
        placeName: r.placeName,
        townId: r.townId,
        households: r.households,
        gridWorkers: r.gridWorkers,
        reported: r.reported,
        selfHandled: r.selfHandled,
        per100Households: per100(r.reported, r.households),
        grid: { counts, kpis: computeKpis(counts) },
        rank: 0,
      };
    })
    .sort((a, b) => compareWorkers(a, b) || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  workers.forEach((w, i) => {
    const prev = workers[i - 1];
    w.rank = prev && compareWorkers(prev, w) === 0 ? prev.rank : i + 1;
  });
  const employment = EMPLOYMENTS.map((e): EmploymentTotals => {
    const of = workers.filter((w) => w.employment === e);
    const reported = of.reduce((s, w) => s + w.reported, 0);
    const households = of.reduce((s, w) => s + w.households, 0);
    return {
      employment: e,
      workers: of.length,
      reported,
      selfHandled: of.reduce((s, w) => s + w.selfHandled, 0),
      households,
      per100Households: per100(reported, households),
      perWorker: of.length === 0 ? null : Math.round((reported / of.length) * 100) / 100,
    };
  });
  return { ...query, workers, employment };
}
