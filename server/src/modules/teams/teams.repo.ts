import type { Store } from '../../db/store.js';
import type { TeamType } from '../../../../shared/contracts/catalog.js';
import { TEAM_STATUSES, type EventRecord } from '../../../../shared/contracts/events.js';
import type { TeamListQuery, TeamSummary, TrailPoint } from '../../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../../shared/contracts/workflow.js';
import type { TeamCandidate } from '../../../../shared/domain/recommend.js';

interface TeamRow {
  id: string;
  type: string;
  name: string;
  home_region_id: string;
  home_level: string;
  home_name: string;
  town_id: string | null;
  county_id: string | null;
  members: number;
  leader_name: string;
  leader_phone: string;
  status: string;
  lon: number;
  lat: number;
  position_at: string | null;
  open_cases: number;
}

/** One person the dispatcher may call about an event's micro-grid. */
export interface RosterContact {
  /** A "5包1" role (town_cadre, medical_worker, community_police, unit_leader, unit_assistant) or `grid_worker`. */
  role: string;
  name: string;
  phone: string;
}

/** Order in which the roster is listed: the grid's own workers first, then the "5包1" five. */
const ROLE_ORDER = ['grid_worker', 'community_police', 'town_cadre', 'medical_worker', 'unit_leader', 'unit_assistant'];

const OPEN = TEAM_STATUSES.map((s) => `'${s}'`).join(',');

/** A team's town: its home town, or the town of its home village; null for the county units (`r`: the home region). */
const TOWN_OF = `(CASE r.level WHEN 'town' THEN r.id WHEN 'village' THEN r.parent_id ELSE NULL END)`;
/**
 * The county a team serves, by the region tree's parents (`r`: the home region, `p`: its parent):
 * a county unit's home, a town team's parent, a village team's grandparent.
 */
const COUNTY_OF = `(CASE r.level WHEN 'county' THEN r.id WHEN 'town' THEN r.parent_id WHEN 'village' THEN p.parent_id ELSE NULL END)`;

/**
 * Every team with its home area's level, the town and county it belongs to and its open case
 * load (cases dispatched to it that it has not reported back yet).
 */
const SELECT = `
  SELECT t.id, t.type, t.name, t.home_region_id, r.level AS home_level, r.name AS home_name,
         ${TOWN_OF} AS town_id, ${COUNTY_OF} AS county_id,
         t.members, t.leader_name, t.leader_phone, t.status, t.lon, t.lat, t.position_at,
         (SELECT COUNT(*) FROM events e WHERE e.team_id = t.id AND e.status IN (${OPEN})) AS open_cases
    FROM teams t JOIN regions r ON r.id = t.home_region_id LEFT JOIN regions p ON p.id = r.parent_id`;

const homeLevel = (level: string): TeamSummary['homeLevel'] => (level === 'town' || level === 'village' ? level : 'county');

const toSummary = (r: TeamRow): TeamSummary => ({
  id: r.id,
  name: r.name,
  type: r.type as TeamType,
  status: r.status as TeamStatus,
  homeRegionId: r.home_region_id,
  homeLevel: homeLevel(r.home_level),
  homeName: r.home_name,
  townId: r.town_id,
  countyId: r.county_id,
  members: r.members,
  leader: { name: r.leader_name, phone: r.leader_phone },
  location: { lon: r.lon, lat: r.lat },
  positionAt: r.position_at,
  openCases: r.open_cases,
});

/** A grid's full-time workers before its part-time ones, as one integer key on both dialects. */
/** A grid's workers still serving (not left), those at work before those on leave, full-time first, then by id. */
const GRID_WORKERS_SERVING = `FROM workers WHERE grid_id = ? AND status <> 'left'
  ORDER BY CASE WHEN status = 'active' THEN 0 ELSE 1 END, CASE WHEN employment = 'full_time' THEN 0 ELSE 1 END, id`;

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(',') || 'NULL';

/**
 * The field teams (处置力量): who they are, where, how busy, and who of them knows a micro-grid.
 * On the store (docs/POSTGRES.md): the same SQL text on both dialects; every order ends on a
 * unique column.
 */
export class TeamsRepo {
  constructor(private readonly store: Store) {}

  async get(id: string): Promise<TeamSummary | null> {
    const row = await this.store.get<TeamRow>(`${SELECT} WHERE t.id = ?`, id);
    return row ? toSummary(row) : null;
  }

