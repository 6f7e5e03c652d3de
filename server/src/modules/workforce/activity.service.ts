import type { Polygon } from 'geojson';
import type { WorkerActivity, WorkerCoverageResponse } from '../../../../shared/contracts/workforce.js';
import type { RegionLocator } from '../geo/locator.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { ActivityRepo, ActivityWorkerRow, HandlingEntryRow, PatrolReportRow, PositionRow } from './activity.repo.js';
import { patrolSpans, summarize, type PatrolPoint } from './patrol.js';

/** Workers whose positions are read at once (one query each): a county's 3,361 in 7 reads. */
const POSITION_BATCH = 500;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Period {
  from: Date;
  to: Date;
}

/** One case a worker handled, with what is counted of it. */
interface Handled {
  status: string;
  closedAt: string | null;
  dueAt: string | null;
  /** Teams the worker acted for on it (a return for one of them counts as the worker's team returning it). */
  teams: Set<string>;
}

/**
 * A worker's workload and activity over a period, computed from the system's own records
 * (formulas: docs/WORKFORCE.md "Workload and activity"). Reads through ActivityRepo, places
 * positions with the intake's micro-grid locator, and does the patrol maths in patrol.ts.
 */
export class ActivityService {
  constructor(private readonly deps: { repo: ActivityRepo; regions: RegionIndex; locator: RegionLocator }) {}

  /** The workers of the towns (null: all), or one worker; a worker who left before the period is not listed. */
  async activity(period: Period, where: { towns: readonly string[] | null } | { worker: ActivityWorkerRow }): Promise<WorkerActivity[]> {
    const { repo } = this.deps;
    const p = { from: period.from.toISOString(), to: period.to.toISOString() };
    const one = 'worker' in where ? where.worker : null;
    const workers = 'worker' in where ? [where.worker] : await repo.workers({ towns: where.towns, leftBefore: chinaDay(period.from) });
    if (workers.length === 0) return [];

    // households and micro-grids of the workers' counties (the difficulty compares a grid with its county)
    const counties = [...new Set(workers.map((w) => this.deps.regions.countyOf(w.townId) ?? w.townId))];
    const countyTowns = [...new Set(counties.flatMap((c) => this.townsOfCounty(c, workers)))];
    const micro = await repo.microGridsOfTowns(countyTowns);
    const microHouseholds = new Map(micro.map((m) => [m.id, m.households]));
    const gridMicro = new Map<string, string[]>();
    const gridHouseholds = new Map<string, number>();
    for (const m of micro) {
      gridMicro.set(m.gridId, [...(gridMicro.get(m.gridId) ?? []), m.id]);
      gridHouseholds.set(m.gridId, (gridHouseholds.get(m.gridId) ?? 0) + m.households);
    }
    const gridCases = await repo.gridCases(p, countyTowns);
    const countyOf = (town: string) => this.deps.regions.countyOf(town) ?? town;
    // a county's cases per household: the grid difficulty's denominator
    const countyLoad = new Map<string, { cases: number; households: number }>();
    const countedGrids = new Set<string>();
    for (const m of micro) {
      const load = countyLoad.get(countyOf(m.townId)) ?? { cases: 0, households: 0 };
      load.households += m.households;
      if (!countedGrids.has(m.gridId)) {
        countedGrids.add(m.gridId);
        load.cases += gridCases.get(m.gridId) ?? 0;
      }
      countyLoad.set(countyOf(m.townId), load);
    }
    const served = await repo.served(workers.map((w) => w.id));
    const active = await repo.activeWorkers([...new Set(workers.map((w) => w.gridId))]);

    const reports = one ? await repo.patrolReports(p, { workerId: one.id, phone: one.phone }) : await repo.patrolReports(p);
    const entries = one ? await repo.handlingEntries(p, { userId: one.userId, name: one.name, villageId: one.villageId }) : await repo.handlingEntries(p);
    const reportsOf = assignReports(workers, reports);
    const handledOf = assignHandling(workers, entries);
    // self-handled reports are handled by their reporter too
    for (const w of workers) {
      const mine = handledOf.get(w.id)!;
      for (const r of reportsOf.get(w.id)!) {
        if (r.selfHandled && !mine.has(r.id)) mine.set(r.id, { status: r.status, closedAt: r.closedAt, dueAt: r.dueAt, teams: new Set() });
      }
    }
    const handledIds = [...new Set(workers.flatMap((w) => [...handledOf.get(w.id)!.keys()]))];
    const later = await repo.returnsAndReworks(p, handledIds);
    const reworkedCases = new Set(later.filter((l) => l.action === 'rework').map((l) => l.eventId));
    const returnTeams = new Map<string, Set<string>>();
    for (const l of later) if (l.action === 'return' && l.teamId) returnTeams.set(l.eventId, (returnTeams.get(l.eventId) ?? new Set()).add(l.teamId));

    const servedOf = (w: ActivityWorkerRow) => {
      const own = served.get(w.id) ?? [];
      return own.length > 0 ? own : (gridMicro.get(w.gridId) ?? []);
    };
    const patrol = await this.patrols(p, workers, servedOf);

    return workers.map((w): WorkerActivity => {
      const own = served.get(w.id) ?? [];
      const households =
        own.length > 0 ? own.reduce((s, id) => s + (microHouseholds.get(id) ?? 0), 0) : round((gridHouseholds.get(w.gridId) ?? 0) / Math.max(1, active.get(w.gridId) ?? 0), 1);
      const reported = reportsOf.get(w.id)!;
      const byItem = new Map<string, { itemCode: string; itemName: string; count: number }>();
      for (const r of reported) {
        const item = byItem.get(r.itemCode) ?? { itemCode: r.itemCode, itemName: r.itemName, count: 0 };
        item.count++;
        byItem.set(r.itemCode, item);
      }
      const handled = [...handledOf.get(w.id)!.entries()];
      const to = p.to;
      const closed = handled.filter(([, h]) => h.status === 'closed' && h.closedAt !== null && h.closedAt < to);
      const work = reported.length + handled.length;
      const county = countyLoad.get(countyOf(w.townId));
      const gh = gridHouseholds.get(w.gridId) ?? 0;
      const gc = gridCases.get(w.gridId) ?? 0;
      const difficulty = county && county.cases > 0 && county.households > 0 && gh > 0 && gc > 0 ? gc / gh / (county.cases / county.households) : 1;
      const perHundred = households > 0 ? (work / households) * 100 : null;
      return {
        workerId: w.id,
        name: w.name,
        gridId: w.gridId,
        townId: w.townId,
        households,
        patrol: patrol.get(w.id)!,
        reported: {
          total: reported.length,
          selfHandled: reported.filter((r) => r.selfHandled).length,
          byItem: [...byItem.values()].sort((a, b) => b.count - a.count || (a.itemCode < b.itemCode ? -1 : 1)),
        },
        handled: {
          total: handled.length,
          closed: closed.length,
          onTime: closed.filter(([, h]) => h.dueAt !== null && h.closedAt! <= h.dueAt).length,
          reworked: handled.filter(([id]) => reworkedCases.has(id)).length,
          returned: handled.filter(([id, h]) => [...(returnTeams.get(id) ?? [])].some((t) => h.teams.has(t))).length,
        },
        workload: {
          perHundredHouseholds: perHundred === null ? null : round(perHundred, 2),
          gridDifficulty: round(difficulty, 3),
          weighted: perHundred === null ? null : round(perHundred * difficulty, 2),
        },
      };
    });
  }

