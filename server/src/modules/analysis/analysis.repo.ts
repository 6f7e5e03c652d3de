import type { Db } from '../../db/connection.js';
import { FLOW_METRICS, type FlowMetric } from '../../../../shared/contracts/analysis.js';
import { OPEN_STATUSES, type EventSource, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import { DAY_MS, periodStart } from '../../../../shared/contracts/period.js';
import type { DayRange } from '../../../../shared/domain/calendar-days.js';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');
/** Not a case at all: a refused intake. */
const NOT_A_CASE = "'not_admitted'";
/** Not an occurrence of its own: a refused intake, a duplicate merged into another case, a voided report. */
const NOT_AN_OCCURRENCE = "'not_admitted','merged','void'";

/** The China calendar day of a stored ISO UTC instant, as `YYYY-MM-DD`. */
const chinaDay = (column: string) => `date(${column}, '+8 hours')`;

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
  constructor(private readonly db: Db) {}

  /** Cases reported (admitted), filed, dispatched and closed per China day, over the ranges. */
  dailyFlows(ranges: readonly DayRange[], towns: readonly string[] | null): DailyFlows {
    const instants = instantRanges(ranges);
    const scope = inTowns(towns);
    const parts = FLOW_METRICS.map((metric) => {
      const column = `e.${FLOW_COLUMNS[metric]}`;
      const range = within(column, instants);
      const admitted = metric === 'reported' ? ` AND e.status <> ${NOT_A_CASE}` : '';
      return {
        sql: `SELECT '${metric}' AS metric, ${chinaDay(column)} AS day, COUNT(*) AS n FROM events e WHERE ${range.sql}${admitted}${scope.sql} GROUP BY day`,
        args: [...range.args, ...scope.args],
      };
    });
    const rows = this.db.prepare(parts.map((p) => p.sql).join('\nUNION ALL\n')).all(...parts.flatMap((p) => p.args)) as Array<{ metric: FlowMetric; day: string; n: number }>;
    const flows = Object.fromEntries(FLOW_METRICS.map((m) => [m, new Map<string, number>()])) as DailyFlows;
    for (const r of rows) flows[r.metric].set(r.day, r.n);
    return flows;
  }

  /** Reported cases of the period by category and channel. */
  mix(period: DayRange, towns: readonly string[] | null): Array<{ category: string; source: EventSource; n: number }> {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    return this.db
      .prepare(`SELECT e.category, e.source, COUNT(*) AS n FROM events e WHERE ${range.sql} AND e.status <> ${NOT_A_CASE}${scope.sql} GROUP BY e.category, e.source`)
      .all(...range.args, ...scope.args) as Array<{ category: string; source: EventSource; n: number }>;
  }

  /** Category names of the catalog (its latest version that has the category), Chinese and English. */
  categoryNames(): Map<string, { zh: string; en: string }> {
    const rows = this.db
      .prepare(
        `SELECT json_extract(item, '$.category') AS category, json_extract(item, '$.categoryName') AS zh, json_extract(item, '$.categoryNameEn') AS en
           FROM catalog_version_items ORDER BY version`,
      )
      .all() as Array<{ category: string; zh: string; en: string }>;
    return new Map(rows.map((r) => [r.category, { zh: r.zh, en: r.en }]));
  }

  /** Reported cases of the period by weekday (SQLite's: 0 = Sunday) and hour, China time. */
  hours(period: DayRange, towns: readonly string[] | null): Array<{ w: number; h: number; n: number }> {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    return this.db
      .prepare(
        `SELECT CAST(strftime('%w', e.reported_at, '+8 hours') AS INTEGER) AS w, CAST(strftime('%H', e.reported_at, '+8 hours') AS INTEGER) AS h, COUNT(*) AS n
           FROM events e WHERE ${range.sql} AND e.status <> ${NOT_A_CASE}${scope.sql} GROUP BY w, h`,
      )
      .all(...range.args, ...scope.args) as Array<{ w: number; h: number; n: number }>;
  }

  /**
   * The cases of every (grid, item) that occurred at least `min` times in the period, with that
   * count: one pass, the count a window over the period's cases. Most cases first.
   */
  hotSpotCases(period: DayRange, towns: readonly string[] | null, min: number): HotSpotCaseRow[] {
    const range = within('e.reported_at', instantRanges([period]));
    const scope = inTowns(towns);
    return this.db
      .prepare(
        `SELECT * FROM (
           SELECT e.id, e.grid_id, e.micro_grid_id, e.item_code, e.item_name, e.category, e.lon, e.lat, e.reported_at, e.status,
                  COUNT(*) OVER (PARTITION BY e.grid_id, e.item_code) AS n
             FROM events e WHERE ${range.sql} AND e.status NOT IN (${NOT_AN_OCCURRENCE})${scope.sql}
         ) WHERE n >= ? ORDER BY n DESC, grid_id, item_code, reported_at DESC, id DESC`,
      )
      .all(...range.args, ...scope.args, min) as HotSpotCaseRow[];
  }

  /** Grids with their village and town names, label point and bounds. */
  grids(ids: readonly string[]): Map<string, GridPlaceRow> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT g.id, g.name, g.code, g.label_lon, g.label_lat, g.min_lon, g.min_lat, g.max_lon, g.max_lat, v.name AS village_name, t.id AS town_id, t.name AS town_name
           FROM regions g JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
          WHERE g.id IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids) as GridPlaceRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  regionNames(ids: readonly string[]): Map<string, string> {
    if (ids.length === 0) return new Map();
    const rows = this.db.prepare(`SELECT id, name FROM regions WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Cases reported on `day` whose micro-grid had a case of the same item in the `windowDays`
   * before it (the earlier ones found through the item's index).
   */
  repeats(day: DayRange, windowDays: number, towns: readonly string[] | null): RepeatRow[] {
    const range = within('e.reported_at', instantRanges([day]));
    const scope = inTowns(towns);
    const earlier = `FROM events p WHERE p.item_code = e.item_code AND p.micro_grid_id = e.micro_grid_id
                        AND p.reported_at < e.reported_at AND p.reported_at >= strftime('%Y-%m-%dT%H:%M:%fZ', e.reported_at, '-${windowDays} days')
                        AND p.status NOT IN (${NOT_AN_OCCURRENCE})`;
    return this.db
      .prepare(
        `SELECT ${AGENDA_COLUMNS},
                (SELECT group_concat(x, ',') FROM (SELECT p.id || ':' || p.status AS x ${earlier} ORDER BY p.reported_at DESC, p.id DESC)) AS earlier
           FROM events e
          WHERE ${range.sql} AND e.status NOT IN (${NOT_AN_OCCURRENCE})${scope.sql} AND EXISTS (SELECT 1 ${earlier})
          ORDER BY e.reported_at DESC, e.id DESC`,
      )
      .all(...range.args, ...scope.args) as RepeatRow[];
  }

  /** Open cases past their step's deadline at `now` (by the clock or the deadline monitor), latest first. */
  overdue(now: Date, towns: readonly string[] | null): AgendaCaseRow[] {
    const scope = inTowns(towns);
    return this.db
      .prepare(
        `SELECT ${AGENDA_COLUMNS} FROM events e
          WHERE e.status IN (${OPEN_LIST}) AND (e.deadline_state = 'overdue' OR e.deadline_at <= ?)${scope.sql}
          ORDER BY e.deadline_at, e.id`,
      )
      .all(now.toISOString(), ...scope.args) as AgendaCaseRow[];
  }

  /** Open cases under supervision (督办), oldest first. */
  supervised(towns: readonly string[] | null): AgendaCaseRow[] {
    const scope = inTowns(towns);
    return this.db
      .prepare(`SELECT ${AGENDA_COLUMNS} FROM events e WHERE e.status IN (${OPEN_LIST}) AND e.supervised = 1${scope.sql} ORDER BY e.reported_at, e.id`)
      .all(...scope.args) as AgendaCaseRow[];
  }
}
