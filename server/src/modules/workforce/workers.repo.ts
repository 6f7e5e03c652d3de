import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import {
  ageBandOf,
  type Employment,
  type FiveRole,
  type WorkerGrade,
  type WorkerRecord,
  type WorkerStatus,
} from '../../../../shared/contracts/workforce.js';

/** A worker's row with its grid, village, town, team and account, as the list and the record read it. */
interface WorkerRow {
  id: string;
  name: string;
  gender: 'F' | 'M';
  birth_year: number;
  education: string;
  phone: string;
  employment: Employment;
  grade: number;
  status: WorkerStatus;
  started_on: string | null;
  left_on: string | null;
  team_id: string | null;
  team_name: string | null;
  user_id: string | null;
  username: string | null;
  updated_at: string | null;
  grid_id: string;
  grid_code: string;
  grid_name: string;
  village_id: string;
  village_name: string;
  town_id: string;
  town_name: string;
}

const SELECT = `SELECT w.id, w.name, w.gender, w.birth_year, w.education, w.phone, w.employment, w.grade, w.status, w.started_on, w.left_on,
    w.team_id, tm.name AS team_name, w.user_id, u.username AS username, w.updated_at,
    g.id AS grid_id, g.code AS grid_code, g.name AS grid_name, v.id AS village_id, v.name AS village_name, t.id AS town_id, t.name AS town_name
  FROM workers w
  JOIN regions g ON g.id = w.grid_id
  JOIN regions v ON v.id = g.parent_id
  JOIN regions t ON t.id = v.parent_id
  LEFT JOIN teams tm ON tm.id = w.team_id
  LEFT JOIN users u ON u.id = w.user_id`;

/** What the list filters on: the towns (null: all), and the query's own filters. */
export interface WorkerFilter {
  towns: string[] | null;
  gridId?: string | undefined;
  status?: WorkerStatus | undefined;
  employment?: Employment | undefined;
  grade?: number | undefined;
  q?: string | undefined;
}

/** The stored fields a change writes (already checked); absent keys stay as they are. */
export interface WorkerChanges {
  grade?: number;
  status?: WorkerStatus;
  leftOn?: string | null;
  startedOn?: string | null;
  employment?: Employment;
  education?: string;
  phone?: string;
  teamId?: string | null;
  userId?: string | null;
}

