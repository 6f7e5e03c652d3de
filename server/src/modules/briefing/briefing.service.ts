import {
  BRIEFING_LIST_LIMIT,
  BRIEFING_MAX_DAYS,
  BRIEFING_MAX_MS,
  BRIEFING_NOTABLE_LIMIT,
  BRIEFING_RANKING_LIMIT,
  type BriefingCase,
  type BriefingCounts,
  type BriefingFigures,
  type BriefingNotable,
  type BriefingQuery,
  type BriefingResponse,
  briefingAreaLevel,
  type BriefingArea,
  type BriefingAreaLevel,
} from '../../../../shared/contracts/briefing.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import { DAY_MS } from '../../../../shared/contracts/period.js';
import { kpiPeriod, type KpiCounts } from '../../../../shared/contracts/kpi.js';
import type { Shift } from '../../../../shared/contracts/settings.js';
import { computeKpis } from '../../../../shared/domain/kpi.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { previousShift, sameShiftWeekBefore, shiftAt, shiftEndingNear, shiftIssue, shiftSpanning, type ShiftOccurrence } from '../../../../shared/domain/shifts.js';
import { ApiHttpError } from '../../http/errors.js';
import { scopeTowns } from '../events/event-view.js';
import type { KpiRepo } from '../kpi/kpi.repo.js';
import { addKpiCounts, ZERO_KPI_COUNTS } from '../kpi/kpi.service.js';
import type { IndexedRegion, RegionIndex } from '../regions/region-index.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import type { AreaRow, BriefingRepo, CaseSheetRow, MapEventRow, StandingRow } from './briefing.repo.js';

const ZERO: BriefingCounts = { reported: 0, notAdmitted: 0, filed: 0, dispatched: 0, closed: 0, closedOnTime: 0, open: 0, overdueOpen: 0, nearDeadline: 0, supervisedOpen: 0 };

export interface Period {
  from: Date;
  to: Date;
}

/**
 * The period of a briefing query on the server's clock: the bounds as `GET /api/v1/kpis` reads
 * them, or, with neither, the shift ending near `now`. 400 naming `to` when the period is empty
 * or longer than BRIEFING_MAX_DAYS.
 */
export function briefingPeriod(q: BriefingQuery, now: Date, shifts: readonly Shift[]): Period {
  let period: Period | null;
  if (q.from === undefined && q.to === undefined) {
    const shift = shiftEndingNear(shifts, now);
    period = { from: shift.startsAt, to: shift.endsAt };
  } else {
    period = kpiPeriod(q, now);
  }
  if (!period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
  if (period.to.getTime() - period.from.getTime() > BRIEFING_MAX_MS) {
    throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'period_too_long', params: { days: BRIEFING_MAX_DAYS } }]);
  }
  return period;
}

/** The standing counts of a set of cases open at `asOf`. */
function standingCounts(rows: readonly StandingRow[], asOf: string, nearUntil: string): Pick<BriefingCounts, 'open' | 'overdueOpen' | 'nearDeadline' | 'supervisedOpen'> {
  let overdueOpen = 0;
  let nearDeadline = 0;
  let supervisedOpen = 0;
  for (const r of rows) {
    if (r.dueAt !== null && r.dueAt < asOf) overdueOpen++;
    else if (r.dueAt !== null && r.dueAt < nearUntil) nearDeadline++;
    if (r.supervised) supervisedOpen++;
  }
  return { open: rows.length, overdueOpen, nearDeadline, supervisedOpen };
}

const addCounts = (a: BriefingCounts, b: BriefingCounts): BriefingCounts =>
  Object.fromEntries(Object.keys(ZERO).map((k) => [k, a[k as keyof BriefingCounts] + b[k as keyof BriefingCounts]])) as unknown as BriefingCounts;

/** A case as the lists give it (the map's coordinates left out). */
const listed = ({ lon: _lon, lat: _lat, ...c }: StandingRow): BriefingCase => c;

/** A town's row, before it is rolled up into its county or city. */
interface TownFigures {
  townId: string;
  name: string;
  counts: BriefingCounts;
  kpiCounts: KpiCounts;
}

interface Figures extends BriefingFigures {
  byTown: TownFigures[];
  standing: StandingRow[];
  nearDeadlineUntil: string;
}

/** The region a scope's briefing is named after, and the level it ranks. */
interface Frame {
  root: IndexedRegion | null;
  level: BriefingAreaLevel;
}

/**
 * The shift briefing (交班简报): the figures of a period in the caller's towns, against the shift
 * before and the same shift a week before, the open cases that the next shift inherits, what
 * stood out, and who did what. Named and drawn after the root of the caller's scope (its county,
 * its city, the platform's root: RegionIndex.rootOf), it ranks the areas one level below it:
 * towns, counties or cities. Pure reads; every count is defined in docs/WORKFLOW.md.
 */
export class BriefingService {
  constructor(private readonly deps: { repo: BriefingRepo; kpis: KpiRepo; regions: RegionIndex; settings: SettingsRepo }) {}

  async shifts(): Promise<readonly Shift[]> {
    return (await this.deps.settings.shifts()).shifts;
  }

