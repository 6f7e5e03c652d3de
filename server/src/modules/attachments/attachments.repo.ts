import type { AttachmentType } from '../../../../shared/contracts/attachments.js';
import type { Store } from '../../db/store.js';
import { cleanFileName } from './file-name.js';

/** An attachment as stored (the row; the bytes are in the AttachmentStore). */
export interface StoredAttachment {
  id: string;
  sha256: string;
  type: AttachmentType;
  size: number;
  name: string;
  width: number;
  height: number;
  createdAt: string;
  createdBy: string;
  thumbSha256: string;
}

interface Row {
  id: string;
  sha256: string;
  type: string;
  size: number;
  name: string;
  width: number;
  height: number;
  created_at: string;
  created_by: string;
  thumb_sha256: string;
}

// Names are stored cleaned; cleaning again on the way out holds every row, whichever version
// stored it, to today's rules.
const toStored = (r: Row): StoredAttachment => ({
  id: r.id,
  sha256: r.sha256,
  type: r.type as AttachmentType,
  size: r.size,
  name: cleanFileName(r.name, r.type as AttachmentType),
  width: r.width,
  height: r.height,
  createdAt: r.created_at,
  createdBy: r.created_by,
  thumbSha256: r.thumb_sha256,
});

/**
 * Attachment rows and which cases reference them, on the store. Writes are called inside a
 * transaction. `usable` and `names` alone still read the SQLite connection synchronously: the
 * case writer's synchronous units of work check an entry's photos with `usable` inside its
 * transaction, and the timeline (built from the events repository, not on the store yet) names
 * them with `names`; they move with the case write path.
 */
export class AttachmentsRepo {
  constructor(private readonly store: Store) {}

  async get(id: string): Promise<StoredAttachment | null> {
    const row = await this.store.get<Row>('SELECT * FROM attachments WHERE id = ?', id);
    return row ? toStored(row) : null;
  }

  /** The user's earlier upload of the same bytes, if any (a retried upload is stored once). */
  async sameUpload(sha256: string, userId: string): Promise<StoredAttachment | null> {
    const row = await this.store.get<Row>('SELECT * FROM attachments WHERE created_by = ? AND sha256 = ? ORDER BY created_at, id LIMIT 1', userId, sha256);
    return row ? toStored(row) : null;
  }

  async insert(a: StoredAttachment): Promise<void> {
    await this.store.run(
      `INSERT INTO attachments (id, sha256, type, size, name, width, height, created_at, created_by, thumb_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.sha256,
      a.type,
      a.size,
      a.name,
      a.width,
      a.height,
      a.createdAt,
      a.createdBy,
      a.thumbSha256,
    );
  }

  /**
   * Towns of the cases whose own entries show the attachment. A case merged into one of them is
   * not counted: its readers see the master's entries only when their scope covers the master's
   * town, which is then in this list already.
   */
  async townsReferencing(id: string): Promise<string[]> {
    const rows = await this.store.all<{ town_id: string }>(
      'SELECT DISTINCT e.town_id FROM events e WHERE e.id IN (SELECT event_id FROM event_attachments WHERE attachment_id = ?) ORDER BY e.town_id',
      id,
    );
    return rows.map((r) => r.town_id);
  }

  /** `id` with its stored name, if `userId` may attach it to the case: their own upload, or one the case already shows. */
  async usable(id: string, userId: string, eventId: string): Promise<{ id: string; name: string } | null> {
    const row = await this.store.get<Row>(
      `SELECT a.* FROM attachments a WHERE a.id = ?
         AND (a.created_by = ? OR EXISTS (SELECT 1 FROM event_attachments r WHERE r.attachment_id = a.id AND r.event_id = ?))`,
      id,
      userId,
      eventId,
    );
    return row ? { id: row.id, name: toStored(row).name } : null;
  }

  /** Stored names of those of `ids` that are stored. */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (ids.length === 0) return names;
    const rows = await this.store.all<Row>(`SELECT * FROM attachments WHERE id IN (${ids.map(() => '?').join(', ')})`, ...ids);
    const byId = new Map(rows.map((row) => [row.id, toStored(row).name]));
    // in the order asked
    for (const id of ids) if (byId.has(id)) names.set(id, byId.get(id)!);
    return names;
  }

  /** Records that change `seq` of the case references the attachments (inside the case writer's store transaction). */
  async link(ids: readonly string[], eventId: string, seq: number): Promise<void> {
    for (const id of ids) {
      await this.store.run('INSERT INTO event_attachments (attachment_id, event_id, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', id, eventId, seq);
    }
  }
}
