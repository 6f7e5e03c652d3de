import type { AttachmentType } from '../../../../shared/contracts/attachments.js';
import type { Db } from '../../db/connection.js';
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

/** Attachment rows and which cases reference them. Writes are called inside a transaction. */
export class AttachmentsRepo {
  constructor(private readonly db: Db) {}

  get(id: string): StoredAttachment | null {
    const row = this.db.prepare('SELECT * FROM attachments WHERE id = ?').get(id) as Row | undefined;
    return row ? toStored(row) : null;
  }

  /** The user's earlier upload of the same bytes, if any (a retried upload is stored once). */
  sameUpload(sha256: string, userId: string): StoredAttachment | null {
    const row = this.db.prepare('SELECT * FROM attachments WHERE created_by = ? AND sha256 = ? ORDER BY created_at LIMIT 1').get(userId, sha256) as Row | undefined;
    return row ? toStored(row) : null;
  }

  insert(a: StoredAttachment): void {
    this.db
      .prepare(
        `INSERT INTO attachments (id, sha256, type, size, name, width, height, created_at, created_by, thumb_sha256)
         VALUES (@id, @sha256, @type, @size, @name, @width, @height, @createdAt, @createdBy, @thumbSha256)`,
      )
      .run(a);
  }

  /**
   * Towns of the cases whose own entries show the attachment. A case merged into one of them is
   * not counted: its readers see the master's entries only when their scope covers the master's
   * town, which is then in this list already.
   */
  townsReferencing(id: string): string[] {
    return (
      this.db
        .prepare('SELECT DISTINCT e.town_id FROM events e WHERE e.id IN (SELECT event_id FROM event_attachments WHERE attachment_id = ?)')
        .all(id) as Array<{ town_id: string }>
    ).map((r) => r.town_id);
  }

  /** `id` with its stored name, if `userId` may attach it to the case: their own upload, or one the case already shows. */
  usable(id: string, userId: string, eventId: string): { id: string; name: string } | null {
    const row = this.db
      .prepare(
        `SELECT a.* FROM attachments a WHERE a.id = @id
           AND (a.created_by = @userId OR EXISTS (SELECT 1 FROM event_attachments r WHERE r.attachment_id = a.id AND r.event_id = @eventId))`,
      )
      .get({ id, userId, eventId }) as Row | undefined;
    return row ? { id: row.id, name: toStored(row).name } : null;
  }

  /** Stored names of those of `ids` that are stored. */
  names(ids: readonly string[]): Map<string, string> {
    const get = this.db.prepare('SELECT * FROM attachments WHERE id = ?');
    const names = new Map<string, string>();
    for (const id of ids) {
      const row = get.get(id) as Row | undefined;
      if (row) names.set(id, toStored(row).name);
    }
    return names;
  }

  /** Records that change `seq` of the case references the attachments. */
  link(ids: readonly string[], eventId: string, seq: number): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO event_attachments (attachment_id, event_id, seq) VALUES (?, ?, ?)');
    for (const id of ids) insert.run(id, eventId, seq);
  }
}
