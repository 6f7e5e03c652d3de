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
  'SELECT id, level, code FROM regions ORDER BY id',
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
    const [workers, roster, teams, regions] = tables as [
      Array<{ id: string }>,
      Array<{ micro_grid_id: string; role: string }>,
      Array<{ id: string }>,
      Array<{ id: string; level: string; code: string }>,
    ];
    const workerIds = new Set(workers.map((w) => w.id));
    const teamIds = new Set(teams.map((t) => t.id));
    const posts = new Set(roster.map((r) => `${r.micro_grid_id}\u0000${r.role}`));
    const byCode = new Map(regions.map((r) => [r.code, r]));
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
    for (const w of plan.workers) {
      await this.store.run(
        `INSERT INTO workers (id, name, gender, birth_year, education, phone, employment, grid_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, gender = excluded.gender, birth_year = excluded.birth_year, education = excluded.education,
           phone = excluded.phone, employment = excluded.employment, grid_id = excluded.grid_id`,
        w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.gridId,
      );
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
