import { createHash } from 'node:crypto';
import type { Store } from '../../db/store.js';
import type { RosterLookup, RosterPlan } from './roster-plan.js';

/** What a roster plan was validated against: the digest the write checks, and the lookups the plan made. */
export interface RosterSnapshot {
  stamp: string;
  lookup: RosterLookup;
}

/** The statements a roster stamp digests, in order: the people tables and the region ids. */
const STAMP_SQL = [
  'SELECT * FROM workers ORDER BY id',
  'SELECT * FROM micro_grid_roster ORDER BY micro_grid_id, role',
  'SELECT id, type, name, home_region_id, members, leader_name, leader_phone FROM teams ORDER BY id',
  'SELECT id, level, code, parent_id FROM regions ORDER BY id',
  // the workers' record columns (issue 16): micro-grids served, and the accounts a row may link
  'SELECT worker_id, micro_grid_id FROM worker_micro_grids ORDER BY worker_id, micro_grid_id',
  'SELECT id, username, roles FROM users ORDER BY id',
] as const;

/** Workers, teams and the 5包1 roster as a roster import reads and writes them. */
export class RosterRepo {
  constructor(private readonly store: Store) {}

  private async stamped(): Promise<{ stamp: string; tables: Array<Array<Record<string, unknown>>> }> {
    const hash = createHash('sha256');
    const tables: Array<Array<Record<string, unknown>>> = [];
    for (const sql of STAMP_SQL) {
      const rows = await this.store.all<Record<string, unknown>>(sql);
      for (const row of rows) hash.update(JSON.stringify(row));
      tables.push(rows);
    }
    return { stamp: hash.digest('hex'), tables };
  }

  /** A digest of what a roster plan was validated against (the people tables and the region ids). */
  async stamp(): Promise<string> {
    return (await this.stamped()).stamp;
  }

  /**
   * The stamp and, from the same rows, what the plan looks up row by row (a region by code and
   * level, whether a worker, a team or a 5包1 post exists), so the plan runs without the database.
   */
  async snapshot(): Promise<RosterSnapshot> {
    const { stamp, tables } = await this.stamped();
    const [workers, roster, teams, regions, , users] = tables as [
      Array<{ id: string; user_id: string | null; grid_id: string }>,
      Array<{ micro_grid_id: string; role: string }>,
      Array<{ id: string }>,
      Array<{ id: string; level: string; code: string; parent_id: string | null }>,
      unknown[],
      Array<{ id: string; username: string; roles: string }>,
    ];
    const workerIds = new Set(workers.map((w) => w.id));
    const gridOfWorker = new Map(workers.map((w) => [w.id, w.grid_id]));
    const teamIds = new Set(teams.map((t) => t.id));
    const posts = new Set(roster.map((r) => `${r.micro_grid_id}\u0000${r.role}`));
    const byCode = new Map(regions.map((r) => [r.code, r]));
    const byId = new Map(regions.map((r) => [r.id, r]));
    const workerOfUser = new Map(workers.filter((w) => w.user_id !== null).map((w) => [w.user_id!, w.id]));
    // usernames compare without case, as logging in does (PostgreSQL's citext)
    const byUsername = new Map(users.map((u) => [u.username.toLowerCase(), u]));
    const holdsFieldWorker = (roles: string) => {
      try {
        const parsed: unknown = JSON.parse(roles);
        return Array.isArray(parsed) && parsed.includes('field_worker');
      } catch {
        return false;
      }
    };
    return {
      stamp,
      lookup: {
        regionId: (code, levels) => {
          const r = byCode.get(code);
          return r && levels.includes(r.level) ? r.id : null;
        },
        workerExists: (id) => workerIds.has(id),
        teamExists: (id) => teamIds.has(id),
        rosterExists: (microGridId, role) => posts.has(`${microGridId}\u0000${role}`),
        microGrid: (code) => {
          const r = byCode.get(code);
          return r && r.level === 'microgrid' && r.parent_id !== null ? { id: r.id, gridId: r.parent_id } : null;
        },
        townOfGrid: (gridId) => {
          const village = byId.get(byId.get(gridId)?.parent_id ?? '');
          const town = byId.get(village?.parent_id ?? '');
          return town?.level === 'town' ? town.id : null;
        },
        workerGrid: (id) => gridOfWorker.get(id) ?? null,
        account: (username) => {
          const u = byUsername.get(username.toLowerCase());
          return u ? { id: u.id, fieldWorker: holdsFieldWorker(u.roles), workerId: workerOfUser.get(u.id) ?? null } : null;
        },
      },
    };
  }