  private frame(scope: Scope): Frame {
    const root = this.deps.regions.rootOf(scope);
    return { root, level: briefingAreaLevel(root?.level ?? 'county') };
  }

  /** The area of `level` a town lies in (the town itself at town level); null for a town the tree cannot place. */
  private areaOf(town: string, level: BriefingAreaLevel): string | null {
    if (level === 'town') return town;
    return level === 'county' ? this.deps.regions.countyOf(town) : this.deps.regions.cityOf(town);
  }

  /** Town rows summed into the areas of `level` holding them, in code order: each area is its towns' sum. */
  private rollUp(byTown: readonly TownFigures[], level: BriefingAreaLevel): BriefingArea[] {
    const areas = new Map<string, { region: IndexedRegion; counts: BriefingCounts; kpiCounts: KpiCounts }>();
    for (const t of byTown) {
      const id = this.areaOf(t.townId, level);
      const region = id === null ? undefined : this.deps.regions.get(id);
      if (!region) continue;
      const sum = areas.get(id!);
      if (sum) {
        sum.counts = addCounts(sum.counts, t.counts);
        sum.kpiCounts = addKpiCounts(sum.kpiCounts, t.kpiCounts);
      } else {
        areas.set(id!, { region, counts: t.counts, kpiCounts: t.kpiCounts });
      }
    }
    return [...areas.values()]
      .sort((a, b) => (a.region.code < b.region.code ? -1 : a.region.code > b.region.code ? 1 : 0))
      .map((a) => ({ id: a.region.id, name: a.region.name, counts: a.counts, kpiCounts: a.kpiCounts, kpis: computeKpis(a.kpiCounts) }));
  }

  async build(period: Period, scope: Scope, now: Date): Promise<BriefingResponse> {
    const { repo } = this.deps;
    const towns = scopeTowns(scope);
    const frame = this.frame(scope);
    const shifts = await this.shifts();
    const main = await this.figures(period, towns, now, shifts, true);
    const occurrence = shiftSpanning(shifts, period.from, period.to);
    const length = period.to.getTime() - period.from.getTime();
    const previous: Period = occurrence ? bounds(previousShift(shifts, occurrence)) : { from: new Date(period.from.getTime() - length), to: period.from };
    const weekAgo: Period = occurrence
      ? bounds(sameShiftWeekBefore(shifts, occurrence))
      : { from: new Date(period.from.getTime() - 7 * DAY_MS), to: new Date(period.to.getTime() - 7 * DAY_MS) };
    const p = { from: period.from.toISOString(), to: period.to.toISOString(), asOf: main.asOf };
    const { byTown, standing, nearDeadlineUntil, ...figures } = main;
    const area = frame.root ? { id: frame.root.id, name: frame.root.name, level: frame.root.level } : { id: '', name: '', level: 'county' as const };
    const pressing = (rows: StandingRow[]) => rows.slice(0, BRIEFING_LIST_LIMIT).map(listed);
    const comparison = { previous: strip(await this.figures(previous, towns, now, shifts, false)), weekAgo: strip(await this.figures(weekAgo, towns, now, shifts, false)) };
    const topItems = await repo.topItems(p, towns, BRIEFING_RANKING_LIMIT);
    const hotSpots = await repo.hotSpots(p, towns, BRIEFING_RANKING_LIMIT);
    const notable: BriefingNotable[] = [];
    for (const r of await repo.notable(p, towns, BRIEFING_NOTABLE_LIMIT)) {
      notable.push({
        case: listed(r),
        reasons: [...(r.urgent ? (['urgent'] as const) : []), ...(r.supervisedInPeriod ? (['supervised'] as const) : [])],
        steps: await repo.steps(r.id, main.asOf),
      });
    }
    const teams = await repo.teams(p, towns);
    return {
      ...figures,
      generatedAt: now.toISOString(),
      area,
      shift: occurrence ? { name: occurrence.shift.name, nameEn: occurrence.shift.nameEn, start: occurrence.shift.start, end: occurrence.shift.end, lead: occurrence.shift.lead } : null,
      issue: occurrence ? shiftIssue(shifts, occurrence) : null,
      nearDeadlineUntil,
      areaLevel: frame.level,
      byArea: this.rollUp(byTown, frame.level),
      comparison,
      cases: {
        overdue: pressing(standing.filter((r) => r.dueAt !== null && r.dueAt < main.asOf)),
        nearDeadline: pressing(standing.filter((r) => r.dueAt !== null && r.dueAt >= main.asOf && r.dueAt < nearDeadlineUntil)),
        supervised: pressing(standing.filter((r) => r.supervised)),
      },
      topItems,
      hotSpots,
      notable,
      teams,
    };
  }

  /** The cases reported in the period, for the XLSX cases sheet: reporters in full only for `fullPersonalData`. */
  async reportedCases(period: Period, scope: Scope, now: Date, fullPersonalData: boolean): Promise<CaseSheetRow[]> {
    const rows = await this.deps.repo.reportedCases({ from: period.from.toISOString(), to: period.to.toISOString(), asOf: asOfOf(period, now) }, scopeTowns(scope));
    return fullPersonalData ? rows : rows.map((c) => ({ ...c, reporterName: maskName(c.reporterName), reporterPhone: maskPhone(c.reporterPhone) }));
  }

