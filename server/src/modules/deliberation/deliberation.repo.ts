import type { Store } from '../../db/store.js';

/** A grid with what the deliberation day needs of it: its town, and its label point. */
export interface GridRow {
  id: string;
  code: string;
  name: string;
  townId: string;
  townName: string;
  labelLon: number;
  labelLat: number;
}

export interface MeetingRow {
  id: string;
  gridId: string;
  gridCode: string;
  gridName: string;
  townId: string;
  townName: string;
  heldOn: string;
  place: string;
  host: string;
  participants: string;
  agenda: string;
  decisions: string;
  notice: string | null;
  publishedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRow {
  meetingId: string;
  seq: number;
  title: string;
  eventId: string;
  itemCode: string;
  itemName: string;
  status: string;
  dueAt: string | null;
  closedAt: string | null;
}

/** A case of the grid, as the agenda draft reads it. */
export interface GridCase {
  id: string;
  itemCode: string;
  itemName: string;
  source: string;
  status: string;
  addressCode: string | null;
  microGridId: string;
  microGridName: string;
  reportedAt: string;
  closedAt: string | null;
}

const MEETING_COLUMNS = `m.id, m.grid_id AS "gridId", g.code AS "gridCode", g.name AS "gridName", m.town_id AS "townId", t.name AS "townName",
  m.held_on AS "heldOn", m.place, m.host, m.participants, m.agenda, m.decisions, m.notice, m.published_at AS "publishedAt",
  m.created_by AS "createdBy", m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;
const MEETING_FROM = `deliberation_meetings m JOIN regions g ON g.id = m.grid_id JOIN regions t ON t.id = m.town_id`;

/** The deliberation day's rows (deliberation_meetings, deliberation_tasks) and what it reads of regions and cases. SQL both stores accept. */
export class DeliberationRepo {
  constructor(private readonly store: Store) {}

  async grid(id: string): Promise<GridRow | undefined> {
    return this.store.get<GridRow>(
      `SELECT g.id, g.code, g.name, t.id AS "townId", t.name AS "townName", g.label_lon AS "labelLon", g.label_lat AS "labelLat"
         FROM regions g JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
        WHERE g.id = ? AND g.level = 'grid' AND t.level = 'town'`,
      id,
    );
  }

  /** The grid's micro-grids, in code order, with their label points. */
  async microGrids(gridId: string): Promise<Array<{ id: string; name: string; labelLon: number; labelLat: number }>> {
    return this.store.all(`SELECT id, name, label_lon AS "labelLon", label_lat AS "labelLat" FROM regions WHERE parent_id = ? AND level = 'microgrid' ORDER BY code, id`, gridId);
  }

  /** The micro-grid a unified address lies in, or undefined. */
  async householdMicroGrid(addressCode: string): Promise<string | undefined> {
    return (await this.store.get<{ m: string }>('SELECT micro_grid_id AS m FROM households WHERE address_code = ?', addressCode))?.m;
  }

  /** The grid's cases reported in [from, to] (a case reported at `to` itself counts: `asOf` defaults to now), merged and voided ones left out (they are duplicates or mistakes). Newest first. */
  async gridCases(gridId: string, from: string, to: string): Promise<GridCase[]> {
    return this.store.all<GridCase>(
      `SELECT e.id, e.item_code AS "itemCode", e.item_name AS "itemName", e.source, e.status, e.address_code AS "addressCode",
              e.micro_grid_id AS "microGridId", m.name AS "microGridName", e.reported_at AS "reportedAt", e.closed_at AS "closedAt"
         FROM events e JOIN regions m ON m.id = e.micro_grid_id
        WHERE e.grid_id = ? AND e.reported_at >= ? AND e.reported_at <= ? AND e.status NOT IN ('merged', 'void')
        ORDER BY e.reported_at DESC, e.id DESC`,
      gridId,
      from,
      to,
    );
  }

  async meeting(id: string): Promise<MeetingRow | undefined> {
    return this.store.get<MeetingRow>(`SELECT ${MEETING_COLUMNS} FROM ${MEETING_FROM} WHERE m.id = ?`, id);
  }

  /** Meetings in the towns (null: all), newest meeting day first. */
  async meetings(q: { towns: string[] | null; gridId?: string; from?: string; to?: string; page: number; pageSize: number }): Promise<{ rows: MeetingRow[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.towns !== null) {
      if (q.towns.length === 0) return { rows: [], total: 0 };
      where.push(`m.town_id IN (${q.towns.map(() => '?').join(', ')})`);
      args.push(...q.towns);
    }
    if (q.gridId !== undefined) {
      where.push('m.grid_id = ?');
      args.push(q.gridId);
    }
    if (q.from !== undefined) {
      where.push('m.held_on >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('m.held_on <= ?');
      args.push(q.to);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = Number((await this.store.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM deliberation_meetings m ${clause}`, ...args))?.n ?? 0);
    const rows = await this.store.all<MeetingRow>(
      `SELECT ${MEETING_COLUMNS} FROM ${MEETING_FROM} ${clause} ORDER BY m.held_on DESC, m.created_at DESC, m.id DESC LIMIT ? OFFSET ?`,
      ...args,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    return { rows, total };
  }

  /** The meetings' tasks with their cases' state now, in meeting and task order. */
  async tasks(meetingIds: readonly string[]): Promise<TaskRow[]> {
    if (meetingIds.length === 0) return [];
    return this.store.all<TaskRow>(
      `SELECT d.meeting_id AS "meetingId", d.seq, d.title, d.event_id AS "eventId", e.item_code AS "itemCode", e.item_name AS "itemName",
              e.status, e.due_at AS "dueAt", e.closed_at AS "closedAt"
         FROM deliberation_tasks d JOIN events e ON e.id = d.event_id
        WHERE d.meeting_id IN (${meetingIds.map(() => '?').join(', ')})
        ORDER BY d.meeting_id, d.seq`,
      ...meetingIds,
    );
  }

  /** Inserts the meeting; false when one with this id exists (an Idempotency-Key's retry, possibly concurrent). */
  async insertMeeting(m: {
    id: string;
    gridId: string;
    townId: string;
    heldOn: string;
    place: string;
    host: string;
    participants: string;
    agenda: string;
    decisions: string;
    createdBy: string;
    at: string;
  }): Promise<boolean> {
    const row = await this.store.get<{ id: string }>(
      `INSERT INTO deliberation_meetings (id, grid_id, town_id, held_on, place, host, participants, agenda, decisions, notice, published_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      m.id,
      m.gridId,
      m.townId,
      m.heldOn,
      m.place,
      m.host,
      m.participants,
      m.agenda,
      m.decisions,
      m.createdBy,
      m.at,
      m.at,
    );
    return row !== undefined;
  }

  /** The next task number of a meeting (inside the transaction that inserts it). */
  async nextSeq(meetingId: string): Promise<number> {
    const row = await this.store.get<{ n: number | string | null }>('SELECT MAX(seq) AS n FROM deliberation_tasks WHERE meeting_id = ?', meetingId);
    return Number(row?.n ?? 0) + 1;
  }

  async insertTask(t: { meetingId: string; seq: number; title: string; eventId: string; at: string }): Promise<void> {
    await this.store.run(
      'INSERT INTO deliberation_tasks (meeting_id, seq, title, event_id, created_at) VALUES (?, ?, ?, ?, ?)',
      t.meetingId,
      t.seq,
      t.title,
      t.eventId,
      t.at,
    );
    await this.store.run('UPDATE deliberation_meetings SET updated_at = ? WHERE id = ?', t.at, t.meetingId);
  }

  async publish(id: string, notice: string, at: string): Promise<boolean> {
    const r = await this.store.run('UPDATE deliberation_meetings SET notice = ?, published_at = ?, updated_at = ? WHERE id = ?', notice, at, at, id);
    return r.changes > 0;
  }
}
