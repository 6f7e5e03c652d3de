import type { KpiCounts } from '../../../../shared/contracts/kpi.js';
import { countyDate, OVERVIEW_TREND_DAYS, type OverviewCategory, type OverviewResponse, type OverviewUnit, type OverviewUnitLevel } from '../../../../shared/contracts/overview.js';
import { DAY_MS } from '../../../../shared/contracts/period.js';
import { computeKpis } from '../../../../shared/domain/kpi.js';
import type { KpiCountRow } from '../kpi/kpi.repo.js';
import { addKpiCounts, rankGroups, ZERO_KPI_COUNTS } from '../kpi/kpi.service.js';
import type { CategoryCount, DayCount, FlowCounts, TownCounts, UnitRow } from './overview.repo.js';

/** Everything the overview is built from, counted for one day and one scope. */
export interface OverviewInput {
  day: { date: string; from: Date; to: Date };
  now: Date;
  townId: string | null;
  flows: FlowCounts;
  state: { inProgress: number; overdueNow: number };
  teams: { total: number; onDuty: number };
  reportedPerDay: DayCount[];
  closedPerDay: DayCount[];
  categories: CategoryCount[];
  /** The KPI counts of the day over the whole scope (`KpiRepo.counts` without grouping). */
  kpiTotal: KpiCounts;
  /** The KPI counts of the day per town (`KpiRepo.counts` grouped by town); towns without cases are missing. */
  kpiTowns: KpiCountRow[];
  towns: TownCounts[];
  /**
   * The counties and cities above the towns (`OverviewRepo.units`), for the ranking of a
   * platform; omitted (or empty) on a county server and for one town.
   */
  units?: { counties: UnitRow[]; cities: UnitRow[] };
  /** A category's names in both UI languages, from the catalog version one of its cases was taken in under. */
  categoryName(row: CategoryCount): { name: string; nameEn: string };
}

/**
 * What a platform's wall ranks: its cities when it holds several, else its counties when it
 * holds several; nothing on a county server (its towns are the ranking).
 */
export function unitLevelOf(units: { counties: readonly UnitRow[]; cities: readonly UnitRow[] }): OverviewUnitLevel | null {
  if (units.cities.length > 1) return 'city';
  if (units.counties.length > 1) return 'county';
  return null;
}

/**
 * The counties or cities ranked by the KPIs of their towns summed: an on-time rate is the
 * closed-on-time of all its towns over their due, not an average of the towns' rates (a town
 * with one case due would weigh as much as one with a hundred). Units without a town of the
 * caller's scope are left out.
 */
export function rankUnits(units: readonly UnitRow[], towns: readonly TownCounts[], kpiByTown: ReadonlyMap<string, KpiCounts>): OverviewUnit[] {
  const facts = new Map(towns.map((t) => [t.townId, t]));
  const rows: Array<{ unit: UnitRow; reported: number; closed: number; overdueNow: number; counts: KpiCounts }> = [];
  for (const unit of units) {
    const row = { unit, reported: 0, closed: 0, overdueNow: 0, counts: ZERO_KPI_COUNTS };
    let held = false;
    for (const townId of unit.towns) {
      const t = facts.get(townId);
      if (!t) continue;
      held = true;
      row.reported += t.reported;
      row.closed += t.closed;
      row.overdueNow += t.overdueNow;
      row.counts = addKpiCounts(row.counts, kpiByTown.get(townId) ?? ZERO_KPI_COUNTS);
    }
    if (held) rows.push(row);
  }
  const byId = new Map(rows.map((r) => [r.unit.unitId, r]));
  return rankGroups(rows.map((r) => ({ key: r.unit.unitId, name: r.unit.name, counts: r.counts, kpis: computeKpis(r.counts) }))).map((ranked) => {
    const r = byId.get(ranked.key)!;
    return {
      unitId: r.unit.unitId,
      name: r.unit.name,
      level: r.unit.level,
      reported: r.reported,
      closed: r.closed,
      overdueNow: r.overdueNow,
      onTimeRate: ranked.kpis.onTimeClosureRate,
      rank: ranked.rank,
    };
  });
}

/** The first day of the trend that ends with `from`'s day. */
export function trendStart(from: Date): Date {
  return new Date(from.getTime() - (OVERVIEW_TREND_DAYS - 1) * DAY_MS);
}

/**
 * The `GET /api/v1/overview` answer: the trend with a row for every day (zero where nothing
 * happened), the categories summed over their items and versions, most first, and the towns
 * ranked by their KPIs of the day as `GET /api/v1/kpis?groupBy=town` ranks them.
 */
export function buildOverview(input: OverviewInput): OverviewResponse {
  const reported = new Map(input.reportedPerDay.map((d) => [d.date, d.count]));
  const closed = new Map(input.closedPerDay.map((d) => [d.date, d.count]));
  const start = trendStart(input.day.from).getTime();
  const trend = Array.from({ length: OVERVIEW_TREND_DAYS }, (_, i) => {
    const date = countyDate(new Date(start + i * DAY_MS));
    return { date, reported: reported.get(date) ?? 0, closed: closed.get(date) ?? 0 };
  });

  const categories = new Map<string, OverviewCategory>();
  for (const row of input.categories) {
    const held = categories.get(row.category);
    if (held) held.count += row.count;
    else categories.set(row.category, { category: row.category, ...input.categoryName(row), count: row.count });
  }

  const kpiByTown = new Map(input.kpiTowns.map((r) => [r.key, r.counts]));
  const facts = new Map(input.towns.map((t) => [t.townId, t]));
  const ranked = rankGroups(
    input.towns.map((t) => {
      const counts = kpiByTown.get(t.townId) ?? ZERO_KPI_COUNTS;
      return { key: t.townId, name: t.name, counts, kpis: computeKpis(counts) };
    }),
  );

  const unitLevel = input.units && input.townId === null ? unitLevelOf(input.units) : null;
  const unitRows = unitLevel === 'city' ? input.units!.cities : unitLevel === 'county' ? input.units!.counties : [];

  return {
    date: input.day.date,
    from: input.day.from.toISOString(),
    to: input.day.to.toISOString(),
    asOf: input.now.toISOString(),
    townId: input.townId,
    figures: {
      ...input.flows,
      inProgress: input.state.inProgress,
      onTimeRate: computeKpis(input.kpiTotal).onTimeClosureRate,
      overdueNow: input.state.overdueNow,
      teamsOnDuty: input.teams.onDuty,
    },
    teamsTotal: input.teams.total,
    trend,
    categories: [...categories.values()].sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    towns: ranked.map((r) => {
      const t = facts.get(r.key)!;
      return { townId: t.townId, name: t.name, reported: t.reported, closed: t.closed, overdueNow: t.overdueNow, onTimeRate: r.kpis.onTimeClosureRate, rank: r.rank };
    }),
    unitLevel,
    units: unitLevel ? rankUnits(unitRows, input.towns, kpiByTown) : [],
  };
}
