import type { Store } from '../../db/store.js';
import type { Employment, KpiAreaLevel, KpiCounts, KpiGroupBy } from '../../../../shared/contracts/kpi.js';
import { bindNamed } from '../../db/named-args.js';
import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';

/** Counts of one group (or of the whole period when not grouped). */
export interface KpiCountRow {
  /** Region, team or user id; '' for cases without a team or without a recorded handler. */
  key: string;
  /** The group's name; null when the key is '' (the caller names it in the request's language). */
  name: string | null;
  counts: KpiCounts;
  /** Of the dispatched cases reported in the period, those the machine dispatched. */
  autoDispatched: number;
}

/** A grid worker with the figures that are theirs (see `GridWorkerRow`). */
export interface GridWorkerCountRow {
  id: string;
  name: string;
  employment: Employment;
  gridId: string;
  gridCode: string;
  placeName: string;
  townId: string;
  households: number;
  gridWorkers: number;
  reported: number;
  selfHandled: number;
}

/** Cases that never reach a closing deadline: not filed, voided, merged into another, not admitted. */
const NOT_DUE = "('rejected','void','merged','not_admitted')";

/**
 * The groupings counted in SQL: a case's own columns. A county or city is its towns' rows rolled
 * up through the region tree (kpi.service.ts rollUpTowns), never a code prefix.
 */
export type KpiSqlGroup = Exclude<KpiGroupBy, KpiAreaLevel>;

/** The grouping column of `events e` and how the group's name is found. */
const GROUPS: Record<KpiSqlGroup, { key: string; name: string }> = {
  town: { key: 'e.town_id', name: "(SELECT name FROM regions WHERE id = g.key)" },
  village: {
    key: 'e.village_id',
    name: "(SELECT t.name || ' › ' || v.name FROM regions v JOIN regions t ON t.id = v.parent_id WHERE v.id = g.key)",
  },
  grid: {
    key: 'e.grid_id',
    name: "(SELECT t.name || ' › ' || v.name || ' › ' || gr.name FROM regions gr JOIN regions v ON v.id = gr.parent_id JOIN regions t ON t.id = v.parent_id WHERE gr.id = g.key)",
  },
  team: { key: "COALESCE(e.team_id, '')", name: '(SELECT name FROM teams WHERE id = g.key)' },
  worker: { key: "COALESCE(e.handler_user_id, '')", name: '(SELECT display_name FROM users WHERE id = g.key)' },
  // the type's name is the label table's, in the request's language (kpi.routes.ts)
  teamType: { key: "COALESCE((SELECT type FROM teams WHERE id = e.team_id), '')", name: 'NULL' },
};

/**
 * The KPI counts of domain.md §5, computed in SQL over the cases of a period [from, to):
 * accepted/filed/dispatched count admitted cases *reported* in the period; due/closed/on time/
 * rework/extended count cases whose closing deadline (`due_at`) falls in it, carry-overs included.
 * Times are stored as ISO UTC strings with milliseconds, so they compare as text.
 *
 * On the async Store (docs/POSTGRES.md), the same SQL on both dialects: a case's conditions are
 * booleans (0/1 on SQLite) counted with `COUNT(*) FILTER (WHERE …)`, so PostgreSQL sums no boolean.
 */
export class KpiRepo {
  constructor(private readonly store: Store) {}

