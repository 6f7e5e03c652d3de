import type { Store } from '../../db/store.js';

/** A worker as the activity figures read them. */
export interface ActivityWorkerRow {
  id: string;
  name: string;
  phone: string;
  userId: string | null;
  status: string;
  gridId: string;
  gridCode: string;
  villageId: string;
  townId: string;
}

/** A grid patrol report of the period: who reported it (phone, account) and what became of it. */
export interface PatrolReportRow {
  id: string;
  reporterPhone: string;
  /** The worker whose linked account reported it; null when no worker's account did. */
  reporterWorkerId: string | null;
  itemCode: string;
  itemName: string;
  selfHandled: boolean;
  status: string;
  closedAt: string | null;
  dueAt: string | null;
}

/** A handling entry of a case's timeline (accept, start, report, return, request-extension, self-handled) with the case's facts. */
export interface HandlingEntryRow {
  eventId: string;
  userId: string | null;
  displayName: string | null;
  role: string | null;
  teamId: string | null;
  villageId: string;
  status: string;
  closedAt: string | null;
  dueAt: string | null;
}

export interface PositionRow {
  workerId: string;
  lon: number;
  lat: number;
  at: string;
}

/** The actions by which a field account handles a case (shared/domain/workflow.ts TEAM_ACTIONS, and a self-handled report). */
export const HANDLING_ACTIONS = ['accept', 'start', 'report', 'return', 'request-extension', 'self-handled'] as const;

const CHUNK = 500;
const marks = (n: number) => new Array<string>(n).fill('?').join(',');

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * The rows a worker's workload and activity are computed from (activity.service.ts): workers,
 * the micro-grids they serve, households, grid patrol reports, handling entries of the timeline
 * and patrol positions. Plain SQL both stores accept; lists of ids are read in chunks of 500.
 * Times are ISO UTC text and compare as text.
 */
export class ActivityRepo {
  constructor(private readonly store: Store) {}