  /**
   * The coverage map of one worker: the micro-grids served (polygons) with the positions inside
   * each and the last one's time, and each patrol span as a line string.
   */
  async coverage(period: Period, worker: ActivityWorkerRow): Promise<WorkerCoverageResponse> {
    const { repo, locator } = this.deps;
    const p = { from: period.from.toISOString(), to: period.to.toISOString() };
    const own = (await repo.served([worker.id])).get(worker.id) ?? [];
    const ids = own.length > 0 ? own : (await repo.microGridsOfTowns([worker.townId])).filter((m) => m.gridId === worker.gridId).map((m) => m.id);
    const shapes = await repo.microGridShapes(ids);
    const positions = await repo.positions(p, [worker.id]);
    const inside = new Map<string, { n: number; last: string }>();
    for (const pos of positions) {
      const id = locator.locate(pos.lon, pos.lat)?.id;
      if (id === undefined) continue;
      const seen = inside.get(id);
      inside.set(id, { n: (seen?.n ?? 0) + 1, last: pos.at });
    }
    const spans = patrolSpans(positions.map(toPoint));
    return {
      type: 'FeatureCollection',
      workerId: worker.id,
      from: p.from,
      to: p.to,
      features: [
        ...shapes.map((s) => {
          const hit = inside.get(s.id);
          return {
            type: 'Feature' as const,
            geometry: JSON.parse(s.geometry) as Polygon,
            properties: { kind: 'microGrid' as const, id: s.id, code: s.code, name: s.name, positions: hit?.n ?? 0, covered: hit !== undefined, lastAt: hit?.last ?? null },
          };
        }),
        ...spans.map((s) => ({
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: s.points.map((pt) => [pt.lon, pt.lat]) },
          properties: {
            kind: 'track' as const,
            from: new Date(s.points[0]!.at).toISOString(),
            to: new Date(s.points.at(-1)!.at).toISOString(),
            minutes: Math.round(s.ms / 60_000),
            metres: Math.round(s.metres),
          },
        })),
      ],
    };
  }

  /** Patrol time, distance, days and coverage of each worker, reading positions a batch of workers at a time. */
  private async patrols(p: { from: string; to: string }, workers: readonly ActivityWorkerRow[], servedOf: (w: ActivityWorkerRow) => string[]): Promise<Map<string, WorkerActivity['patrol']>> {
    const out = new Map<string, WorkerActivity['patrol']>();
    for (let i = 0; i < workers.length; i += POSITION_BATCH) {
      const batch = workers.slice(i, i + POSITION_BATCH);
      const byWorker = new Map<string, PositionRow[]>();
      for (const pos of await this.deps.repo.positions(p, batch.map((w) => w.id))) {
        const list = byWorker.get(pos.workerId);
        if (list) list.push(pos);
        else byWorker.set(pos.workerId, [pos]);
      }
      for (const w of batch) {
        const positions = byWorker.get(w.id) ?? [];
        const servedIds = new Set(servedOf(w));
        const covered = new Set<string>();
        for (const pos of positions) {
          // once every micro-grid served is covered, the rest need not be placed
          if (covered.size === servedIds.size) break;
          const id = this.deps.locator.locate(pos.lon, pos.lat)?.id;
          if (id !== undefined && servedIds.has(id)) covered.add(id);
        }
        const s = summarize(patrolSpans(positions.map(toPoint)));
        out.set(w.id, { ...s, microGridsCovered: covered.size, microGridsServed: servedIds.size });
      }
    }
    return out;
  }

  /** The towns of a county (the workers' own towns when the region tree has no county above them). */
  private townsOfCounty(county: string, workers: readonly ActivityWorkerRow[]): string[] {
    const towns = this.deps.regions.townsUnder(county);
    return towns.length > 0 ? towns : [...new Set(workers.map((w) => w.townId))];
  }
}

