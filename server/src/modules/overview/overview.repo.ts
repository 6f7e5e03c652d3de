import type { Db } from '../../db/connection.js';
import { OPEN_STATUSES, TEAM_STATUSES } from '../../../../shared/contracts/events.js';

/** Open cases past their current step's deadline: by the clock or by the deadline monitor (as `isOverdue` in shared/domain/case-state.ts). */
const OPEN = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** Dispatched and not yet closed: with the team, or reported back and waiting for verification or closing. */
const IN_PROGRESS = `(${[...TEAM_STATUSES, 'handled', 'verified'].map((s) => `'${s}'`).join(',')})`;
const OVERDUE = `(e.status IN ${OPEN} AND e.deadline_at IS NOT NULL AND (e.deadline_at <= @now OR e.deadline_state = 'overdue'))`;
/** A team's town: its home town, or the town of its home village; null for the county units. */
const TEAM_TOWN = "(CASE r.level WHEN 'town' THEN r.id WHEN 'village' THEN r.parent_id ELSE NULL END)";

export interface FlowCounts {
  reported: number;
  filed: number;
  dispatched: number;
  closed: number;
}

/** Counts per China day (`YYYY-MM-DD`). */
export interface DayCount {
  date: string;
  count: number;
}

export interface CategoryCount {
  category: string;
  /** The catalog version and item of one of the category's cases: where its name is found. */
  catalogVersion: number;
  itemCode: string;
  count: number;
}

export interface TownCounts {
  townId: string;
  name: string;
  reported: number;
  closed: number;
  overdueNow: number;
}

/** A county or city above the towns, and the towns it holds. */
export interface UnitRow {
  unitId: string;
  name: string;
  level: 'county' | 'city';
  /** Its towns' ids. */
  towns: string[];
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(',') || 'NULL';

/**
 * The wall's counts, in SQL over `events` and `teams`. Times are stored as ISO UTC strings with
 * milliseconds, so they compare as text; a China day of such a time is `date(t, '+8 hours')`.
 * `towns` is the caller's scope (null: the whole county).
 */
export class OverviewRepo {
  constructor(private readonly db: Db) {}

  private scope(towns: readonly string[] | null, column = 'e.town_id'): { sql: string; args: string[] } {
    return towns ? { sql: `AND ${column} IN (${placeholders(towns)})`, args: [...towns] } : { sql: '', args: [] };
  }

  /** What happened during [from, to): cases reported, filed, dispatched and closed, each by the time of that step. */
  flows(period: { from: Date; to: Date }, towns: readonly string[] | null): FlowCounts {
    const scope = this.scope(towns);
    const count = (column: string) =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM events e WHERE e.${column} >= ? AND e.${column} < ? ${scope.sql}`).get(period.from.toISOString(), period.to.toISOString(), ...scope.args) as { n: number }).n;
    return { reported: count('reported_at'), filed: count('filed_at'), dispatched: count('dispatched_at'), closed: count('closed_at') };
  }

  /** The situation at `now`: cases in progress and cases overdue. */
  state(now: Date, towns: readonly string[] | null): { inProgress: number; overdueNow: number } {
    const scope = this.scope(towns);
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(e.status IN ${IN_PROGRESS}), 0) AS in_progress, COALESCE(SUM(${OVERDUE}), 0) AS overdue
           FROM events e WHERE e.status IN ${OPEN} ${scope.sql}`,
      )
      .get({ now: now.toISOString() }, ...scope.args) as { in_progress: number; overdue: number };
    return { inProgress: row.in_progress, overdueNow: row.overdue };
  }

  /**
   * Teams of the scope (its towns' and villages' teams and the units of its towns' counties, as
   * `GET /api/v1/teams` lists them), and those not off duty.
   */
  teams(towns: readonly string[] | null): { total: number; onDuty: number } {
    const where = towns
      ? `WHERE ((r.level = 'county' AND r.id IN (SELECT parent_id FROM regions WHERE id IN (${placeholders(towns)}))) OR ${TEAM_TOWN} IN (${placeholders(towns)}))`
      : '';
    const row = this.db
      .prepare(`SELECT COUNT(*) AS total, COALESCE(SUM(t.status <> 'off_duty'), 0) AS on_duty FROM teams t JOIN regions r ON r.id = t.home_region_id ${where}`)
      .get(...(towns ?? []), ...(towns ?? [])) as { total: number; on_duty: number };
    return { total: row.total, onDuty: row.on_duty };
  }

