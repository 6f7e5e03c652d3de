import type { Alert, AlertKind, AlertParams, AlertSeverity } from '../../../../shared/contracts/alerts.js';
import { TEAM_STATUSES } from '../../../../shared/contracts/events.js';
import type { Db } from '../../db/connection.js';

interface AlertRow {
  id: number;
  kind: AlertKind;
  severity: AlertSeverity;
  event_id: string | null;
  team_id: string | null;
  town_id: string | null;
  raised_at: string;
  message_params: string;
  acked_at: string | null;
  acked_by: string | null;
  ack_note: string | null;
  ack_username: string | null;
  ack_display_name: string | null;
}

export interface NewAlert {
  kind: AlertKind;
  severity: AlertSeverity;
  eventId: string | null;
  teamId: string | null;
  townId: string | null;
  raisedAt: string;
  params: AlertParams;
}

/** A team that holds cases and has been silent since `seenAt` (null: never seen). */
export interface SilentTeam {
  id: string;
  name: string;
  seenAt: string | null;
  openCases: number;
  /** The case it got last, and its town. */
  eventId: string;
  townId: string;
}

const OPEN = TEAM_STATUSES.map((s) => `'${s}'`).join(',');

export const alertId = (n: number): string => `AL${String(n).padStart(8, '0')}`;
/** The row id of an alert id, or null when it is not one. */
export const alertRowId = (id: string): number | null => {
  const m = /^AL(\d{8,12})$/.exec(id);
  return m ? Number(m[1]) : null;
};

const SELECT = `
  SELECT a.*, u.username AS ack_username, u.display_name AS ack_display_name
    FROM alerts a LEFT JOIN users u ON u.id = a.acked_by`;

const toAlert = (r: AlertRow): Alert => ({
  id: alertId(r.id),
  kind: r.kind,
  severity: r.severity,
  eventId: r.event_id,
  teamId: r.team_id,
  townId: r.town_id,
  raisedAt: r.raised_at,
  params: JSON.parse(r.message_params) as AlertParams,
  acked:
    r.acked_at && r.acked_by
      ? { at: r.acked_at, by: { userId: r.acked_by, username: r.ack_username ?? '', displayName: r.ack_display_name ?? '' }, note: r.ack_note }
      : null,
});

/** Alerts: raised once, open until acknowledged. */
export class AlertsRepo {
  constructor(private readonly db: Db) {}

  insert(a: NewAlert): Alert {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO alerts (kind, severity, event_id, team_id, town_id, raised_at, message_params) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(a.kind, a.severity, a.eventId, a.teamId, a.townId, a.raisedAt, JSON.stringify(a.params));
    return this.get(alertId(Number(lastInsertRowid)))!;
  }

  get(id: string): Alert | null {
    const n = alertRowId(id);
    if (n === null) return null;
    const row = this.db.prepare(`${SELECT} WHERE a.id = ?`).get(n) as AlertRow | undefined;
    return row ? toAlert(row) : null;
  }

  /** Newest first; `towns` limits to those towns (null: the county, which also sees alerts of no town). */
  list(q: { state: 'open' | 'all'; page: number; pageSize: number }, towns: readonly string[] | null): { items: Alert[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.state === 'open') where.push('a.acked_at IS NULL');
    if (towns) {
      where.push(`a.town_id IN (${towns.map(() => '?').join(',') || 'NULL'})`);
      args.push(...towns);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM alerts a ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`${SELECT} ${clause} ORDER BY a.raised_at DESC, a.id DESC LIMIT ? OFFSET ?`)
      .all(...args, q.pageSize, (q.page - 1) * q.pageSize) as AlertRow[];
    return { items: rows.map(toAlert), total };
  }

  /** Records the acknowledgement of an open alert; false when it was acknowledged already. */
  ack(id: string, userId: string, at: string, note: string | null): boolean {
    const n = alertRowId(id);
    if (n === null) return false;
    return this.db.prepare('UPDATE alerts SET acked_at = ?, acked_by = ?, ack_note = ? WHERE id = ? AND acked_at IS NULL').run(at, userId, note, n).changes > 0;
  }

  /**
   * Teams that hold a case and were last seen (a position, an action of theirs, a dispatch to
   * them) before `cutoff`, and have no `team_silent` alert raised since they were last seen:
   * one alert per stretch of silence.
   */
  silentTeams(cutoff: string): SilentTeam[] {
    return this.db
      .prepare(
        `WITH held AS (
           SELECT team_id, COUNT(*) AS open_cases FROM events WHERE team_id IS NOT NULL AND status IN (${OPEN}) GROUP BY team_id
         ), seen AS (
           SELECT t.id, t.name, h.open_cases,
                  NULLIF(MAX(COALESCE(t.position_at, ''), COALESCE(t.active_at, '')), '') AS seen_at
             FROM teams t JOIN held h ON h.team_id = t.id
         )
         SELECT s.id, s.name, s.seen_at AS seenAt, s.open_cases AS openCases, e.id AS eventId, e.town_id AS townId
           FROM seen s
           JOIN events e ON e.id = (SELECT id FROM events WHERE team_id = s.id AND status IN (${OPEN}) ORDER BY dispatched_at DESC, id DESC LIMIT 1)
          WHERE (s.seen_at IS NULL OR s.seen_at < ?)
            AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.team_id = s.id AND a.kind = 'team_silent' AND a.raised_at >= COALESCE(s.seen_at, ''))
          ORDER BY s.id`,
      )
      .all(cutoff) as SilentTeam[];
  }
}
