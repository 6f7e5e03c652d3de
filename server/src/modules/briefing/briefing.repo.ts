import type { BriefingCase, BriefingHotSpot, BriefingStep, BriefingTeam, BriefingTopItem } from '../../../../shared/contracts/briefing.js';
import { OPEN_STATUSES, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import type { Db } from '../../db/connection.js';

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
const SUPERVISED_AT = `EXISTS (SELECT 1 FROM event_actions s WHERE s.event_id = e.id AND s.action = 'supervise' AND s.at < @asOf)`;

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
  constructor(private readonly db: Db) {}

  /** The towns of a scope (all of the platform's for null), in code order. */
  towns(towns: readonly string[] | null): Array<{ id: string; name: string }> {
    const scope = towns ? `AND id IN (${towns.map(() => '?').join(',') || 'NULL'})` : '';
    return this.db.prepare(`SELECT id, name FROM regions WHERE level = 'town' ${scope} ORDER BY code`).all(...(towns ?? [])) as Array<{ id: string; name: string }>;
  }

  /** Towns, counties or cities by id, in code order, with their outlines. */
  areas(ids: readonly string[]): AreaRow[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare(`SELECT id, level, code, name, geometry, label_lon AS labelLon, label_lat AS labelLat FROM regions WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY code`)
      .all(...ids) as AreaRow[];
  }

  /** What happened in the period, per town (only towns where something did). */
  activity(p: Bounds, towns: readonly string[] | null): ActivityRow[] {
    const scope = scopeSql(towns);
    const rows = this.db
      .prepare(
        `SELECT e.town_id AS townId,
                TOTAL(e.reported_at >= @from AND e.reported_at < @to) AS reported,
                TOTAL(e.reported_at >= @from AND e.reported_at < @to AND e.status = 'not_admitted') AS notAdmitted,
                TOTAL(IFNULL(e.filed_at >= @from AND e.filed_at < @to, 0)) AS filed,
                TOTAL(IFNULL(e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to, 0)) AS closed,
                TOTAL(IFNULL(e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to AND e.closed_at <= e.due_at, 0)) AS closedOnTime
           FROM events e
          WHERE ((e.reported_at >= @from AND e.reported_at < @to) OR (e.filed_at >= @from AND e.filed_at < @to) OR (e.closed_at >= @from AND e.closed_at < @to)) ${scope.sql}
          GROUP BY e.town_id`,
      )
      .all(p, ...scope.args) as Array<Omit<ActivityRow, 'dispatched'>>;
    // A case changed in the period has its last change (updated_at) at or after `from`: a cheap
    // filter on the cases before their timelines are read. A case handled on the spot (自行处置)
    // is filed and dispatched to its reporter at intake, as the KPIs count it.
    const dispatched = this.db
      .prepare(
        `SELECT e.town_id AS townId, COUNT(DISTINCT a.event_id) AS n
           FROM events e JOIN event_actions a ON a.event_id = e.id
          WHERE e.updated_at >= @from AND e.reported_at < @to AND a.at >= @from AND a.at < @to
            AND ((a.to_status = 'dispatched' AND a.action IN ('dispatch', 'auto-dispatch')) OR a.action = 'self-handled') ${scope.sql}
          GROUP BY e.town_id`,
      )
      .all(p, ...scope.args) as Array<{ townId: string; n: number }>;
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
  standing(asOf: string, towns: readonly string[] | null): StandingRow[] {
    const scope = scopeSql(towns);
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then
             FROM events e ${CASE_JOINS}
            WHERE e.reported_at < @asOf AND e.status <> 'not_admitted'
              AND (e.status IN (${OPEN_LIST}) OR e.updated_at >= @asOf) ${scope.sql}
         ) WHERE status_then IN (${OPEN_LIST})
         ORDER BY due_at IS NULL, due_at, urgency, reported_at, id`,
      )
      .all({ asOf }, ...scope.args) as CaseRowDb[];
    return rows.map(toCase);
  }

  /** Cases reported in the period (admitted), for the map: where, how urgent, still open at `asOf`. */
  mapEvents(p: Bounds & { asOf: string }, towns: readonly string[] | null): MapEventRow[] {
    const scope = scopeSql(towns);
    const rows = this.db
      .prepare(
        `SELECT e.id, e.lon, e.lat, e.urgency, ${STATUS_AT} IN (${OPEN_LIST}) AS open
           FROM events e
          WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
          ORDER BY e.urgency DESC, e.reported_at, e.id`,
      )
      .all(p, ...scope.args) as Array<Omit<MapEventRow, 'open'> & { open: number | null }>;
    return rows.map((r) => ({ ...r, open: r.open === 1 }));
  }

  /** Every case reported in the period, for the XLSX cases sheet, with its reporter and its state at `asOf`. */
  reportedCases(p: Bounds & { asOf: string }, towns: readonly string[] | null): CaseSheetRow[] {
    const scope = scopeSql(towns);
    const rows = this.db
      .prepare(
        `SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then, e.source, e.reporter_name, e.reporter_phone
           FROM events e ${CASE_JOINS}
          WHERE e.reported_at >= @from AND e.reported_at < @to ${scope.sql}
          ORDER BY e.reported_at, e.id`,
      )
      .all(p, ...scope.args) as Array<CaseRowDb & { source: string; reporter_name: string; reporter_phone: string }>;
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
  topItems(p: Bounds & { asOf: string }, towns: readonly string[] | null, limit: number): BriefingTopItem[] {
    const scope = scopeSql(towns);
    return this.db
      .prepare(
        `SELECT e.item_code AS itemCode, MIN(e.item_name) AS itemName, COUNT(*) AS count,
                TOTAL(IFNULL(e.status = 'closed' AND e.closed_at < @asOf, 0)) AS closed
           FROM events e
          WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
          GROUP BY e.item_code ORDER BY count DESC, e.item_code LIMIT ${limit}`,
      )
      .all(p, ...scope.args) as BriefingTopItem[];
  }

  /** Grids with two or more admitted reports of one item in the period, most first. */
  hotSpots(p: Bounds, towns: readonly string[] | null, limit: number): BriefingHotSpot[] {
    const scope = scopeSql(towns);
    return this.db
      .prepare(
        `SELECT h.grid_id AS gridId, t.name || ' › ' || v.name || ' › ' || g.name AS place, h.town_id AS townId,
                h.item_code AS itemCode, h.item_name AS itemName, h.n AS count
           FROM (SELECT e.grid_id, e.town_id, e.item_code, MIN(e.item_name) AS item_name, COUNT(*) AS n
                   FROM events e
                  WHERE e.reported_at >= @from AND e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
                  GROUP BY e.grid_id, e.item_code HAVING COUNT(*) >= 2) h
           JOIN regions g ON g.id = h.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
          ORDER BY h.n DESC, g.code, h.item_code LIMIT ${limit}`,
      )
      .all(p, ...scope.args) as BriefingHotSpot[];
  }

  /**
   * Notable cases: P0/P1 reported in the period, and cases put under supervision in it; urgent
   * first, then by report time.
   */
  notable(p: Bounds & { asOf: string }, towns: readonly string[] | null, limit: number): Array<StandingRow & { urgent: boolean; supervisedInPeriod: boolean }> {
    const scope = scopeSql(towns);
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT ${CASE_COLUMNS}, ${STATUS_AT} AS status_then,
                  (e.reported_at >= @from AND e.urgency IN ('P0', 'P1')) AS urgent,
                  (e.updated_at >= @from AND EXISTS (SELECT 1 FROM event_actions s WHERE s.event_id = e.id AND s.action = 'supervise' AND s.at >= @from AND s.at < @to)) AS supervised_in_period
             FROM events e ${CASE_JOINS}
            WHERE e.reported_at < @to AND e.status <> 'not_admitted' ${scope.sql}
         ) WHERE urgent OR supervised_in_period
         ORDER BY urgency, reported_at, id LIMIT ${limit}`,
      )
      .all(p, ...scope.args) as Array<CaseRowDb & { urgent: number; supervised_in_period: number }>;
    return rows.map((r) => ({ ...toCase(r), urgent: r.urgent === 1, supervisedInPeriod: r.supervised_in_period === 1 }));
  }

  /** A case's timeline up to `asOf`, as the briefing prints it. */
  steps(eventId: string, asOf: string): BriefingStep[] {
    return this.db
      .prepare(
        `SELECT a.at, a.action, a.to_status AS "to", a.display_name AS actor, COALESCE(tm.name, json_extract(a.details, '$.teamName')) AS teamName, a.note
           FROM event_actions a LEFT JOIN teams tm ON tm.id = a.team_id
          WHERE a.event_id = ? AND a.at < ? ORDER BY a.seq`,
      )
      .all(eventId, asOf) as BriefingStep[];
  }

  /** What each team did in the period on cases of the scope (teams that did nothing are left out). */
  teams(p: Bounds, towns: readonly string[] | null): BriefingTeam[] {
    const scope = scopeSql(towns);
    const acted = this.db
      .prepare(
        `SELECT a.team_id AS teamId,
                COUNT(DISTINCT CASE WHEN a.to_status = 'dispatched' AND a.action IN ('dispatch', 'auto-dispatch') THEN a.event_id END) AS dispatched,
                COUNT(DISTINCT CASE WHEN a.action = 'report' THEN a.event_id END) AS handled,
                COUNT(DISTINCT CASE WHEN a.action = 'return' THEN a.event_id END) AS returned
           FROM events e JOIN event_actions a ON a.event_id = e.id
          WHERE e.updated_at >= @from AND e.reported_at < @to AND a.at >= @from AND a.at < @to AND a.team_id IS NOT NULL ${scope.sql}
          GROUP BY a.team_id`,
      )
      .all(p, ...scope.args) as Array<{ teamId: string; dispatched: number; handled: number; returned: number }>;
    const closed = this.db
      .prepare(
        `SELECT e.team_id AS teamId, COUNT(*) AS closed FROM events e
          WHERE e.status = 'closed' AND e.closed_at >= @from AND e.closed_at < @to AND e.team_id IS NOT NULL ${scope.sql}
          GROUP BY e.team_id`,
      )
      .all(p, ...scope.args) as Array<{ teamId: string; closed: number }>;
    const byTeam = new Map<string, Omit<BriefingTeam, 'name' | 'type'>>();
    for (const a of acted) byTeam.set(a.teamId, { ...a, closed: 0 });
    for (const c of closed) byTeam.set(c.teamId, { ...(byTeam.get(c.teamId) ?? { teamId: c.teamId, dispatched: 0, handled: 0, returned: 0 }), closed: c.closed });
    if (byTeam.size === 0) return [];
    const ids = [...byTeam.keys()];
    const names = new Map(
      (this.db.prepare(`SELECT id, name, type FROM teams WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: string; name: string; type: string }>).map((t) => [t.id, t]),
    );
    return [...byTeam.values()]
      .map((t) => ({ ...t, name: names.get(t.teamId)?.name ?? t.teamId, type: names.get(t.teamId)?.type ?? '' }))
      .sort((a, b) => b.dispatched - a.dispatched || b.closed - a.closed || a.name.localeCompare(b.name, 'zh-CN') || a.teamId.localeCompare(b.teamId));
  }
}
