import { chinaDaySql, chinaWeekdayHourSql, daysBeforeSql } from '../../db/sql-time.js';
import type { Store } from '../../db/store.js';
import { FLOW_METRICS, type FlowMetric } from '../../../../shared/contracts/analysis.js';
import { OPEN_STATUSES, type EventSource, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import { DAY_MS, periodStart } from '../../../../shared/contracts/period.js';
import type { DayRange } from '../../../../shared/domain/calendar-days.js';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');
/** Not a case at all: a refused intake. */
const NOT_A_CASE = "'not_admitted'";
/** Not an occurrence of its own: a refused intake, a duplicate merged into another case, a voided report. */
const NOT_AN_OCCURRENCE = "'not_admitted','merged','void'";

/** `town_id IN (…)` for a scope of towns; nothing for the county. */
function inTowns(towns: readonly string[] | null, column = 'e.town_id'): { sql: string; args: string[] } {
  if (!towns) return { sql: '', args: [] };
  return { sql: ` AND ${column} IN (${towns.map(() => '?').join(',') || 'NULL'})`, args: [...towns] };
}

/** Day ranges as instants `[start, end)`, overlapping or touching ones merged. */
function instantRanges(ranges: readonly DayRange[]): Array<[string, string]> {
  const sorted = ranges.map((r) => [periodStart(r.from).getTime(), periodStart(r.to).getTime() + DAY_MS] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);
}

/** `(col >= ? AND col < ?) OR …` over the ranges: each a range scan of the column's index. */
function within(column: string, ranges: Array<[string, string]>): { sql: string; args: string[] } {
  return { sql: `(${ranges.map(() => `(${column} >= ? AND ${column} < ?)`).join(' OR ')})`, args: ranges.flat() };
}

/** The column of each flow: a case counts on the day it was reported, filed, dispatched or closed. */
const FLOW_COLUMNS: Record<FlowMetric, string> = { reported: 'reported_at', filed: 'filed_at', dispatched: 'dispatched_at', closed: 'closed_at' };

/** Counts per China day, per flow. */
export type DailyFlows = Record<FlowMetric, Map<string, number>>;

export interface HotSpotCaseRow {
  id: string;
  grid_id: string;
  micro_grid_id: string;
  item_code: string;
  item_name: string;
  category: string;
  lon: number;
  lat: number;
  reported_at: string;
  status: EventStatus;
  /** Cases of the same item in the grid in the period. */
  n: number;
}

export interface GridPlaceRow {
  id: string;
  name: string;
  code: string;
  label_lon: number;
  label_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  village_name: string;
  town_id: string;
  town_name: string;
}

export interface AgendaCaseRow {
  id: string;
  item_code: string;
  item_name: string;
  urgency: Urgency;
  status: EventStatus;
  address: string;
  reported_at: string;
  deadline_at: string | null;
  due_at: string | null;
  micro_grid_id: string;
  supervised: number;
  team_name: string | null;
  place_name: string;
}

export interface RepeatRow extends AgendaCaseRow {
  /** Comma-separated earlier case ids with their status: `id:status`, newest first. */
  earlier: string;
}

/** `town › village › grid` of a case (its own columns: one lookup per region by primary key). */
const PLACE_NAME = `(SELECT t.name || ' › ' || v.name || ' › ' || g.name FROM regions g, regions v, regions t WHERE g.id = e.grid_id AND v.id = e.village_id AND t.id = e.town_id)`;
const AGENDA_COLUMNS = `e.id, e.item_code, e.item_name, e.urgency, e.status, e.address, e.reported_at, e.deadline_at, e.due_at, e.micro_grid_id, e.supervised,
  (SELECT name FROM teams WHERE id = e.team_id) AS team_name, ${PLACE_NAME} AS place_name`;

/**
 * The analysis reads. Each figure is one statement over the cases of the period, read through
 * an index on the time it counts by (migration 12 adds those of filing, dispatch and closing);
 * everything is limited to `towns` (null for the county) inside the statement.
 */
export class AnalysisRepo {
  constructor(private readonly store: Store) {}

  /** Cases reported (admitted), filed, dispatched and closed per China day, over the ranges. */
  async dailyFlows(ranges: readonly DayRange[], towns: readonly string[] | null): Promise<DailyFlows> {
    const instants = instantRanges(ranges);
    const scope = inTowns(towns);
    const parts = FLOW_METRICS.map((metric) => {
      const column = `e.${FLOW_COLUMNS[metric]}`;
      const range = within(column, instants);
      const admitted = metric === 'reported' ? ` AND e.status <> ${NOT_A_CASE}` : '';
      return {
        sql: `SELECT '${metric}' AS metric, ${chinaDaySql(this.store.dialect, column)} AS day, COUNT(*) AS n FROM events e WHERE ${range.sql}${admitted}${scope.sql} GROUP BY day`,
        args: [...range.args, ...scope.args],
      };
    });
    const rows = await this.store.all<{ metric: FlowMetric; day: string; n: number }>(parts.map((p) => p.sql).join('\nUNION ALL\n'), ...parts.flatMap((p) => p.args));
    const flows = Object.fromEntries(FLOW_METRICS.map((m) => [m, new Map<string, number>()])) as DailyFlows;
    for (const r of rows) flows[r.metric].set(r.day, r.n);
    return flows;
  }

  /** Reported cases of the period by category and channel. */
  async mix(period: DayRange, towns: readonly string[] | null): Promise<Array<{ category: string; source: EventSource; n: number }>> {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    return this.store.all<{ category: string; source: EventSource; n: number }>(
      `SELECT e.category, e.source, COUNT(*) AS n FROM events e WHERE ${range.sql} AND e.status <> ${NOT_A_CASE}${scope.sql} GROUP BY e.category, e.source ORDER BY e.category, e.source`,
      ...range.args,
      ...scope.args,
    );
  }

  /** Category names of the catalog (its latest version that has the category), Chinese and English. */
  async categoryNames(): Promise<Map<string, { zh: string; en: string }>> {
    // the item is json on PostgreSQL (its text as stored); the later rows of the same category win
    const field = (key: string) => (this.store.dialect === 'postgres' ? `item->>'${key}'` : `json_extract(item, '$.${key}')`);
    const rows = await this.store.all<{ category: string; zh: string; en: string }>(
      `SELECT ${field('category')} AS category, ${field('categoryName')} AS zh, ${field('categoryNameEn')} AS en
         FROM catalog_version_items ORDER BY version, code`,
    );
    return new Map(rows.map((r) => [r.category, { zh: r.zh, en: r.en }]));
  }

  /** Reported cases of the period by weekday (SQLite's: 0 = Sunday) and hour, China time. */
  async hours(period: DayRange, towns: readonly string[] | null): Promise<Array<{ w: number; h: number; n: number }>> {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    const { w, h } = chinaWeekdayHourSql(this.store.dialect, 'e.reported_at');
    return this.store.all<{ w: number; h: number; n: number }>(
      `SELECT ${w} AS w, ${h} AS h, COUNT(*) AS n
         FROM events e WHERE ${range.sql} AND e.status <> ${NOT_A_CASE}${scope.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
      ...range.args,
      ...scope.args,
    );
  }

  /**
   * The cases of every (grid, item) that occurred at least `min` times in the period, with that
   * count: one pass, the count a window over the period's cases. Most cases first.
   */
  async hotSpotCases(period: DayRange, towns: readonly string[] | null, min: number): Promise<HotSpotCaseRow[]> {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    return this.store.all<HotSpotCaseRow>(
      `SELECT * FROM (
           SELECT e.id, e.grid_id, e.micro_grid_id, e.item_code, e.item_name, e.category, e.lon, e.lat, e.reported_at, e.status,
                  COUNT(*) OVER (PARTITION BY e.grid_id, e.item_code) AS n
             FROM events e WHERE ${range.sql} AND e.status NOT IN (${NOT_AN_OCCURRENCE})${scope.sql}
         ) AS c WHERE n >= ? ORDER BY n DESC, grid_id, item_code, reported_at DESC, id DESC`,
      ...range.args,
      ...scope.args,
      min,
    );
  }

  /** Grids with their village and town names, label point and bounds. */
  async grids(ids: readonly string[]): Promise<Map<string, GridPlaceRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.all<GridPlaceRow>(
      `SELECT g.id, g.name, g.code, g.label_lon, g.label_lat, g.min_lon, g.min_lat, g.max_lon, g.max_lat, v.name AS village_name, t.id AS town_id, t.name AS town_name
         FROM regions g JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
        WHERE g.id IN (${ids.map(() => '?').join(',')})`,
      ...ids,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async regionNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.all<{ id: string; name: string }>(`SELECT id, name FROM regions WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Cases reported on `day` whose micro-grid had a case of the same item in the `windowDays`
   * before it (the earlier ones found through the item's index).
   */
  async repeats(day: DayRange, windowDays: number, towns: readonly string[] | null): Promise<RepeatRow[]> {
    const range = within('e.reported_at', instantRanges([day]));
    const scope = inTowns(towns);
    const days = Math.trunc(windowDays);
    const earlier = `FROM events p WHERE p.item_code = e.item_code AND p.micro_grid_id = e.micro_grid_id
                        AND p.reported_at < e.reported_at AND p.reported_at >= ${daysBeforeSql(this.store.dialect, 'e.reported_at', days)}
                        AND p.status NOT IN (${NOT_AN_OCCURRENCE})`;
    // string_agg with its own ORDER BY: PostgreSQL's, and SQLite's since 3.44 (group_concat's alias)
    return this.store.all<RepeatRow>(
      `SELECT ${AGENDA_COLUMNS},
              (SELECT string_agg(p.id || ':' || p.status, ',' ORDER BY p.reported_at DESC, p.id DESC) ${earlier}) AS earlier
         FROM events e
        WHERE ${range.sql} AND e.status NOT IN (${NOT_AN_OCCURRENCE})${scope.sql} AND EXISTS (SELECT 1 ${earlier})
        ORDER BY e.reported_at DESC, e.id DESC`,
      ...range.args,
      ...scope.args,
    );
  }

  /** Open cases past their step's deadline at `now` (by the clock or the deadline monitor), latest first. */
  async overdue(now: Date, towns: readonly string[] | null): Promise<AgendaCaseRow[]> {
    const scope = inTowns(towns);
    // NULLS FIRST: SQLite's order of nulls, which PostgreSQL puts last unless told
    return this.store.all<AgendaCaseRow>(
      `SELECT ${AGENDA_COLUMNS} FROM events e
        WHERE e.status IN (${OPEN_LIST}) AND (e.deadline_state = 'overdue' OR e.deadline_at <= ?)${scope.sql}
        ORDER BY e.deadline_at NULLS FIRST, e.id`,
      now.toISOString(),
      ...scope.args,
    );
  }

  /** Open cases under supervision (督办), oldest first. */
  async supervised(towns: readonly string[] | null): Promise<AgendaCaseRow[]> {
    const scope = inTowns(towns);
    return this.store.all<AgendaCaseRow>(
      `SELECT ${AGENDA_COLUMNS} FROM events e WHERE e.status IN (${OPEN_LIST}) AND e.supervised = 1${scope.sql} ORDER BY e.reported_at, e.id`,
      ...scope.args,
    );
  }
}
