import { bindNamed } from '../../db/named-args.js';
import { chinaDaySql } from '../../db/sql-time.js';
import type { Store } from '../../db/store.js';
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
 * milliseconds, so they compare as text; a China day of such a time is `date(t, '+8 hours')`
 * (chinaDaySql: the same text on PostgreSQL). `towns` is the caller's scope (null: the whole county).
 * On the async Store (docs/POSTGRES.md): conditions are counted with `COUNT(*) FILTER (WHERE …)`,
 * mixed-case aliases are quoted, and every list has a total order, so both dialects answer alike.
 */
export class OverviewRepo {
  constructor(private readonly store: Store) {}

  private scope(towns: readonly string[] | null, column = 'e.town_id'): { sql: string; args: string[] } {
    return towns ? { sql: `AND ${column} IN (${placeholders(towns)})`, args: [...towns] } : { sql: '', args: [] };
  }

  /** What happened during [from, to): cases reported, filed, dispatched and closed, each by the time of that step. */
  async flows(period: { from: Date; to: Date }, towns: readonly string[] | null): Promise<FlowCounts> {
    const scope = this.scope(towns);
    const count = async (column: string) =>
      (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events e WHERE e.${column} >= ? AND e.${column} < ? ${scope.sql}`, period.from.toISOString(), period.to.toISOString(), ...scope.args))!.n;
    return { reported: await count('reported_at'), filed: await count('filed_at'), dispatched: await count('dispatched_at'), closed: await count('closed_at') };
  }

  /** The situation at `now`: cases in progress and cases overdue. */
  async state(now: Date, towns: readonly string[] | null): Promise<{ inProgress: number; overdueNow: number }> {
    const scope = this.scope(towns);
    const bound = bindNamed(
      `SELECT COUNT(*) FILTER (WHERE e.status IN ${IN_PROGRESS}) AS in_progress, COUNT(*) FILTER (WHERE ${OVERDUE}) AS overdue
         FROM events e WHERE e.status IN ${OPEN} ${scope.sql}`,
      { now: now.toISOString() },
      scope.args,
    );
    const row = (await this.store.get<{ in_progress: number; overdue: number }>(bound.sql, ...bound.args))!;
    return { inProgress: row.in_progress, overdueNow: row.overdue };
  }

  /**
   * Teams of the scope (its towns' and villages' teams and the units of its towns' counties, as
   * `GET /api/v1/teams` lists them), and those not off duty.
   */
  async teams(towns: readonly string[] | null): Promise<{ total: number; onDuty: number }> {
    const where = towns
      ? `WHERE ((r.level = 'county' AND r.id IN (SELECT parent_id FROM regions WHERE id IN (${placeholders(towns)}))) OR ${TEAM_TOWN} IN (${placeholders(towns)}))`
      : '';
    const row = (await this.store.get<{ total: number; on_duty: number }>(
      `SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE t.status <> 'off_duty') AS on_duty FROM teams t JOIN regions r ON r.id = t.home_region_id ${where}`,
      ...(towns ?? []),
      ...(towns ?? []),
    ))!;
    return { total: row.total, onDuty: row.on_duty };
  }

  /** Cases per China day of [from, to) by the time of one step (`reported_at` or `closed_at`); days without any are left out. */
  async perDay(column: 'reported_at' | 'closed_at', period: { from: Date; to: Date }, towns: readonly string[] | null): Promise<DayCount[]> {
    const scope = this.scope(towns);
    return this.store.all<DayCount>(
      `SELECT ${chinaDaySql(this.store.dialect, `e.${column}`)} AS date, COUNT(*) AS count FROM events e
        WHERE e.${column} >= ? AND e.${column} < ? ${scope.sql} GROUP BY 1 ORDER BY 1`,
      period.from.toISOString(),
      period.to.toISOString(),
      ...scope.args,
    );
  }

  /** The categories of the cases reported during [from, to), with the catalog version and item that name each. */
  async categories(period: { from: Date; to: Date }, towns: readonly string[] | null): Promise<CategoryCount[]> {
    const scope = this.scope(towns);
    return this.store.all<CategoryCount>(
      `SELECT e.category AS category, e.catalog_version AS "catalogVersion", e.item_code AS "itemCode", COUNT(*) AS count FROM events e
        WHERE e.reported_at >= ? AND e.reported_at < ? ${scope.sql}
        GROUP BY e.category, e.catalog_version, e.item_code ORDER BY e.category, e.catalog_version, e.item_code`,
      period.from.toISOString(),
      period.to.toISOString(),
      ...scope.args,
    );
  }

  /** Every town of the scope, in code order, with what it reported and closed during [from, to) and its overdue cases at `now`. */
  async towns(period: { from: Date; to: Date }, now: Date, towns: readonly string[] | null): Promise<TownCounts[]> {
    const scope = this.scope(towns, 'r.id');
    const bound = bindNamed(
      `SELECT r.id AS "townId", r.name AS name,
              (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND e.reported_at >= @from AND e.reported_at < @to) AS reported,
              (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND e.closed_at >= @from AND e.closed_at < @to) AS closed,
              (SELECT COUNT(*) FROM events e WHERE e.town_id = r.id AND ${OVERDUE}) AS "overdueNow"
         FROM regions r WHERE r.level = 'town' ${scope.sql} ORDER BY r.code`,
      { from: period.from.toISOString(), to: period.to.toISOString(), now: now.toISOString() },
      scope.args,
    );
    return this.store.all<TownCounts>(bound.sql, ...bound.args);
  }

  /**
   * The counties and the cities above the towns, each with its towns, by the region tree's
   * parents (not by code prefixes: a platform's codes are the generator's, a real one's GB/T 2260).
   * Empty on a county server without upper rows.
   */
  async units(): Promise<{ counties: UnitRow[]; cities: UnitRow[] }> {
    const rows = await this.store.all<{ town: string; county: string; county_name: string; city: string | null; city_name: string | null }>(
      `SELECT t.id AS town, c.id AS county, c.name AS county_name, y.id AS city, y.name AS city_name
         FROM regions t JOIN regions c ON c.id = t.parent_id AND c.level = 'county'
         LEFT JOIN regions y ON y.id = c.parent_id AND y.level = 'city'
        WHERE t.level = 'town' ORDER BY c.code, t.code`,
    );
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
  async hasTown(id: string): Promise<boolean> {
    return (await this.store.get("SELECT 1 AS found FROM regions WHERE id = ? AND level = 'town'", id)) !== undefined;
  }
}
