import type { Db } from '../../db/connection.js';

export type PublicChannel = 'open311' | 'resident';

export interface PublicRequestRow {
  token: string;
  eventId: string;
  channel: PublicChannel;
  createdAt: string;
}

/** The tracking tokens of public requests (migration 14), and the public list's reads of cases. */
export class PublicRequestsRepo {
  constructor(private readonly db: Db) {}

  insert(row: PublicRequestRow & { apiKeyId: string | null; clientData: Record<string, unknown> }): void {
    this.db
      .prepare('INSERT INTO public_requests (token, event_id, channel, api_key_id, client_data, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.token, row.eventId, row.channel, row.apiKeyId, JSON.stringify(row.clientData), row.createdAt);
  }

  byToken(token: string): PublicRequestRow | null {
    const row = this.db.prepare('SELECT token, event_id, channel, created_at FROM public_requests WHERE token = ?').get(token) as RawRow | undefined;
    return row ? toRow(row) : null;
  }

  byEvent(eventId: string): PublicRequestRow | null {
    const row = this.db.prepare('SELECT token, event_id, channel, created_at FROM public_requests WHERE event_id = ?').get(eventId) as RawRow | undefined;
    return row ? toRow(row) : null;
  }

  /** What the client sent beyond the case (Open311 account_id, email, device_id, media_url, attributes), if it came with a token. */
  clientData(eventId: string): Record<string, unknown> | null {
    const row = this.db.prepare('SELECT client_data FROM public_requests WHERE event_id = ?').get(eventId) as { client_data: string } | undefined;
    return row ? (JSON.parse(row.client_data) as Record<string, unknown>) : null;
  }

  /**
   * Ids of residents' reports (source `citizen_app`) received in `[from, to]`, newest first, at
   * most `limit`, optionally only some items or states (a merged case counts in its master's state).
   */
  citizenReportIds(q: { from: string; to: string; itemCodes: string[] | null; statuses: readonly string[] | null; limit: number }): string[] {
    const where = ["e.source = 'citizen_app'", 'e.reported_at >= ?', 'e.reported_at <= ?'];
    const args: unknown[] = [q.from, q.to];
    if (q.itemCodes) {
      where.push(`e.item_code IN (${q.itemCodes.map(() => '?').join(',')})`);
      args.push(...q.itemCodes);
    }
    if (q.statuses) {
      where.push(`(CASE WHEN e.status = 'merged' THEN m.status ELSE e.status END) IN (${q.statuses.map(() => '?').join(',')})`);
      args.push(...q.statuses);
    }
    args.push(q.limit);
    const rows = this.db.prepare(`SELECT e.id FROM events e LEFT JOIN events m ON m.id = e.master_id WHERE ${where.join(' AND ')} ORDER BY e.reported_at DESC, e.id DESC LIMIT ?`).all(...args) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Ids of residents' reports with a change recorded in `[from, to]`, oldest change first, at most `limit`. */
  citizenReportsChangedBetween(from: string, to: string, limit: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT c.event_id AS id, MIN(c.seq) AS first FROM event_changes c JOIN events e ON e.id = c.event_id
         WHERE e.source = 'citizen_app' AND c.at >= ? AND c.at <= ? GROUP BY c.event_id ORDER BY first LIMIT ?`,
      )
      .all(from, to, limit) as { id: string }[];
    return rows.map((r) => r.id);
  }
}

interface RawRow {
  token: string;
  event_id: string;
  channel: PublicChannel;
  created_at: string;
}

const toRow = (r: RawRow): PublicRequestRow => ({ token: r.token, eventId: r.event_id, channel: r.channel, createdAt: r.created_at });