  /**
   * Teams, filtered. `towns` is the caller's scope (null: the whole platform): a scoped caller
   * sees the teams of its towns and their villages, and the units of the counties those towns lie
   * in, which serve every town of their county (not another county's: on a city platform county
   * A's units are no concern of county B). `q.town` narrows alike: that town's teams and its
   * county's units.
   */
  async list(q: Partial<TeamListQuery> = {}, towns: readonly string[] | null = null): Promise<TeamSummary[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const within = (ids: readonly string[]) => {
      // a county unit's county is one of the towns' parents
      where.push(`((r.level = 'county' AND r.id IN (SELECT parent_id FROM regions WHERE id IN (${placeholders(ids)}))) OR ${TOWN_OF} IN (${placeholders(ids)}))`);
      args.push(...ids, ...ids);
    };
    if (towns) within(towns);
    if (q.town) within([q.town]);
    if (q.status) {
      where.push(`t.status IN (${placeholders(q.status)})`);
      args.push(...q.status);
    }
    if (q.type) {
      where.push(`t.type IN (${placeholders(q.type)})`);
      args.push(...q.type);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = `ORDER BY CASE r.level WHEN 'county' THEN 0 WHEN 'town' THEN 1 ELSE 2 END, r.code, t.id`;
    return (await this.store.all<TeamRow>(`${SELECT} ${clause} ${order}`, ...args)).map(toSummary);
  }

  /**
   * Teams that may take an event: the units of the event's county (the parent of its town), the
   * event's town's teams and its village's teams. Teams of other towns and villages, and other
   * counties' units, are left out (the "1+3+N" model gives every area its own forces and the
   * county units cover what they cannot); a dispatcher may still dispatch to any team by id. `roster` is set on the team that holds someone of the micro-grid's roster:
   * the town's police team holds the community police officer (社区民警), the village's grid
   * worker team holds the grid's workers (网格员).
   */
  async candidates(event: Pick<EventRecord, 'townId' | 'villageId' | 'gridId' | 'microGridId'>): Promise<TeamCandidate[]> {
    const rows = await this.store.all<TeamRow>(
      `${SELECT} WHERE t.home_region_id IN ((SELECT parent_id FROM regions WHERE id = ? AND level = 'town'), ?, ?) ORDER BY t.id`,
      event.townId,
      event.townId,
      event.villageId,
    );
    const police = await this.store.get<{ name: string }>("SELECT name FROM micro_grid_roster WHERE micro_grid_id = ? AND role = 'community_police'", event.microGridId);
    const worker = await this.store.get<{ name: string }>(`SELECT name ${GRID_WORKERS_SERVING} LIMIT 1`, event.gridId);
    return rows.map((r) => {
      let roster: TeamCandidate['roster'] = null;
      if (police && r.type === 'police' && r.home_region_id === event.townId) roster = { name: police.name, role: 'community_police' };
      if (worker && r.type === 'grid_worker' && r.home_region_id === event.villageId) roster = { name: worker.name, role: 'grid_worker' };
      return {
        id: r.id,
        name: r.name,
        type: r.type as TeamType,
        status: r.status as TeamStatus,
        homeLevel: homeLevel(r.home_level),
        homeRegionId: r.home_region_id,
        lon: r.lon,
        lat: r.lat,
        positionAt: r.position_at,
        openCases: r.open_cases,
        roster,
      };
    });
  }

  /** Sets a team's status; true when it changed. */
  async setStatus(id: string, status: TeamStatus): Promise<boolean> {
    return (await this.store.run('UPDATE teams SET status = ? WHERE id = ? AND status <> ?', status, id, status)).changes > 0;
  }

  /** Records that the team acted (a case action, a status it set) at `at`, unless it was seen later. */
  async touch(id: string, at: string): Promise<void> {
    await this.store.run('UPDATE teams SET active_at = ? WHERE id = ? AND (active_at IS NULL OR active_at < ?)', at, id, at);
  }

  /** How many cases the team holds in each team status (dispatched, accepted, in_progress). */
  async held(id: string): Promise<Partial<Record<EventRecord['status'], number>>> {
    const rows = await this.store.all<{ status: EventRecord['status']; n: number }>(
      `SELECT status, COUNT(*) AS n FROM events WHERE team_id = ? AND status IN (${OPEN}) GROUP BY status ORDER BY status`,
      id,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Stores one reported position in the trail and, when it is the newest the team has, as the
   * team's position. Returns whether it was the newest.
   */
  async addPosition(p: { teamId: string; lon: number; lat: number; accuracy: number | null; at: string; receivedAt: string; userId: string | null }): Promise<boolean> {
    // stamped with the worker whose linked account reports it (patrol time and coverage, modules/workforce)
    await this.store.run(
      'INSERT INTO team_positions (team_id, lon, lat, accuracy, at, received_at, user_id, worker_id) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM workers WHERE user_id = ?))',
      p.teamId,
      p.lon,
      p.lat,
      p.accuracy,
      p.at,
      p.receivedAt,
      p.userId,
      p.userId,
    );
    const moved = await this.store.run(
      'UPDATE teams SET lon = ?, lat = ?, position_at = ? WHERE id = ? AND (position_at IS NULL OR position_at <= ?)',
      p.lon,
      p.lat,
      p.at,
      p.teamId,
      p.at,
    );
    return moved.changes > 0;
  }

  /** The team's positions taken at or after `since`, oldest first. */
  async trail(id: string, since: string, limit: number): Promise<TrailPoint[]> {
    const rows = await this.store.all<TrailPoint>('SELECT lon, lat, accuracy, at FROM team_positions WHERE team_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?', id, since, limit);
    return rows.reverse();
  }

  /** The people to call about an event's micro-grid: the grid's workers and the "5包1" five. */
  async roster(event: Pick<EventRecord, 'gridId' | 'microGridId'>): Promise<RosterContact[]> {
    // one row per role of a micro-grid (its key): the order is the roles' below
    const five = await this.store.all<RosterContact>('SELECT role, name, phone FROM micro_grid_roster WHERE micro_grid_id = ? ORDER BY role', event.microGridId);
    const workers = await this.store.all<RosterContact>(`SELECT 'grid_worker' AS role, name, phone ${GRID_WORKERS_SERVING}`, event.gridId);
    const rank = (role: string) => {
      const i = ROLE_ORDER.indexOf(role);
      return i < 0 ? ROLE_ORDER.length : i;
    };
    return [...workers, ...five].sort((a, b) => rank(a.role) - rank(b.role));
  }
}
