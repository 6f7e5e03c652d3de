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
  type BriefingTown,
} from '../../../../shared/contracts/briefing.js';
import { DAY_MS } from '../../../../shared/contracts/period.js';
import { kpiPeriod, type KpiCounts } from '../../../../shared/contracts/kpi.js';
import type { Shift } from '../../../../shared/contracts/settings.js';
import { computeKpis } from '../../../../shared/domain/kpi.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { previousShift, sameShiftWeekBefore, shiftAt, shiftEndingNear, shiftIssue, shiftSpanning, type ShiftOccurrence } from '../../../../shared/domain/shifts.js';
import { ApiHttpError } from '../../http/errors.js';
import type { KpiRepo } from '../kpi/kpi.repo.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import type { BriefingRepo, CaseSheetRow, MapEventRow, StandingRow, TownRow } from './briefing.repo.js';

const ZERO_KPI: KpiCounts = { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 };
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

interface Figures extends BriefingFigures {
  byTown: BriefingTown[];
  standing: StandingRow[];
  nearDeadlineUntil: string;
}

/**
 * The shift briefing (交班简报): the figures of a period in the caller's towns, against the shift
 * before and the same shift a week before, the open cases that the next shift inherits, what
 * stood out, and who did what. Pure reads; every count is defined in docs/WORKFLOW.md.
 */
export class BriefingService {
  constructor(private readonly deps: { repo: BriefingRepo; kpis: KpiRepo; settings: SettingsRepo }) {}

  shifts(): readonly Shift[] {
    return this.deps.settings.shifts().shifts;
  }

  build(period: Period, towns: readonly string[] | null, now: Date): BriefingResponse {
    const { repo } = this.deps;
    const shifts = this.shifts();
    const main = this.figures(period, towns, now, shifts, true);
    const occurrence = shiftSpanning(shifts, period.from, period.to);
    const length = period.to.getTime() - period.from.getTime();
    const previous: Period = occurrence ? bounds(previousShift(shifts, occurrence)) : { from: new Date(period.from.getTime() - length), to: period.from };
    const weekAgo: Period = occurrence
      ? bounds(sameShiftWeekBefore(shifts, occurrence))
      : { from: new Date(period.from.getTime() - 7 * DAY_MS), to: new Date(period.to.getTime() - 7 * DAY_MS) };
    const p = { from: period.from.toISOString(), to: period.to.toISOString(), asOf: main.asOf };
    const county = repo.county() ?? { id: '', name: '' };
    const { byTown, standing, nearDeadlineUntil, ...figures } = main;
    const pressing = (rows: StandingRow[]) => rows.slice(0, BRIEFING_LIST_LIMIT).map(listed);
    return {
      ...figures,
      generatedAt: now.toISOString(),
      county,
      shift: occurrence ? { name: occurrence.shift.name, nameEn: occurrence.shift.nameEn, start: occurrence.shift.start, end: occurrence.shift.end, lead: occurrence.shift.lead } : null,
      issue: occurrence ? shiftIssue(shifts, occurrence) : null,
      nearDeadlineUntil,
      byTown,
      comparison: { previous: strip(this.figures(previous, towns, now, shifts, false)), weekAgo: strip(this.figures(weekAgo, towns, now, shifts, false)) },
      cases: {
        overdue: pressing(standing.filter((r) => r.dueAt !== null && r.dueAt < main.asOf)),
        nearDeadline: pressing(standing.filter((r) => r.dueAt !== null && r.dueAt >= main.asOf && r.dueAt < nearDeadlineUntil)),
        supervised: pressing(standing.filter((r) => r.supervised)),
      },
      topItems: repo.topItems(p, towns, BRIEFING_RANKING_LIMIT),
      hotSpots: repo.hotSpots(p, towns, BRIEFING_RANKING_LIMIT),
      notable: repo.notable(p, towns, BRIEFING_NOTABLE_LIMIT).map(
        (r): BriefingNotable => ({
          case: listed(r),
          reasons: [...(r.urgent ? (['urgent'] as const) : []), ...(r.supervisedInPeriod ? (['supervised'] as const) : [])],
          steps: repo.steps(r.id, main.asOf),
        }),
      ),
      teams: repo.teams(p, towns),
    };
  }

  /** The cases reported in the period, for the XLSX cases sheet: reporters in full only for `fullPersonalData`. */
  reportedCases(period: Period, towns: readonly string[] | null, now: Date, fullPersonalData: boolean): CaseSheetRow[] {
    const rows = this.deps.repo.reportedCases({ from: period.from.toISOString(), to: period.to.toISOString(), asOf: asOfOf(period, now) }, towns);
    return fullPersonalData ? rows : rows.map((c) => ({ ...c, reporterName: maskName(c.reporterName), reporterPhone: maskPhone(c.reporterPhone) }));
  }

  /** Every case open at the briefing's `asOf`, most pressing first, for the XLSX. */
  openCases(period: Period, towns: readonly string[] | null, now: Date): StandingRow[] {
    return this.deps.repo.standing(asOfOf(period, now), towns);
  }

  /** What the map picture draws: the scope's towns (and the others around them), the period's cases. */
  mapData(period: Period, towns: readonly string[] | null, now: Date): { scope: TownRow[]; all: TownRow[]; events: MapEventRow[] } {
    const { repo } = this.deps;
    return {
      scope: repo.towns(towns),
      all: repo.allTowns(),
      events: repo.mapEvents({ from: period.from.toISOString(), to: period.to.toISOString(), asOf: asOfOf(period, now) }, towns),
    };
  }

  /**
   * One period's figures: per town of the scope (zeros included) and their sums. The KPI counts
   * are `KpiRepo.counts`, the very query of `GET /api/v1/kpis`, so the rates are the same.
   */
  private figures(period: Period, towns: readonly string[] | null, now: Date, shifts: readonly Shift[], withTowns: boolean): Figures {
    const { repo, kpis } = this.deps;
    const from = period.from.toISOString();
    const to = period.to.toISOString();
    const asOf = asOfOf(period, now);
    const nearDeadlineUntil = shiftAt(shifts, new Date(asOf)).endsAt.toISOString();
    const activity = new Map(repo.activity({ from, to }, towns).map((r) => [r.townId, r]));
    const standing = repo.standing(asOf, towns);
    const kpiTotal = kpis.counts(period, towns, null)[0]?.counts ?? ZERO_KPI;
    const kpiByTown = withTowns ? new Map(kpis.counts(period, towns, 'town').map((r) => [r.key, r.counts])) : new Map<string, KpiCounts>();
    const byTown: BriefingTown[] = withTowns
      ? repo.towns(towns).map((t) => {
          const a = activity.get(t.id);
          const kpiCounts = kpiByTown.get(t.id) ?? ZERO_KPI;
          const counts: BriefingCounts = {
            reported: a?.reported ?? 0,
            notAdmitted: a?.notAdmitted ?? 0,
            filed: a?.filed ?? 0,
            dispatched: a?.dispatched ?? 0,
            closed: a?.closed ?? 0,
            closedOnTime: a?.closedOnTime ?? 0,
            ...standingCounts(
              standing.filter((r) => r.townId === t.id),
              asOf,
              nearDeadlineUntil,
            ),
          };
          return { townId: t.id, name: t.name, counts, kpiCounts, kpis: computeKpis(kpiCounts) };
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