  async counts(period: { from: Date; to: Date }, towns: readonly string[] | null, groupBy: KpiSqlGroup | null): Promise<KpiCountRow[]> {
    const from = period.from.toISOString();
    const to = period.to.toISOString();
    const scope = towns ? `AND e.town_id IN (${towns.map(() => '?').join(',') || 'NULL'})` : '';
    const group = groupBy ? GROUPS[groupBy] : { key: "''", name: 'NULL' };
    const sql = `
      WITH c AS (
        SELECT ${group.key} AS key,
               (e.status <> 'not_admitted' AND e.reported_at >= @from AND e.reported_at < @to) AS acc,
               COALESCE(e.status NOT IN ${NOT_DUE} AND e.due_at >= @from AND e.due_at < @to, FALSE) AS due,
               e.status, e.filed_at, e.dispatched_at, e.closed_at, e.due_at, e.rework_count, e.extension_count, e.auto_dispatched
          FROM events e
         WHERE ((e.reported_at >= @from AND e.reported_at < @to) OR (e.due_at >= @from AND e.due_at < @to)) ${scope}
      ),
      g AS (
        SELECT key,
               COUNT(*) FILTER (WHERE acc) AS accepted,
               COUNT(*) FILTER (WHERE acc AND filed_at IS NOT NULL) AS filed,
               COUNT(*) FILTER (WHERE acc AND dispatched_at IS NOT NULL) AS dispatched,
               COUNT(*) FILTER (WHERE acc AND dispatched_at IS NOT NULL AND auto_dispatched = 1) AS auto,
               COUNT(*) FILTER (WHERE due) AS due,
               COUNT(*) FILTER (WHERE due AND status = 'closed') AS closed,
               COUNT(*) FILTER (WHERE due AND status = 'closed' AND COALESCE(closed_at <= due_at, FALSE)) AS on_time,
               COUNT(*) FILTER (WHERE due AND rework_count > 0) AS rework,
               COUNT(*) FILTER (WHERE due AND extension_count > 0) AS extended
          FROM c
         GROUP BY key
        HAVING COUNT(*) FILTER (WHERE acc OR due) > 0
      )
      SELECT g.*, CASE WHEN g.key = '' THEN NULL ELSE ${group.name} END AS name FROM g ORDER BY g.key`;
    const bound = bindNamed(sql, { from, to }, towns ?? []);
    const rows = await this.store.all<{
      key: string;
      name: string | null;
      accepted: number;
      filed: number;
      dispatched: number;
      auto: number;
      due: number;
      closed: number;
      on_time: number;
      rework: number;
      extended: number;
    }>(bound.sql, ...bound.args);
    return rows.map((r) => ({
      key: r.key,
      name: r.name ?? (r.key === '' ? null : r.key),
      counts: {
        accepted: r.accepted,
        filed: r.filed,
        dispatched: r.dispatched,
        due: r.due,
        closed: r.closed,
        closedOnTime: r.on_time,
        rework: r.rework,
        extended: r.extended,
      },
      autoDispatched: r.auto,
    }));
  }

  /**
   * The grid workers of the towns (null: the county) with their grid's households and workers and
   * their own grid patrol reports of the period, found by the phone they report from: the
   * roster's one link between a worker and a case (workers are not user accounts); workers who
   * left before the period began are not counted. One pass over
   * the period's cases (by report time) and one over the households of the towns' grids.
   */
  async gridWorkers(period: { from: Date; to: Date }, towns: readonly string[] | null): Promise<GridWorkerCountRow[]> {
    const list = towns ? towns.map(() => '?').join(',') || 'NULL' : null;
    const sql = `
      WITH w AS (
        SELECT w.id, w.name, w.employment, w.grid_id, w.phone, g.code AS grid_code, t.id AS town_id,
               t.name || ' › ' || v.name || ' › ' || g.name AS place_name
          FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
         WHERE (w.left_on IS NULL OR w.left_on >= @fromDay) ${list ? `AND t.id IN (${list})` : ''}
      ),
      hh AS (
        SELECT m.parent_id AS grid_id, COUNT(*) AS households
          FROM households h JOIN regions m ON m.id = h.micro_grid_id
         WHERE m.parent_id IN (SELECT grid_id FROM w)
         GROUP BY m.parent_id
      ),
      nw AS (SELECT grid_id, COUNT(*) AS n FROM w GROUP BY grid_id),
      rep AS (
        SELECT e.reporter_phone AS phone, COUNT(*) AS reported, SUM(e.self_handled) AS self_handled
          FROM events e
         WHERE e.reported_at >= @from AND e.reported_at < @to AND e.source = 'grid_patrol' ${list ? `AND e.town_id IN (${list})` : ''}
         GROUP BY e.reporter_phone
      )
      SELECT w.id, w.name, w.employment, w.grid_id, w.grid_code, w.town_id, w.place_name,
             COALESCE(hh.households, 0) AS households, nw.n AS grid_workers,
             COALESCE(rep.reported, 0) AS reported, COALESCE(rep.self_handled, 0) AS self_handled
        FROM w JOIN nw ON nw.grid_id = w.grid_id
        LEFT JOIN hh ON hh.grid_id = w.grid_id
        LEFT JOIN rep ON rep.phone = w.phone
       ORDER BY w.grid_code, w.id`;
    const bound = bindNamed(sql, { from: period.from.toISOString(), to: period.to.toISOString(), fromDay: chinaDayOf(period.from) }, [...(towns ?? []), ...(towns ?? [])]);
    const rows = await this.store.all<{
      id: string;
      name: string;
      employment: Employment;
      grid_id: string;
      grid_code: string;
      town_id: string;
      place_name: string;
      households: number;
      grid_workers: number;
      reported: number;
      self_handled: number;
    }>(bound.sql, ...bound.args);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      employment: r.employment,
      gridId: r.grid_id,
      gridCode: r.grid_code,
      placeName: r.place_name,
      townId: r.town_id,
      households: r.households,
      gridWorkers: r.grid_workers,
      reported: r.reported,
      selfHandled: r.self_handled,
    }));
  }
}
