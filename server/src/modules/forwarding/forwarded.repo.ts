import type { Role } from '../../../../shared/contracts/auth.js';
import type { EventStatus } from '../../../../shared/contracts/events.js';
import type { ForwardedEntry } from '../../../../shared/contracts/forwarding.js';
import type { Store } from '../../db/store.js';

/**
 * The city's side of forwarding (migration 24): where each county's server stands (the last of
 * its change seqs applied) and the city's own id of each case it forwarded; and the county's side,
 * the timeline entries it sends. On the store: its writes join the case writer's transaction, so
 * the cases, the changes and the cursor commit together or not at all.
 */
export class ForwardedRepo {
  constructor(private readonly store: Store) {}

  /** The last seq of the county's log applied here (0 before its first batch). */
  async cursor(sourceId: string): Promise<number> {
    const row = await this.store.get<{ last_seq: number }>('SELECT last_seq FROM forward_sources WHERE source_id = ?', sourceId);
    return row?.last_seq ?? 0;
  }

  /** Moves the county's cursor (creating its row at the first batch). */
  async advance(sourceId: string, lastSeq: number, at: string): Promise<void> {
    await this.store.run(
      'INSERT INTO forward_sources (source_id, last_seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at',
      sourceId,
      lastSeq,
      at,
    );
  }

  /** The city's id of the county's case, or null before its first change arrives. */
  async cityIdOf(sourceId: string, sourceEventId: string): Promise<string | null> {
    const row = await this.store.get<{ event_id: string }>('SELECT event_id FROM forwarded_events WHERE source_id = ? AND source_event_id = ?', sourceId, sourceEventId);
    return row?.event_id ?? null;
  }

  /** Records the city's id of a county case (after the case row, in the same transaction). */
  async map(sourceId: string, sourceEventId: string, eventId: string): Promise<void> {
    await this.store.run('INSERT INTO forwarded_events (source_id, source_event_id, event_id) VALUES (?, ?, ?)', sourceId, sourceEventId, eventId);
  }

  /** The level of a region of this platform, or null when it has none by that id. */
  async levelOf(regionId: string): Promise<string | null> {
    return (await this.store.get<{ level: string }>('SELECT level FROM regions WHERE id = ?', regionId))?.level ?? null;
  }

  /** The platform's county when the platform is one county (its only top region), else null. */
  async soleCounty(): Promise<string | null> {
    const tops = await this.store.all<{ id: string; level: string }>('SELECT id, level FROM regions WHERE parent_id IS NULL ORDER BY id LIMIT 2');
    return tops.length === 1 && tops[0]!.level === 'county' ? tops[0]!.id : null;
  }

  /** The region above a region (a town's county), or null. */
  async parentOf(regionId: string): Promise<string | null> {
    return (await this.store.get<{ parent_id: string | null }>('SELECT parent_id FROM regions WHERE id = ?', regionId))?.parent_id ?? null;
  }

  async teamExists(teamId: string): Promise<boolean> {
    return (await this.store.get('SELECT 1 AS one FROM teams WHERE id = ?', teamId)) !== undefined;
  }

  /**
   * The county's side: the timeline entries of its changes `fromSeq`..`toSeq`, as they are
   * forwarded with them (who did what; the city shows names, not the county's account ids).
   */
  async entries(fromSeq: number, toSeq: number): Promise<Map<number, ForwardedEntry>> {
    const rows = await this.store.all<{ seq: number; action: string; from_status: string | null; to_status: string; username: string | null; display_name: string | null; role: string | null; auto: number; note: string | null; details: string }>(
      'SELECT seq, action, from_status, to_status, username, display_name, role, auto, note, details FROM event_actions WHERE seq BETWEEN ? AND ? ORDER BY seq',
      fromSeq,
      toSeq,
    );
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
}
