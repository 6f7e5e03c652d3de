import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { RosterLookup, RosterPlan } from './roster-plan.js';

/** Workers, teams and the 5包1 roster as a roster import reads and writes them. */
export class RosterRepo implements RosterLookup {
  constructor(private readonly db: Db) {}

  regionId(code: string, levels: readonly string[]): string | null {
    const row = this.db.prepare(`SELECT id FROM regions WHERE code = ? AND level IN (${levels.map(() => '?').join(',')})`).get(code, ...levels) as { id: string } | undefined;
    return row?.id ?? null;
  }

  workerExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM workers WHERE id = ?').get(id) !== undefined;
  }

  teamExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM teams WHERE id = ?').get(id) !== undefined;
  }

  rosterExists(microGridId: string, role: string): boolean {
    return this.db.prepare('SELECT 1 FROM micro_grid_roster WHERE micro_grid_id = ? AND role = ?').get(microGridId, role) !== undefined;
  }

  /** A digest of what a roster plan was validated against (the people tables and the region ids). */
  stamp(): string {
    const hash = createHash('sha256');
    for (const sql of [
      'SELECT * FROM workers ORDER BY id',
      'SELECT * FROM micro_grid_roster ORDER BY micro_grid_id, role',
      'SELECT id, type, name, home_region_id, members, leader_name, leader_phone FROM teams ORDER BY id',
      'SELECT id, level, code FROM regions ORDER BY id',
    ]) {
      for (const row of this.db.prepare(sql).iterate()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  }

  /**
   * Upserts the plan. The caller holds the transaction. A new team starts off duty at its
   * home's label point until a device reports; an existing team keeps its status and position.
   */
  write(plan: RosterPlan, onProgress: (fraction: number) => void = () => undefined): void {
    const worker = this.db.prepare(
      `INSERT INTO workers (id, name, gender, birth_year, education, phone, employment, grid_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, gender = excluded.gender, birth_year = excluded.birth_year, education = excluded.education,
         phone = excluded.phone, employment = excluded.employment, grid_id = excluded.grid_id`,
    );
    const roster = this.db.prepare(
      `INSERT INTO micro_grid_roster (micro_grid_id, role, person_id, name, phone) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (micro_grid_id, role) DO UPDATE SET person_id = excluded.person_id, name = excluded.name, phone = excluded.phone`,
    );
    const team = this.db.prepare(
      `INSERT INTO teams (id, type, name, home_region_id, members, leader_name, leader_phone, status, lon, lat)
       SELECT ?, ?, ?, r.id, ?, ?, ?, 'off_duty', r.label_lon, r.label_lat FROM regions r WHERE r.id = ?
       ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, home_region_id = excluded.home_region_id, members = excluded.members,
         leader_name = excluded.leader_name, leader_phone = excluded.leader_phone`,
    );
    const total = plan.workers.length + plan.roster.length + plan.teams.length || 1;
    let done = 0;
    const step = () => {
      done++;
      if (done % 500 === 0) onProgress(done / total);
    };
    for (const w of plan.workers) {
      worker.run(w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.gridId);
      step();
    }
    for (const r of plan.roster) {
      roster.run(r.microGridId, r.role, r.personId, r.name, r.phone);
      step();
    }
    for (const t of plan.teams) {
      team.run(t.id, t.type, t.name, t.members, t.leaderName, t.leaderPhone, t.homeRegionId);
      step();
    }
    onProgress(1);
  }
}
