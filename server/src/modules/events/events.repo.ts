import type { Db } from '../../db/connection.js';
import type { EventListQuery, EventRecord, EventSource, EventStatus, Urgency } from '../../../../shared/contracts/events.js';

interface EventRow {
  id: string;
  seq: number;
  item_code: string;
  item_name: string;
  category: string;
  description: string;
  source: string;
  urgency: string;
  status: string;
  lon: number;
  lat: number;
  address_code: string | null;
  address: string;
  micro_grid_id: string;
  grid_id: string;
  village_id: string;
  town_id: string;
  reporter_name: string;
  reporter_phone: string;
  reported_at: string;
  updated_at: string;
  deadline_at: string | null;
  closed_at: string | null;
}

const SELECT = `SELECT e.*, c.name AS item_name, c.category AS category FROM events e JOIN catalog_items c ON c.code = e.item_code`;

const toRecord = (r: EventRow): EventRecord => ({
  id: r.id,
  seq: r.seq,
  itemCode: r.item_code,
  itemName: r.item_name,
  category: r.category,
  description: r.description,
  source: r.source as EventSource,
  urgency: r.urgency as Urgency,
  status: r.status as EventStatus,
  location: { lon: r.lon, lat: r.lat },
  addressCode: r.address_code,
  address: r.address,
  microGridId: r.micro_grid_id,
  gridId: r.grid_id,
  villageId: r.village_id,
  townId: r.town_id,
  reporter: { name: r.reporter_name, phone: r.reporter_phone },
  reportedAt: r.reported_at,
  updatedAt: r.updated_at,
  deadlineAt: r.deadline_at,
  closedAt: r.closed_at,
});

export interface NewEventRow {
  id: string;
  itemCode: string;
  description: string;
  source: EventSource;
  urgency: Urgency;
  status: EventStatus;
  lon: number;
  lat: number;
  addressCode: string | null;
  address: string;
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  reporterName: string;
  reporterPhone: string;
  at: string;
  deadlineAt: string | null;
}

export interface ChangeRow {
  seq: number;
  eventId: string;
  kind: string;
  at: string;
  event: EventRecord;
}

/** Events, their change log and idempotency keys. All writes are called inside a transaction. */
export class EventsRepo {
  constructor(private readonly db: Db) {}

  get(id: string): EventRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** `towns` restricts the list to a user's scope (null: the whole county). */
  list(q: EventListQuery, towns: readonly string[] | null = null): { items: EventRecord[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (towns) {
      where.push(`e.town_id IN (${towns.map(() => '?').join(',') || 'NULL'})`);
      args.push(...towns);
    }
    if (q.status) {
      where.push(`e.status IN (${q.status.map(() => '?').join(',')})`);
      args.push(...q.status);
    }
    if (q.town) {
      where.push('e.town_id = ?');
      args.push(q.town);
    }
    if (q.since) {
      where.push('e.reported_at >= ?');
      args.push(new Date(q.since).toISOString());
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM events e ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`${SELECT} ${clause} ORDER BY e.reported_at DESC, e.id DESC LIMIT ? OFFSET ?`)
      .all(...args, q.pageSize, (q.page - 1) * q.pageSize) as EventRow[];
    return { items: rows.map(toRecord), total };
  }

  /** Highest committed change sequence (0 for an empty log). */
  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM event_changes').get() as { s: number }).s;
  }

  /** The next event id of a day: `EV` + yyyymmdd + a 4-digit running number. */
  nextId(day: string): string {
    const prefix = `EV${day}`;
    const row = this.db.prepare('SELECT MAX(id) AS id FROM events WHERE id >= ? AND id < ?').get(prefix, `${prefix}~`) as { id: string | null };
    const n = row.id ? Number(row.id.slice(prefix.length)) + 1 : 1;
    return `${prefix}${String(n).padStart(4, '0')}`;
  }

  insert(e: NewEventRow): void {
    this.db
      .prepare(
        `INSERT INTO events (id, seq, item_code, description, source, urgency, status, lon, lat, address_code, address,
           micro_grid_id, grid_id, village_id, town_id, reporter_name, reporter_phone, reported_at, updated_at, deadline_at, closed_at)
         VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      )
      .run(e.id, e.itemCode, e.description, e.source, e.urgency, e.status, e.lon, e.lat, e.addressCode, e.address,
        e.microGridId, e.gridId, e.villageId, e.townId, e.reporterName, e.reporterPhone, e.at, e.at, e.deadlineAt);
  }

  /**
   * Appends one change for an event: takes the next sequence number (gap-free because the
   * single writer holds the transaction), stamps it on the event and snapshots the event.
   */
  appendChange(eventId: string, kind: string, at: string): ChangeRow {
    const seq = this.lastSeq() + 1;
    this.db.prepare('UPDATE events SET seq = ? WHERE id = ?').run(seq, eventId);
    const event = this.get(eventId);
    if (!event) throw new Error(`appendChange: no event ${eventId}`);
    this.db.prepare('INSERT INTO event_changes (seq, event_id, kind, at, snapshot) VALUES (?, ?, ?, ?, ?)').run(seq, eventId, kind, at, JSON.stringify(event));
    return { seq, eventId, kind, at, event };
  }

  /** Changes after `afterSeq`, oldest first, at most `limit`. */
  changesAfter(afterSeq: number, limit: number): ChangeRow[] {
    const rows = this.db
      .prepare('SELECT seq, event_id, kind, at, snapshot FROM event_changes WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as Array<{ seq: number; event_id: string; kind: string; at: string; snapshot: string }>;
    return rows.map((r) => ({ seq: r.seq, eventId: r.event_id, kind: r.kind, at: r.at, event: JSON.parse(r.snapshot) as EventRecord }));
  }

  countChangesAfter(afterSeq: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM event_changes WHERE seq > ?').get(afterSeq) as { n: number }).n;
  }

  idempotencyKey(key: string): { requestHash: string; eventId: string } | null {
    const row = this.db.prepare('SELECT request_hash, event_id FROM idempotency_keys WHERE key = ?').get(key) as
      | { request_hash: string; event_id: string }
      | undefined;
    return row ? { requestHash: row.request_hash, eventId: row.event_id } : null;
  }

  saveIdempotencyKey(key: string, requestHash: string, eventId: string, at: string): void {
    this.db.prepare('INSERT INTO idempotency_keys (key, request_hash, event_id, created_at) VALUES (?, ?, ?, ?)').run(key, requestHash, eventId, at);
  }
}