  /** Every case open at the briefing's `asOf`, most pressing first, for the XLSX. */
  async openCases(period: Period, scope: Scope, now: Date): Promise<StandingRow[]> {
    return this.deps.repo.standing(asOfOf(period, now), scopeTowns(scope));
  }

  /**
   * What the map picture draws: the outlines of the areas the briefing ranks (the scope's towns,
   * or the counties or cities holding them) and, faintly, their neighbours of the same level under
   * the root's parent, so a part still shows where it lies; and the period's cases.
   */
  async mapData(period: Period, scope: Scope, now: Date): Promise<{ scope: AreaRow[]; around: AreaRow[]; events: MapEventRow[] }> {
    const { repo, regions } = this.deps;
    const towns = scopeTowns(scope);
    const frame = this.frame(scope);
    const inScope = towns === null ? null : [...new Set(towns.flatMap((t) => this.areaOf(t, frame.level) ?? []))];
    const shown = inScope ?? (frame.root ? regions.under(frame.root.id, frame.level).map((r) => r.id) : []);
    const parent = frame.root?.parentId ?? frame.root?.id;
    const neighbours = parent === undefined ? [] : regions.under(parent, frame.level).map((r) => r.id);
    const drawn = new Set(shown);
    return {
      scope: await repo.areas(shown),
      around: await repo.areas(neighbours.filter((id) => !drawn.has(id))),
      events: await repo.mapEvents({ from: period.from.toISOString(), to: period.to.toISOString(), asOf: asOfOf(period, now) }, towns),
    };
  }

  /**
   * One period's figures: per town of the scope (zeros included) and their sums. The KPI counts
   * are `KpiRepo.counts`, the very query of `GET /api/v1/kpis`, so the rates are the same.
   */
  private async figures(period: Period, towns: readonly string[] | null, now: Date, shifts: readonly Shift[], withTowns: boolean): Promise<Figures> {
    const { repo, kpis } = this.deps;
    const from = period.from.toISOString();
    const to = period.to.toISOString();
    const asOf = asOfOf(period, now);
    const nearDeadlineUntil = shiftAt(shifts, new Date(asOf)).endsAt.toISOString();
    const activity = new Map((await repo.activity({ from, to }, towns)).map((r) => [r.townId, r]));
    const standing = await repo.standing(asOf, towns);
    const kpiTotal = (await kpis.counts(period, towns, null))[0]?.counts ?? ZERO_KPI_COUNTS;
    const kpiByTown = withTowns ? new Map((await kpis.counts(period, towns, 'town')).map((r) => [r.key, r.counts])) : new Map<string, KpiCounts>();
    const townRows = withTowns ? await repo.towns(towns) : [];
    const standingByTown = new Map<string, StandingRow[]>();
    for (const r of standing) {
      const list = standingByTown.get(r.townId);
      if (list) list.push(r);
      else standingByTown.set(r.townId, [r]);
    }
    const byTown: TownFigures[] = withTowns
      ? townRows.map((t) => {
          const a = activity.get(t.id);
          const kpiCounts = kpiByTown.get(t.id) ?? ZERO_KPI_COUNTS;
          const counts: BriefingCounts = {
            reported: a?.reported ?? 0,
            notAdmitted: a?.notAdmitted ?? 0,
            filed: a?.filed ?? 0,
            dispatched: a?.dispatched ?? 0,
            closed: a?.closed ?? 0,
            closedOnTime: a?.closedOnTime ?? 0,
            ...standingCounts(standingByTown.get(t.id) ?? [], asOf, nearDeadlineUntil),
          };
          return { townId: t.id, name: t.name, counts, kpiCounts };
        })
      : [];
    const counts = withTowns
      ? byTown.reduce((sum, t) => addCounts(sum, t.counts), ZERO)
      : {
          ...[...activity.values()].reduce(
            (sum, a) => ({
              ...sum,
              reported: sum.reported + a.reported,
              notAdmitted: sum.notAdmitted + a.notAdmitted,
              filed: sum.filed + a.filed,
              dispatched: sum.dispatched + a.dispatched,
              closed: sum.closed + a.closed,
              closedOnTime: sum.closedOnTime + a.closedOnTime,
            }),
            ZERO,
          ),
          ...standingCounts(standing, asOf, nearDeadlineUntil),
        };
    return { period: { from, to }, asOf, counts, kpiCounts: kpiTotal, kpis: computeKpis(kpiTotal), byTown, standing, nearDeadlineUntil };
  }
}

const bounds = (o: ShiftOccurrence): Period => ({ from: o.startsAt, to: o.endsAt });

/** The instant the standing counts are taken at: the period's end, or now if that is earlier. */
function asOfOf(period: Period, now: Date): string {
  return (period.to < now ? period.to : now).toISOString();
}

/** The figures alone, as the comparison carries them. */
function strip({ period, asOf, counts, kpiCounts, kpis }: Figures): BriefingFigures {
  return { period, asOf, counts, kpiCounts, kpis };
}