  /** Cases per China day of [from, to) by the time of one step (`reported_at` or `closed_at`); days without any are left out. */
  perDay(column: 'reported_at' | 'closed_at', period: { from: Date; to: Date }, towns: readonly string[] | null): DayCount[] {
    const scope = this.scope(towns);
    return this.db
      .prepare(
        `SELECT date(e.${column}, '+8 hours') AS date, COUNT(*) AS count FROM events e
          WHERE e.${column} >= ? AND e.${column} < ? ${scope.sql} GROUP BY 1 ORDER BY 1`,
      )
      .all(period.from.toISOString(), period.to.toISOString(), ...scope.args) as DayCount[];
  }

  /** The categories of the cases reported during [from, to), with the catalog version and item that name each. */
  categories(period: { from: Date; to: Date }, towns: readonly string[] | null): CategoryCount[] {
    const scope = this.scope(towns);
    return this.db
      .prepare(
        `SELECT e.category AS category, e.catalog_version AS catalogVersion, e.item_code AS itemCode, COUNT(*) AS count FROM events e
          WHERE e.reported_at >= ? AND e.reported_at < ? ${scope.sql}
          GROUP BY e.category, e.catalog_version, e.item_code`,
      )
      .all(period.from.toISOString(), period.to.toISOString(), ...scope.args) as CategoryCount[];
  }

  /** Every town of the scope, in code order, with what it reported and closed during [from, to) and its overdue cases at `now`. */
  towns(period: { from: Date; to: Date }, now: Date, towns: readonly string[] | null): TownCounts[] {
    const scope = this.scope(towns, 'r.id');
    return this.db
      .prepare(
        `SELECT r.id AS townId, r.name AS name,
                (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND e.reported_at >= @from AND e.reported_at < @to) AS reported,
                (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND e.closed_at >= @from AND e.closed_at < @to) AS closed,
                (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND ${OVERDUE}) AS overdueNow
           FROM regions r WHERE r.level = 'town' ${scope.sql} ORDER BY r.code`,
      )
      .all({ from: period.from.toISOString(), to: period.to.toISOString(), now: now.toISOString() }, ...scope.args) as TownCounts[];
  }

  /**
   * The counties and the cities above the towns, each with its towns, by the region tree's
   * parents (not by code prefixes: a platform's codes are the generator's, a real one's GB/T 2260).
   * Empty on a county server without upper rows.
   */
  units(): { counties: UnitRow[]; cities: UnitRow[] } {
    const rows = this.db
      .prepare(
        `SELECT t.id AS town, c.id AS county, c.name AS county_name, y.id AS city, y.name AS city_name
           FROM regions t JOIN regions c ON c.id = t.parent_id AND c.level = 'county'
           LEFT JOIN regions y ON y.id = c.parent_id AND y.level = 'city'
          WHERE t.level = 'town' ORDER BY c.code, t.code`,
      )
      .all() as Array<{ town: string; county: string; county_name: string; city: string | null; city_name: string | null }>;
    const counties = new Map<string, UnitRow>();
    const cities = new Map<string, UnitRow>();
    const put = (into: Map<string, UnitRow>, unitId: string, name: string, level: UnitRow['level'], town: string) => {
      const held = into.get(unitId);
      if (held) held.towns.push(town);
      else into.set(unitId, { unitId, name, level, towns: [town] });
    };
    for (const r of rows) {
      put(counties, r.county, r.county_name, 'county', r.town);
      if (r.city !== null && r.city_name !== null) put(cities, r.city, r.city_name, 'city', r.town);
    }
    return { counties: [...counties.values()], cities: [...cities.values()] };
  }

  /** Whether a town of this id exists. */
  hasTown(id: string): boolean {
    return this.db.prepare("SELECT 1 FROM regions WHERE id = ? AND level = 'town'").get(id) !== undefined;
  }
}