const COLUMN: Record<keyof WorkerChanges, string> = {
  grade: 'grade',
  status: 'status',
  leftOn: 'left_on',
  startedOn: 'started_on',
  employment: 'employment',
  education: 'education',
  phone: 'phone',
  teamId: 'team_id',
  userId: 'user_id',
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Grid workers' records (migration 25): the roster's workers with grade, status, dates, team, account and micro-grids served. */
export class WorkersRepo {
  constructor(
    private readonly store: Store,
    /** Ages (the age band) are counted at the clock's year, China time. */
    private readonly clock: Clock,
  ) {}

  private where(f: WorkerFilter): { sql: string; args: unknown[] } {
    const parts: string[] = [];
    const args: unknown[] = [];
    if (f.towns !== null) {
      if (f.towns.length === 0) return { sql: 'WHERE 1 = 0', args: [] };
      parts.push(`t.id IN (${f.towns.map(() => '?').join(', ')})`);
      args.push(...f.towns);
    }
    const equal = (column: string, value: unknown) => {
      if (value === undefined) return;
      parts.push(`${column} = ?`);
      args.push(value);
    };
    equal('w.grid_id', f.gridId);
    equal('w.status', f.status);
    equal('w.employment', f.employment);
    equal('w.grade', f.grade);
    if (f.q !== undefined) {
      const like = `%${likeEscape(f.q)}%`;
      parts.push("(w.name LIKE ? ESCAPE '\\' OR w.id LIKE ? ESCAPE '\\' OR w.phone LIKE ? ESCAPE '\\')");
      args.push(like, like, like);
    }
    return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', args };
  }

  /** One page of the workers matching the filter, by id, and how many match. `pageSize` null: all of them. */
  async list(f: WorkerFilter, page: number, pageSize: number | null): Promise<{ items: WorkerRecord[]; total: number }> {
    const { sql, args } = this.where(f);
    const count = await this.store.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id ${sql}`,
      ...args,
    );
    const paging = pageSize === null ? '' : ` LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
    const rows = await this.store.all<WorkerRow>(`${SELECT} ${sql} ORDER BY w.id${paging}`, ...args);
    return { items: await this.records(rows), total: Number(count?.n ?? 0) };
  }

  async get(id: string): Promise<WorkerRecord | null> {
    const row = await this.store.get<WorkerRow>(`${SELECT} WHERE w.id = ?`, id);
    return row ? ((await this.records([row]))[0] ?? null) : null;
  }

  /** The record linked to an account (workers.user_id), if any. */
  async byUser(userId: string): Promise<WorkerRecord | null> {
    const row = await this.store.get<WorkerRow>(`${SELECT} WHERE w.user_id = ?`, userId);
    return row ? ((await this.records([row]))[0] ?? null) : null;
  }

  /** The micro-grids of a grid (a worker may serve only these). */
  async microGridsOf(gridId: string): Promise<string[]> {
    const rows = await this.store.all<{ id: string }>("SELECT id FROM regions WHERE parent_id = ? AND level = 'microgrid' ORDER BY id", gridId);
    return rows.map((r) => r.id);
  }

  async teamExists(id: string): Promise<boolean> {
    return (await this.store.get('SELECT 1 AS one FROM teams WHERE id = ?', id)) !== undefined;
  }

  /** An account's roles (parsed) and the worker it is linked to. */
  async account(userId: string): Promise<{ id: string; username: string; roles: string[]; workerId: string | null } | null> {
    const row = await this.store.get<{ id: string; username: string; roles: string; worker_id: string | null }>(
      'SELECT u.id, u.username, u.roles, w.id AS worker_id FROM users u LEFT JOIN workers w ON w.user_id = u.id WHERE u.id = ?',
      userId,
    );
    if (!row) return null;
    let roles: string[] = [];
    try {
      const parsed: unknown = JSON.parse(row.roles);
      if (Array.isArray(parsed)) roles = parsed.map(String);
    } catch {
      roles = [];
    }
    return { id: row.id, username: row.username, roles, workerId: row.worker_id };
  }

  /** Writes checked changes (call inside a store transaction). `microGridIds` replaces the micro-grids served. */
  async update(id: string, changes: WorkerChanges, microGridIds: string[] | undefined, at: string): Promise<void> {
    const keys = (Object.keys(changes) as Array<keyof WorkerChanges>).filter((k) => changes[k] !== undefined);
    const sets = [...keys.map((k) => `${COLUMN[k]} = ?`), 'updated_at = ?'];
    await this.store.run(`UPDATE workers SET ${sets.join(', ')} WHERE id = ?`, ...keys.map((k) => changes[k]), at, id);
    if (microGridIds !== undefined) {
      await this.store.run('DELETE FROM worker_micro_grids WHERE worker_id = ?', id);
      for (const m of microGridIds) await this.store.run('INSERT INTO worker_micro_grids (worker_id, micro_grid_id) VALUES (?, ?)', id, m);
    }
  }

  /** Adds micro-grids served, "5包1" roles and the age band to the rows. */
  private async records(rows: WorkerRow[]): Promise<WorkerRecord[]> {
    if (rows.length === 0) return [];
    const micro = new Map<string, WorkerRecord['microGrids']>();
    const five = new Map<string, WorkerRecord['fiveRoles']>();
    // in chunks: a county's whole roster is a few thousand ids, more than a statement's parameters on SQLite
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.id);
      const marks = ids.map(() => '?').join(', ');
      const served = await this.store.all<{ worker_id: string; id: string; code: string; name: string }>(
        `SELECT wm.worker_id, r.id, r.code, r.name FROM worker_micro_grids wm JOIN regions r ON r.id = wm.micro_grid_id
         WHERE wm.worker_id IN (${marks}) ORDER BY wm.worker_id, r.code, r.id`,
        ...ids,
      );
      for (const s of served) {
        const list = micro.get(s.worker_id) ?? [];
        list.push({ id: s.id, code: s.code, name: s.name });
        micro.set(s.worker_id, list);
      }
      const roles = await this.store.all<{ person_id: string; micro_grid_id: string; role: FiveRole }>(
        `SELECT person_id, micro_grid_id, role FROM micro_grid_roster WHERE person_id IN (${marks}) ORDER BY person_id, micro_grid_id, role`,
        ...ids,
      );
      for (const r of roles) {
        const list = five.get(r.person_id) ?? [];
        list.push({ microGridId: r.micro_grid_id, role: r.role });
        five.set(r.person_id, list);
      }
    }
    const year = new Date(this.clock.now().getTime() + 8 * 3_600_000).getUTCFullYear();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      gender: r.gender,
      birthYear: Number(r.birth_year),
      ageBand: ageBandOf(Number(r.birth_year), year),
      education: r.education,
      phone: r.phone,
      employment: r.employment,
      grade: Number(r.grade) as WorkerGrade,
      status: r.status,
      startedOn: r.started_on,
      leftOn: r.left_on,
      grid: { id: r.grid_id, code: r.grid_code, name: r.grid_name },
      village: { id: r.village_id, name: r.village_name },
      town: { id: r.town_id, name: r.town_name },
      microGrids: micro.get(r.id) ?? [],
      fiveRoles: five.get(r.id) ?? [],
      team: r.team_id === null ? null : { id: r.team_id, name: r.team_name ?? r.team_id },
      account: r.user_id === null ? null : { userId: r.user_id, username: r.username ?? r.user_id },
      updatedAt: r.updated_at,
    }));
  }
}
