import type { Role } from '../../../../shared/contracts/auth.js';
import type { EventStatus } from '../../../../shared/contracts/events.js';
import type { ForwardedEntry } from '../../../../shared/contracts/forwarding.js';
import type { Db } from '../../db/connection.js';

/**
 * The city's side of forwarding (migration 24): where each county's server stands (the last of
 * its change seqs applied) and the city's own id of each case it forwarded. Synchronous on the
 * SQLite connection, like EventsRepo, so that its writes join the case writer's transaction: the
 * cases, the changes and the cursor commit together or not at all.
 */
export class ForwardedRepo {
  constructor(private readonly db: Db) {}

  /** The last seq of the county's log applied here (0 before its first batch). */
  cursor(sourceId: string): number {
    const row = this.db.prepare('SELECT last_seq FROM forward_sources WHERE source_id = ?').get(sourceId) as { last_seq: number } | undefined;
    return row?.last_seq ?? 0;
  }

  /** Moves the county's cursor (creating its row at the first batch). */
  advance(sourceId: string, lastSeq: number, at: string): void {
    this.db
      .prepare('INSERT INTO forward_sources (source_id, last_seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at')
      .run(sourceId, lastSeq, at);
  }

  /** The city's id of the county's case, or null before its first change arrives. */
  cityIdOf(sourceId: string, sourceEventId: string): string | null {
    return (this.db.prepare('SELECT event_id FROM forwarded_events WHERE source_id = ? AND source_event_id = ?').pluck().get(sourceId, sourceEventId) as string | undefined) ?? null;
  }

  /** Records the city's id of a county case (after the case row, in the same transaction). */
  map(sourceId: string, sourceEventId: string, eventId: string): void {
    this.db.prepare('INSERT INTO forwarded_events (source_id, source_event_id, event_id) VALUES (?, ?, ?)').run(sourceId, sourceEventId, eventId);
  }

  /** The level of a region of this platform, or null when it has none by that id. */
  levelOf(regionId: string): string | null {
    return (this.db.prepare('SELECT level FROM regions WHERE id = ?').pluck().get(regionId) as string | undefined) ?? null;
  }

  /** The platform's county when the platform is one county (its only top region), else null. */
  soleCounty(): string | null {
    const tops = this.db.prepare('SELECT id, level FROM regions WHERE parent_id IS NULL LIMIT 2').all() as Array<{ id: string; level: string }>;
    return tops.length === 1 && tops[0]!.level === 'county' ? tops[0]!.id : null;
  }

  /** The region above a region (a town's county), or null. */
  parentOf(regionId: string): string | null {
    return (this.db.prepare('SELECT parent_id FROM regions WHERE id = ?').pluck().get(regionId) as string | null | undefined) ?? null;
  }

  teamExists(teamId: string): boolean {
    return this.db.prepare('SELECT 1 FROM teams WHERE id = ?').pluck().get(teamId) !== undefined;
  }

  /**
   * The county's side: the timeline entries of its changes `fromSeq`..`toSeq`, as they are
   * forwarded with them (who did what; the city shows names, not the county's account ids).
   */
  entries(fromSeq: number, toSeq: number): Map<number, ForwardedEntry> {
    const rows = this.db
      .prepare('SELECT seq, action, from_status, to_status, username, display_name, role, auto, note, details FROM event_actions WHERE seq BETWEEN ? AND ? ORDER BY seq')
      .all(fromSeq, toSeq) as Array<{ seq: number; action: string; from_status: string | null; to_status: string; username: string | null; display_name: string | null; role: string | null; auto: number; note: string | null; details: string }>;
    return new Map(
      rows.map((r) => [
        r.seq,
        {
          action: r.action as ForwardedEntry['action'],
          from: r.from_status as EventStatus | null,
          to: r.to_status as EventStatus,
          actor: r.username || r.display_name ? { username: r.username ?? '', displayName: r.display_name ?? '', role: r.role as Role | null } : null,
          auto: r.auto === 1,
          note: r.note,
          details: JSON.parse(r.details) as Record<string, unknown>,
        },
      ]),
    );
  }

  /** Forwarded cases and their city ids (tests, operators). */
  mappings(sourceId: string): Array<{ sourceEventId: string; eventId: string }> {
    return this.db.prepare('SELECT source_event_id AS sourceEventId, event_id AS eventId FROM forwarded_events WHERE source_id = ? ORDER BY rowid').all(sourceId) as Array<{ sourceEventId: string; eventId: string }>;
  }
}
