import type { BriefingCase, BriefingHotSpot, BriefingStep, BriefingTeam, BriefingTopItem } from '../../../../shared/contracts/briefing.js';
import { OPEN_STATUSES, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import type { Store } from '../../db/store.js';
import { bindNamed } from '../../db/named-args.js';

/**
 * The briefing's SQL. Times are stored as ISO UTC strings with milliseconds, so they compare as
 * text. Two kinds of figures (docs/WORKFLOW.md "Shift briefing"):
 *
 * - what happened in the period [from, to): reports by `reported_at`, filings by `filed_at`,
 *   closings by `closed_at` (each set once), dispatches by the timeline (`event_actions`), since
 *   `dispatched_at` is moved by a re-dispatch;
 * - what stands at `asOf`: a case's state then is the state its last timeline entry before
 *   `asOf` left it in, so a past briefing reads the same tomorrow as today. Only the closing
 *   deadline (`due_at`) is read as it is now, extensions included, as the KPIs read it.
 *
 * On the async Store (docs/POSTGRES.md) the SQL is the same on both dialects but for one JSON
 * read (steps): conditions are counted with `COUNT(*) FILTER (WHERE …)` (TOTAL's 3.0 and
 * COUNT's 3 are one JS number), flags read as `CASE WHEN … THEN 1 ELSE 0 END` (PostgreSQL gives
 * booleans), mixed-case aliases are quoted, a derived table is named, and every list has a total order.
 */

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/** Per-town counts of what happened in the period. */
export interface ActivityRow {
  townId: string;
  reported: number;
  notAdmitted: number;
  filed: number;
  dispatched: number;
  closed: number;
  closedOnTime: number;
}

/** A case open at `asOf`, with what the lists and the map need. */
export interface StandingRow extends BriefingCase {
  lon: number;
  lat: number;
}

/** A case reported in the period, for the map picture. */
export interface MapEventRow {
  id: string;
  lon: number;
  lat: number;
  urgency: Urgency;
  /** Still open at `asOf`. */
  open: boolean;
}

/** A case reported in the period, as the XLSX cases sheet lists it (the reporter unmasked: the caller masks). */
export interface CaseSheetRow extends BriefingCase {
  source: string;
  reporterName: string;
  reporterPhone: string;
  overdue: boolean;
}

/** A town, county or city with its outline (GeoJSON Polygon text) and label anchor, for the map picture. */
export interface AreaRow {
  id: string;
  level: string;
  code: string;
  name: string;
  geometry: string;
  labelLon: number;
  labelLat: number;
}

interface Bounds {
  from: string;
  to: string;
}

/** `AND e.town_id IN (?, …)` for a scope, with its arguments; nothing for the county. */
function scopeSql(towns: readonly string[] | null): { sql: string; args: string[] } {
  if (!towns) return { sql: '', args: [] };
  return { sql: `AND e.town_id IN (${towns.map(() => '?').join(',') || 'NULL'})`, args: [...towns] };
}

/** The state of case `e` just before `@asOf`: what its last timeline entry before then left it in. */
const STATUS_AT = `(SELECT a.to_status FROM event_actions a WHERE a.event_id = e.id AND a.at < @asOf ORDER BY a.seq DESC LIMIT 1)`;
/** 1 when case `e` was put under supervision before `@asOf`, else 0. */
const SUPERVISED_AT = `CASE WHEN EXISTS (SELECT 1 FROM event_actions s WHERE s.event_id = e.id AND s.action = 'supervise' AND s.at < @asOf) THEN 1 ELSE 0 END`;

/** The columns of a listed case, over `events e` joined to its regions `t`, `v`, `g` and team `tm`. */
const CASE_COLUMNS = `
  e.id, e.item_code, e.item_name, e.urgency, e.town_id, t.name AS town_name, c.name AS county_name, v.name || ' › ' || g.name AS place,
  e.reported_at, e.due_at, CASE WHEN e.closed_at < @asOf THEN e.closed_at END AS closed_at, tm.name AS team_name,
  ${SUPERVISED_AT} AS supervised_then, e.lon, e.lat`;
const CASE_JOINS = `
  JOIN regions t ON t.id = e.town_id JOIN regions v ON v.id = e.village_id JOIN regions g ON g.id = e.grid_id
  LEFT JOIN regions c ON c.id = t.parent_id AND c.level = 'county'
  LEFT JOIN teams tm ON tm.id = e.team_id`;

interface CaseRowDb {
  id: string;
  item_code: string;
  item_name: string;
  urgency: Urgency;
  town_id: string;
  town_name: string;
  county_name: string | null;
  place: string;
  reported_at: string;
  due_at: string | null;
  closed_at: string | null;
  team_name: string | null;
  supervised_then: number;
  lon: number;
  lat: number;
  status_then: EventStatus;
}

const toCase = (r: CaseRowDb): StandingRow => ({
  id: r.id,
  itemCode: r.item_code,
  itemName: r.item_name,
  urgency: r.urgency,
  status: r.status_then,
  townId: r.town_id,
  townName: r.town_name,
  countyName: r.county_name,
  place: r.place,
  reportedAt: r.reported_at,
  dueAt: r.due_at,
  closedAt: r.closed_at,
  teamName: r.team_name,
  supervised: r.supervised_then === 1,
  lon: r.lon,
  lat: r.lat,
});

export class BriefingRepo {
  constructor(private readonly store: Store) {}

  /** A statement's rows, its `@name` parameters taken from `named` and its `?` from `positional` in order. */
  private async rows<R>(sqlText: string, named: object, positional: readonly unknown[]): Promise<R[]> {
    const bound = bindNamed(sqlText, named, positional);
    return this.store.all<R>(bound.sql, ...bound.args);
  }

  /** The towns of a scope (all of the platform's for null), in code order. */
  async towns(towns: readonly string[] | null): Promise<Array<{ id: string; name: string }>> {
    const scope = towns ? `AND id IN (${towns.map(() => '?').join(',') || 'NULL'})` : '';
    return this.store.all<{ id: string; name: string }>(`SELECT id, name FROM regions WHERE level = 'town' ${scope} ORDER BY code`, ...(towns ?? []));
  }

  /** Towns, counties or cities by id, in code order, with their outlines. */
  async areas(ids: readonly string[]): Promise<AreaRow[]> {
    if (ids.length === 0) return [];
    return this.store.all<AreaRow>(
      `SELECT id, level, code, name, geometry, label_lon AS "labelLon", label_lat AS "labelLat" FROM regions WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY code`,
      ...ids,
    );
  }

  /** What happened in the period, per town (only towns where something did), in town id order. */
  async activity(p: Bounds, towns: readonly string[] | null): Promise<ActivityRow[]> {
    const scope = scopeSql(towns);
    const named = { from: p.from, to: p.to };
    const rows = await this.rows<Omit<ActivityRow, 'dispatched'>>(
      `SELECT e.town_id AS "townId",
              COUNT(*) FILTER (WHERE e.reported_at >= @from AND e.reported_at < @to) AS reported,
              COUNT(*) FILTER (WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status = 'not_admitted') AS "notAdmitted",
              COUNT(*) FILTER (WHERE e.filed_at >= @from AND e.filed_at < @to) AS filed,
              COUNT(*) FILTER (WHERE e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to) AS closed,
              COUNT(*) FILTER (WHERE e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to AND e.closed_at <= e.due_at) AS "closedOnTime"
         FROM events e
        WHERE ((e.reported_at >= @from AND e.reported_at < @to) OR (e.filed_at >= @from AND e.filed_at < @to) OR (e.closed_at >= @from AND e.closed_at < @to)) ${scope.sql}
        GROUP BY e.town_id ORDER BY e.town_id`,
      named,
      scope.args,
    );
    // A case changed in the period has its last change (updated_at) at or after `from`: a cheap
    // filter on the cases before their timelines are read. A case handled on the spot (自行处置)
    // is filed and dispatched to its reporter at intake, as the KPIs count it.
    const dispatched = await this.rows<{ townId: string; n: number }>(
      `SELECT e.town_id AS "townId", COUNT(DISTINCT a.event_id) AS n
         FROM events e JOIN event_actions a ON a.event_id = e.id
        WHERE e.updated_at >= @from AND e.reported_at < @to AND a.at >= @from AND a.at < @to
          AND ((a.to_status = 'dispatched' AND a.action IN ('dispatch', 'auto-dispatch')) OR a.action = 'self-handled') ${scope.sql}
        GROUP BY e.town_id ORDER BY e.town_id`,
      named,
      scope.args,
    );
    const byTown = new Map<string, ActivityRow>(rows.map((r) => [r.townId, { ...r, dispatched: 0 }]));
    for (const d of dispatched) {
      const row = byTown.get(d.townId) ?? { townId: d.townId, reported: 0, notAdmitted: 0, filed: 0, dispatched: 0, closed: 0, closedOnTime: 0 };
      row.dispatched = d.n;
      byTown.set(d.townId, row);
    }
    return [...byTown.values()];
  }

  /**
   * Every case open at `asOf`, most pressing first (closing deadline, then urgency). A case
   * finished now whose last change came before `asOf` was finished then too (finished states are
   * final), so only open cases and cases changed since need their timeline read.
   */
  async standing(asOf: string, towns: readonly string[] | null): Promise<StandingRow[]> {
    const scope = scopeSql(towns);
    const rows = await this.rows<CaseRowDb>(
      `SELECT * FROM (
         SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then
           FROM events e ${CASE_JOINS}
          WHERE e.reported_at < @asOf AND e.status <> 'not_admitted'
            AND (e.status IN (${OPEN_LIST}) OR e.updated_at >= @asOf) ${scope.sql}
       ) AS cases WHERE status_then IN (${OPEN_LIST})
       ORDER BY due_at IS NULL, due_at, urgency, reported_at, id`,
      { asOf },
      scope.args,
    );
    return rows.map(toCase);
  }

  /** Cases reported in the period (admitted), for the map: where, how urgent, still open at `asOf`. */
  async mapEvents(p: Bounds & { asOf: string }, towns: readonly string[] | null): Promise<MapEventRow[]> {
    const scope = scopeSql(towns);
    const rows = await this.rows<Omit<MapEventRow, 'open'> & { open: number }>(
      `SELECT e.id, e.lon, e.lat, e.urgency, CASE WHEN ${STATUS_AT} IN (${OPEN_LIST}) THEN 1 ELSE 0 END AS open
         FROM events e
        WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
        ORDER BY e.urgency DESC, e.reported_at, e.id`,
      p,
      scope.args,
    );
    return rows.map((r) => ({ ...r, open: r.open === 1 }));
  }

  /** Every case reported in the period, for the XLSX cases sheet, with its reporter and its state at `asOf`. */
  async reportedCases(p: Bounds & { asOf: string }, towns: readonly string[] | null): Promise<CaseSheetRow[]> {
    const scope = scopeSql(towns);
    const rows = await this.rows<CaseRowDb & { source: string; reporter_name: string; reporter_phone: string }>(
      `SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then, e.source, e.reporter_name, e.reporter_phone
         FROM events e ${CASE_JOINS}
        WHERE e.reported_at >= @from AND e.reported_at < @to ${scope.sql}
        ORDER BY e.reported_at, e.id`,
      p,
      scope.args,
    );
    return rows.map((r) => {
      const c = toCase(r);
      const { lon: _lon, lat: _lat, ...rest } = c;
      return {
        ...rest,
        source: r.source,
        reporterName: r.reporter_name,
        reporterPhone: r.reporter_phone,
        overdue: OPEN_STATUSES.includes(c.status) && c.dueAt !== null && c.dueAt < p.asOf,
      };
    });
  }

  /** The items reported most in the period (admitted cases), and how many of each were closed by `asOf`. */
  async topItems(p: Bounds & { asOf: string }, towns: readonly string[] | null, limit: number): Promise<BriefingTopItem[]> {
    const scope = scopeSql(towns);
    return this.rows<BriefingTopItem>(
      `SELECT e.item_code AS "itemCode", MIN(e.item_name) AS "itemName", COUNT(*) AS count,
              COUNT(*) FILTER (WHERE e.status = 'closed' AND e.closed_at < @asOf) AS closed
         FROM events e
        WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
        GROUP BY e.item_code ORDER BY count DESC, e.item_code LIMIT ${limit}`,
      p,
      scope.args,
    );
  }

  /** Grids with two or more admitted reports of one item in the period, most first. */
  async hotSpots(p: Bounds, towns: readonly string[] | null, limit: number): Promise<BriefingHotSpot[]> {
    const scope = scopeSql(towns);
    // a grid lies in one town: MIN(e.town_id) is its cases' town (PostgreSQL takes no bare column beside a GROUP BY)
    return this.rows<BriefingHotSpot>(
      `SELECT h.grid_id AS "gridId", t.name || ' › ' || v.name || ' › ' || g.name AS place, h.town_id AS "townId",
              h.item_code AS "itemCode", h.item_name AS "itemName", h.n AS count
         FROM (SELECT e.grid_id, MIN(e.town_id) AS town_id, e.item_code, MIN(e.item_name) AS item_name, COUNT(*) AS n
                 FROM events e
                WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
                GROUP BY e.grid_id, e.item_code HAVING COUNT(*) >= 2) h
         JOIN regions g ON g.id = h.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
        ORDER BY h.n DESC, g.code, h.item_code LIMIT ${limit}`,
      { from: p.from, to: p.to },
      scope.args,
    );
  }

  /**
   * Notable cases: P0/P1 reported in the period, and cases put under supervision in it; urgent
   * first, then by report time.
   */
  async notable(p: Bounds & { asOf: string }, towns: readonly string[] | null, limit: number): Promise<Array<StandingRow & { urgent: boolean; supervisedInPeriod: boolean }>> {
    const scope = scopeSql(towns);
    const rows = await this.rows<CaseRowDb & { urgent: number; supervised_in_period: number }>(
      `SELECT * FROM (
         SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then,
                CASE WHEN e.reported_at >= @from AND e.urgency IN ('P0', 'P1') THEN 1 ELSE 0 END AS urgent,
                CASE WHEN e.updated_at >= @from AND EXISTS (SELECT 1 FROM event_actions s WHERE s.event_id = e.id AND s.action = 'supervise' AND s.at >= @from AND s.at < @to) THEN 1 ELSE 0 END AS supervised_in_period
           FROM events e ${CASE_JOINS}
          WHERE e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
       ) AS cases WHERE urgent = 1 OR supervised_in_period = 1
       ORDER BY urgency, reported_at, id LIMIT ${limit}`,
      p,
      scope.args,
    );
    return rows.map((r) => ({ ...toCase(r), urgent: r.urgent === 1, supervisedInPeriod: r.supervised_in_period === 1 }));
  }

  /** A case's timeline up to `asOf`, as the briefing prints it. */
  async steps(eventId: string, asOf: string): Promise<BriefingStep[]> {
    // the team's name recorded in the step, for a team deleted since
    const recorded = this.store.dialect === 'postgres' ? `a.details ->> 'teamName'` : `json_extract(a.details, '$.teamName')`;
    return this.store.all<BriefingStep>(
      `SELECT a.at, a.action, a.to_status AS "to", a.display_name AS actor, COALESCE(tm.name, ${recorded}) AS "teamName", a.note
         FROM event_actions a LEFT JOIN teams tm ON tm.id = a.team_id
        WHERE a.event_id = ? AND a.at < ? ORDER BY a.seq`,
      eventId,
      asOf,
    );
  }

  /** What each team did in the period on cases of the scope (teams that did nothing are left out). */
  async teams(p: Bounds, towns: readonly string[] | null): Promise<BriefingTeam[]> {
    const scope = scopeSql(towns);
    const named = { from: p.from, to: p.to };
    const acted = await this.rows<{ teamId: string; dispatched: number; handled: number; returned: number }>(
      `SELECT a.team_id AS "teamId",
              COUNT(DISTINCT CASE WHEN a.to_status = 'dispatched' AND a.action IN ('dispatch', 'auto-dispatch') THEN a.event_id END) AS dispatched,
              COUNT(DISTINCT CASE WHEN a.action = 'report' THEN a.event_id END) AS handled,
              COUNT(DISTINCT CASE WHEN a.action = 'return' THEN a.event_id END) AS returned
         FROM events e JOIN event_actions a ON a.event_id = e.id
        WHERE e.updated_at >= @from AND e.reported_at < @to AND a.at >= @from AND a.at < @to AND a.team_id IS NOT NULL ${scope.sql}
        GROUP BY a.team_id ORDER BY a.team_id`,
      named,
      scope.args,
    );
    const closed = await this.rows<{ teamId: string; closed: number }>(
      `SELECT e.team_id AS "teamId", COUNT(*) AS closed FROM events e
        WHERE e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to AND e.team_id IS NOT NULL ${scope.sql}
        GROUP BY e.team_id ORDER BY e.team_id`,
      named,
      scope.args,
    );
    const byTeam = new Map<string, Omit<BriefingTeam, 'name' | 'type'>>();
    for (const a of acted) byTeam.set(a.teamId, { ...a, closed: 0 });
    for (const c of closed) byTeam.set(c.teamId, { ...(byTeam.get(c.teamId) ?? { teamId: c.teamId, dispatched: 0, handled: 0, returned: 0 }), closed: c.closed });
    if (byTeam.size === 0) return [];
    const ids = [...byTeam.keys()];
    const names = new Map(
      (await this.store.all<{ id: string; name: string; type: string }>(`SELECT id, name, type FROM teams WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids)).map((t) => [t.id, t]),
    );
    return [...byTeam.values()]
      .map((t) => ({ ...t, name: names.get(t.teamId)?.name ?? t.teamId, type: names.get(t.teamId)?.type ?? '' }))
      .sort((a, b) => b.dispatched - a.dispatched || b.closed - a.closed || a.name.localeCompare(b.name, 'zh-CN') || a.teamId.localeCompare(b.teamId));
  }
}