  /**
   * Workers of the towns (null: every town), or the one asked for, ordered by grid code and id.
   * `leftBefore`: a worker who left before that day (YYYY-MM-DD) is not listed.
   */
  async workers(where: { towns: readonly string[] | null; workerId?: string; leftBefore?: string }): Promise<ActivityWorkerRow[]> {
    const conds: string[] = [];
    const args: unknown[] = [];
    if (where.towns) {
      conds.push(`v.parent_id IN (${marks(where.towns.length) || 'NULL'})`);
      args.push(...where.towns);
    }
    if (where.workerId !== undefined) {
      conds.push('w.id = ?');
      args.push(where.workerId);
    }
    if (where.leftBefore !== undefined) {
      conds.push('(w.left_on IS NULL OR w.left_on >= ?)');
      args.push(where.leftBefore);
    }
    const rows = await this.store.all<{
      id: string;
      name: string;
      phone: string;
      user_id: string | null;
      status: string;
      grid_id: string;
      grid_code: string;
      village_id: string;
      town_id: string;
    }>(
      `SELECT w.id, w.name, w.phone, w.user_id, w.status, w.grid_id, g.code AS grid_code, v.id AS village_id, v.parent_id AS town_id
         FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id
        ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY g.code, w.id`,
      ...args,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      phone: r.phone,
      userId: r.user_id,
      status: r.status,
      gridId: r.grid_id,
      gridCode: r.grid_code,
      villageId: r.village_id,
      townId: r.town_id,
    }));
  }

  /** The micro-grids each worker serves (worker_micro_grids). */
  async served(workerIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const chunk of chunks(workerIds)) {
      const rows = await this.store.all<{ worker_id: string; micro_grid_id: string }>(
        `SELECT worker_id, micro_grid_id FROM worker_micro_grids WHERE worker_id IN (${marks(chunk.length)}) ORDER BY worker_id, micro_grid_id`,
        ...chunk,
      );
      for (const r of rows) out.set(r.worker_id, [...(out.get(r.worker_id) ?? []), r.micro_grid_id]);
    }
    return out;
  }

  /** Active workers of each grid (status 'active'). */
  async activeWorkers(gridIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const chunk of chunks(gridIds)) {
      const rows = await this.store.all<{ grid_id: string; n: number }>(
        `SELECT grid_id, COUNT(*) AS n FROM workers WHERE status = 'active' AND grid_id IN (${marks(chunk.length)}) GROUP BY grid_id ORDER BY grid_id`,
        ...chunk,
      );
      for (const r of rows) out.set(r.grid_id, r.n);
    }
    return out;
  }

  /** Every micro-grid of the towns with its grid and its households. */
  async microGridsOfTowns(towns: readonly string[]): Promise<Array<{ id: string; gridId: string; townId: string; households: number }>> {
    const out: Array<{ id: string; gridId: string; townId: string; households: number }> = [];
    for (const chunk of chunks(towns)) {
      const rows = await this.store.all<{ id: string; grid_id: string; town_id: string; households: number }>(
        `SELECT m.id, m.parent_id AS grid_id, v.parent_id AS town_id, (SELECT COUNT(*) FROM households h WHERE h.micro_grid_id = m.id) AS households
           FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id
          WHERE m.level = 'microgrid' AND v.parent_id IN (${marks(chunk.length)})
          ORDER BY m.id`,
        ...chunk,
      );
      for (const r of rows) out.push({ id: r.id, gridId: r.grid_id, townId: r.town_id, households: r.households });
    }
    return out;
  }

  /** Admitted cases of each grid of the towns reported in [from, to) (the grid difficulty's numerator). */
  async gridCases(period: { from: string; to: string }, towns: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const chunk of chunks(towns)) {
      const rows = await this.store.all<{ grid_id: string; n: number }>(
        `SELECT grid_id, COUNT(*) AS n FROM events
          WHERE reported_at >= ? AND reported_at < ? AND status <> 'not_admitted' AND town_id IN (${marks(chunk.length)})
          GROUP BY grid_id ORDER BY grid_id`,
        period.from,
        period.to,
        ...chunk,
      );
      for (const r of rows) out.set(r.grid_id, r.n);
    }
    return out;
  }

  /**
   * Grid patrol reports of [from, to), wherever they were made, with the worker whose linked
   * account reported each (null: no worker's); only one worker's when `by` is given (reported
   * through their account, or from their phone through no worker's account), else all (a county's
   * workers in one pass).
   */
  async patrolReports(period: { from: string; to: string }, by?: { workerId: string; phone: string }): Promise<PatrolReportRow[]> {
    const who = by ? 'AND (rw.id = ? OR (rw.id IS NULL AND e.reporter_phone = ?))' : '';
    const rows = await this.store.all<{
      id: string;
      reporter_phone: string;
      reporter_worker_id: string | null;
      item_code: string;
      item_name: string;
      self_handled: number;
      status: string;
      closed_at: string | null;
      due_at: string | null;
    }>(
      `SELECT e.id, e.reporter_phone, rw.id AS reporter_worker_id, e.item_code, e.item_name, e.self_handled, e.status, e.closed_at, e.due_at
         FROM events e LEFT JOIN workers rw ON rw.user_id = e.reporter_user_id
        WHERE e.reported_at >= ? AND e.reported_at < ? AND e.source = 'grid_patrol' ${who}
        ORDER BY e.id`,
      period.from,
      period.to,
      ...(by ? [by.workerId, by.phone] : []),
    );
    return rows.map((r) => ({
      id: r.id,
      reporterPhone: r.reporter_phone,
      reporterWorkerId: r.reporter_worker_id,
      itemCode: r.item_code,
      itemName: r.item_name,
      selfHandled: Number(r.self_handled) === 1,
      status: r.status,
      closedAt: r.closed_at,
      dueAt: r.due_at,
    }));
  }

  /**
   * Handling entries of [from, to) made by a field account, or recorded by name for a field
   * worker without an account (seeded or imported history); for one worker when `by` is given.
   */
  async handlingEntries(period: { from: string; to: string }, by?: { userId: string | null; name: string; villageId: string }): Promise<HandlingEntryRow[]> {
    const who = by
      ? "AND (a.user_id = ? OR (a.user_id IS NULL AND a.role = 'field_worker' AND a.display_name = ? AND e.village_id = ?))"
      : "AND (a.user_id IS NOT NULL OR a.role = 'field_worker')";
    const rows = await this.store.all<{
      event_id: string;
      user_id: string | null;
      display_name: string | null;
      role: string | null;
      team_id: string | null;
      village_id: string;
      status: string;
      closed_at: string | null;
      due_at: string | null;
    }>(
      `SELECT a.event_id, a.user_id, a.display_name, a.role, a.team_id, e.village_id, e.status, e.closed_at, e.due_at
         FROM event_actions a JOIN events e ON e.id = a.event_id
        WHERE a.at >= ? AND a.at < ? AND a.action IN (${marks(HANDLING_ACTIONS.length)}) ${who}
        ORDER BY a.seq`,
      period.from,
      period.to,
      ...HANDLING_ACTIONS,
      ...(by ? [by.userId, by.name, by.villageId] : []),
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      userId: r.user_id,
      displayName: r.display_name,
      role: r.role,
      teamId: r.team_id,
      villageId: r.village_id,
      status: r.status,
      closedAt: r.closed_at,
      dueAt: r.due_at,
    }));
  }

  /** `return` and `rework` entries of [from, to) on the cases, with the team a return was made for. */
  async returnsAndReworks(period: { from: string; to: string }, eventIds: readonly string[]): Promise<Array<{ eventId: string; action: 'return' | 'rework'; teamId: string | null }>> {
    const out: Array<{ eventId: string; action: 'return' | 'rework'; teamId: string | null }> = [];
    for (const chunk of chunks(eventIds)) {
      const rows = await this.store.all<{ event_id: string; action: 'return' | 'rework'; team_id: string | null }>(
        `SELECT event_id, action, team_id FROM event_actions
          WHERE event_id IN (${marks(chunk.length)}) AND action IN ('return', 'rework') AND at >= ? AND at < ?
          ORDER BY seq`,
        ...chunk,
        period.from,
        period.to,
      );
      for (const r of rows) out.push({ eventId: r.event_id, action: r.action, teamId: r.team_id });
    }
    return out;
  }

  /** The workers' positions of [from, to), by worker, in time order. */
  async positions(period: { from: string; to: string }, workerIds: readonly string[]): Promise<PositionRow[]> {
    if (workerIds.length === 0) return [];
    const rows = await this.store.all<{ worker_id: string; lon: number; lat: number; at: string }>(
      `SELECT worker_id, lon, lat, at FROM team_positions
        WHERE worker_id IS NOT NULL AND worker_id IN (${marks(workerIds.length)}) AND at >= ? AND at < ?
        ORDER BY worker_id, at, id`,
      ...workerIds,
      period.from,
      period.to,
    );
    return rows.map((r) => ({ workerId: r.worker_id, lon: r.lon, lat: r.lat, at: r.at }));
  }

  /** Micro-grids with their outline (GeoJSON polygon text), by code. */
  async microGridShapes(ids: readonly string[]): Promise<Array<{ id: string; code: string; name: string; geometry: string }>> {
    const out: Array<{ id: string; code: string; name: string; geometry: string }> = [];
    for (const chunk of chunks(ids)) {
      out.push(
        ...(await this.store.all<{ id: string; code: string; name: string; geometry: string }>(
          `SELECT id, code, name, geometry FROM regions WHERE level = 'microgrid' AND id IN (${marks(chunk.length)}) ORDER BY code, id`,
          ...chunk,
        )),
      );
    }
    return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}
