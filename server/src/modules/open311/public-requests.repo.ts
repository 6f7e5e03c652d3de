import type { Store } from '../../db/store.js';

export type PublicChannel = 'open311' | 'resident';

export interface PublicRequestRow {
  token: string;
  eventId: string;
  channel: PublicChannel;
  createdAt: string;
}

/**
 * The tracking tokens of public requests (migration 14), and the public list's reads of cases.
 * On the async store (both dialects; parity test open311-store). `insert` runs in the intake's
 * `within` callback, inside the case writer's transaction.
 */
export class PublicRequestsRepo {
  constructor(private readonly store: Store) {}

  async insert(row: PublicRequestRow & { apiKeyId: string | null; clientData: Record<string, unknown> }): Promise<void> {
    await this.store.run(
      'INSERT INTO public_requests (token, event_id, channel, api_key_id, client_data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      row.token,
      row.eventId,
      row.channel,
      row.apiKeyId,
      JSON.stringify(row.clientData),
      row.createdAt,
    );
  }

  async byToken(token: string): Promise<PublicRequestRow | null> {
    const row = await this.store.get<RawRow>('SELECT token, event_id, channel, created_at FROM public_requests WHERE token = ?', token);
    return row ? toRow(row) : null;
  }

  async byEvent(eventId: string): Promise<PublicRequestRow | null> {
    const row = await this.store.get<RawRow>('SELECT token, event_id, channel, created_at FROM public_requests WHERE event_id = ?', eventId);
    return row ? toRow(row) : null;
  }

  /** What the client sent beyond the case (Open311 account_id, email, device_id, media_url, attributes), if it came with a token. */
  async clientData(eventId: string): Promise<Record<string, unknown> | null> {
    const row = await this.store.get<{ client_data: string }>('SELECT client_data FROM public_requests WHERE event_id = ?', eventId);
    return row ? (JSON.parse(row.client_data) as Record<string, unknown>) : null;
  }

  /**
   * Ids of residents' reports (source `citizen_app`) received in `[from, to]`, newest first, at
   * most `limit`, optionally only some items or states (a merged case counts in its master's state).
   */
  async citizenReportIds(q: { from: string; to: string; itemCodes: string[] | null; statuses: readonly string[] | null; limit: number }): Promise<string[]> {
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
    const rows = await this.store.all<{ id: string }>(`SELECT e.id FROM events e LEFT JOIN events m ON m.id = e.master_id WHERE ${where.join(' AND ')} ORDER BY e.reported_at DESC, e.id DESC LIMIT ?`, ...args);
    return rows.map((r) => r.id);
  }

  /** Ids of residents' reports with a change recorded in `[from, to]`, oldest change first, at most `limit`. */
  async citizenReportsChangedBetween(from: string, to: string, limit: number): Promise<string[]> {
    // the first seq of each case is unique (a change has one case), so the order is total
    const rows = await this.store.all<{ id: string }>(
      `SELECT c.event_id AS id, MIN(c.seq) AS first FROM event_changes c JOIN events e ON e.id = c.event_id
        WHERE e.source = 'citizen_app' AND c.at >= ? AND c.at <= ? GROUP BY c.event_id ORDER BY first LIMIT ?`,
      from,
      to,
      limit,
    );
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