  /**
   * Upserts the plan. Call inside a store transaction. A new team starts off duty at its
   * home's label point until a device reports; an existing team keeps its status and position.
   */
  async write(plan: RosterPlan, onProgress: (fraction: number) => void = () => undefined): Promise<void> {
    const total = plan.workers.length + plan.roster.length + plan.teams.length || 1;
    let done = 0;
    const step = () => {
      done++;
      if (done % 500 === 0) onProgress(done / total);
    };
    // accounts the file links are first let go by the file's workers (an account moves between two rows), then linked again
    const linking = plan.workers.filter((w) => w.userId !== undefined).map((w) => w.id);
    for (const id of linking) await this.store.run('UPDATE workers SET user_id = NULL WHERE id = ? AND user_id IS NOT NULL', id);
    for (const w of plan.workers) {
      // the record columns the sheet has (issue 16): grade and status left empty keep the stored value (a new worker: 1, active)
      const extra: Array<[string, unknown, string]> = [];
      if (w.grade !== undefined) extra.push(['grade', w.grade ?? 1, w.grade === null ? 'workers.grade' : 'excluded.grade']);
      if (w.status !== undefined) extra.push(['status', w.status ?? 'active', w.status === null ? 'workers.status' : 'excluded.status']);
      if (w.startedOn !== undefined) extra.push(['started_on', w.startedOn, 'excluded.started_on']);
      if (w.leftOn !== undefined) extra.push(['left_on', w.leftOn, 'excluded.left_on']);
      if (w.teamId !== undefined) extra.push(['team_id', w.teamId, 'excluded.team_id']);
      if (w.userId !== undefined) extra.push(['user_id', w.userId, 'excluded.user_id']);
      const columns = ['id', 'name', 'gender', 'birth_year', 'education', 'phone', 'employment', 'grid_id', ...extra.map((e) => e[0])];
      const sets = ['name', 'gender', 'birth_year', 'education', 'phone', 'employment', 'grid_id'].map((c) => `${c} = excluded.${c}`).concat(extra.map((e) => `${e[0]} = ${e[2]}`));
      await this.store.run(
        `INSERT INTO workers (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}`,
        w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.gridId, ...extra.map((e) => e[1]),
      );
      if (w.microGridIds !== undefined) {
        await this.store.run('DELETE FROM worker_micro_grids WHERE worker_id = ?', w.id);
        for (const m of w.microGridIds) await this.store.run('INSERT INTO worker_micro_grids (worker_id, micro_grid_id) VALUES (?, ?)', w.id, m);
      }
      step();
    }
    for (const r of plan.roster) {
      await this.store.run(
        `INSERT INTO micro_grid_roster (micro_grid_id, role, person_id, name, phone) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (micro_grid_id, role) DO UPDATE SET person_id = excluded.person_id, name = excluded.name, phone = excluded.phone`,
        r.microGridId, r.role, r.personId, r.name, r.phone,
      );
      step();
    }
    for (const t of plan.teams) {
      await this.store.run(
        `INSERT INTO teams (id, type, name, home_region_id, members, leader_name, leader_phone, status, lon, lat)
         SELECT ?, ?, ?, r.id, ?, ?, ?, 'off_duty', r.label_lon, r.label_lat FROM regions r WHERE r.id = ?
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, home_region_id = excluded.home_region_id, members = excluded.members,
           leader_name = excluded.leader_name, leader_phone = excluded.leader_phone`,
        t.id, t.type, t.name, t.members, t.leaderName, t.leaderPhone, t.homeRegionId,
      );
      step();
    }
    onProgress(1);
  }
}