const toPoint = (p: PositionRow): PatrolPoint => ({ lon: p.lon, lat: p.lat, at: Date.parse(p.at) });

/** The China calendar day of an instant, YYYY-MM-DD. */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Each report to its worker: the worker whose linked account reported it; a report through no
 * worker's account, by the phone it was reported from (the roster's link).
 */
function assignReports(workers: readonly ActivityWorkerRow[], reports: readonly PatrolReportRow[]): Map<string, PatrolReportRow[]> {
  const out = new Map(workers.map((w) => [w.id, [] as PatrolReportRow[]]));
  const byPhone = new Map(workers.map((w) => [w.phone, w.id]));
  for (const r of reports) {
    const id = r.reporterWorkerId ?? byPhone.get(r.reporterPhone);
    if (id !== undefined) out.get(id)?.push(r);
  }
  return out;
}

/**
 * Each handling entry to its worker: by the account that made it (the worker's linked account),
 * or, for an entry without an account (seeded or imported history), by the field worker named
 * in it on a case of the worker's village.
 */
function assignHandling(workers: readonly ActivityWorkerRow[], entries: readonly HandlingEntryRow[]): Map<string, Map<string, Handled>> {
  const out = new Map(workers.map((w) => [w.id, new Map<string, Handled>()]));
  const byUser = new Map(workers.filter((w) => w.userId !== null).map((w) => [w.userId!, w.id]));
  const byName = new Map<string, string>();
  for (const w of workers) {
    const key = `${w.villageId}/${w.name}`;
    // two workers of one village with one name: an entry naming it is neither's
    byName.set(key, byName.has(key) ? '' : w.id);
  }
  for (const e of entries) {
    const id = e.userId !== null ? byUser.get(e.userId) : e.role === 'field_worker' && e.displayName !== null ? byName.get(`${e.villageId}/${e.displayName}`) : undefined;
    if (!id) continue;
    const mine = out.get(id)!;
    const h = mine.get(e.eventId) ?? { status: e.status, closedAt: e.closedAt, dueAt: e.dueAt, teams: new Set<string>() };
    if (e.teamId) h.teams.add(e.teamId);
    mine.set(e.eventId, h);
  }
  return out;
}
