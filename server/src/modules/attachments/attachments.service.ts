import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { THUMB_MAX_PX, type AttachmentRecord, type AttachmentType } from '../../../../shared/contracts/attachments.js';
import { rolesAllow } from '../../../../shared/contracts/auth.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal } from '../auth/auth.service.js';
import { inScope } from '../events/event-view.js';
import type { Actor } from '../events/workflow.service.js';
import type { AttachmentStore } from './attachment-store.js';
import type { AttachmentsRepo, StoredAttachment } from './attachments.repo.js';
import { sanitiseFileName } from './file-name.js';

/** Largest image accepted, in pixels (a 100-megapixel photo; phones take 12–50). Bigger is refused before decoding. */
export const MAX_PIXELS = 100_000_000;

/** What sharp calls each accepted type. */
const FORMAT: Record<AttachmentType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

/** The file signature ("magic bytes") each type must start with. */
function hasSignature(bytes: Buffer, type: AttachmentType): boolean {
  switch (type) {
    case 'image/jpeg':
      return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'image/png':
      return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/webp':
      return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
  }
}

export type InvalidImageReason = 'signature_mismatch' | 'not_an_image' | 'type_mismatch' | 'too_many_pixels' | 'unreadable';

function invalid(type: AttachmentType, reason: InvalidImageReason, extra: Record<string, unknown> = {}): ApiHttpError {
  return new ApiHttpError(400, 'invalid_image', 'error.invalid_image', [{ field: '(body)', code: `image_${reason}` }], { type, reason }, { reason, ...extra });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function toRecord(a: StoredAttachment): AttachmentRecord {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    size: a.size,
    sha256: a.sha256,
    width: a.width,
    height: a.height,
    createdAt: a.createdAt,
    url: `/api/v1/attachments/${a.id}`,
    thumbUrl: `/api/v1/attachments/${a.id}/thumb`,
  };
}

export interface AttachmentsServiceDeps {
  /** The database (rows); `store` below holds the files. */
  database: Store;
  repo: AttachmentsRepo;
  store: AttachmentStore;
  audit: AuditRepo;
  clock: Clock;
}

/**
 * Photo uploads: the bytes must really be an image of the declared type (signature, then
 * libvips reads the header, then decodes the whole image to make the thumbnail, so a
 * truncated or corrupt file is refused); the original is kept exactly as uploaded (evidence,
 * with its EXIF and GPS), the thumbnail is re-encoded without any metadata. Files first
 * (atomic, content-addressed), then the row and its audit record in one transaction.
 */
export class AttachmentsService {
  constructor(private readonly deps: AttachmentsServiceDeps) {}

  async upload(bytes: Buffer, type: AttachmentType, fileNameHeader: string | undefined, actor: Actor): Promise<{ record: AttachmentRecord; created: boolean }> {
    const { repo, store, audit, clock, database } = this.deps;
    const user = actor.principal.user;
    if (!hasSignature(bytes, type)) throw invalid(type, 'signature_mismatch');
    let meta: sharp.Metadata;
    try {
      meta = await sharp(bytes).metadata();
    } catch {
      throw invalid(type, 'not_an_image');
    }
    if (meta.format !== FORMAT[type]) throw invalid(type, 'type_mismatch', { detected: meta.format ?? null });
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw invalid(type, 'not_an_image');
    if (width * height > MAX_PIXELS) throw invalid(type, 'too_many_pixels', { limit: MAX_PIXELS });
    let thumb: Buffer;
    try {
      // Decoding the whole image also proves it is complete; sharp writes no metadata unless asked.
      thumb = await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize({ width: THUMB_MAX_PX, height: THUMB_MAX_PX, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 78, mozjpeg: true })
        .toBuffer();
    } catch {
      throw invalid(type, 'unreadable');
    }

    const sha = sha256(bytes);
    const thumbSha = sha256(thumb);
    await store.put(sha, bytes);
    await store.put(thumbSha, thumb);

    const name = sanitiseFileName(fileNameHeader, type);
    // the audit repository is not on the store yet: on SQLite it joins this transaction
    return database.inTransaction(async () => {
      const earlier = await repo.sameUpload(sha, user.id);
      if (earlier) return { record: toRecord(earlier), created: false };
      const stored: StoredAttachment = {
        id: `AT${randomBytes(10).toString('hex').toUpperCase()}`,
        sha256: sha,
        type,
        size: bytes.length,
        name,
        width,
        height,
        createdAt: clock.now().toISOString(),
        createdBy: user.id,
        thumbSha256: thumbSha,
      };
      await repo.insert(stored);
      await audit.append({
        ...who(actor.principal),
        ...actor.ctx,
        action: 'attachment:upload',
        result: 'success',
        objectType: 'attachment',
        objectId: stored.id,
        details: { sha256: sha, type, size: bytes.length, name, width, height },
      });
      return { record: toRecord(stored), created: true };
    });
  }

  /**
   * The attachment if `principal` may see it: its uploader, or someone who may read
   * (events:read and scope) a case whose own entries show it. A case merged into that case
   * does not lend it to its readers: they see the master's entries, and so its photos, only
   * when their scope covers the master's town. Otherwise null, whether it exists or not (the
   * caller answers 404 and audits the refusal).
   */
  async readable(id: string, principal: Principal): Promise<StoredAttachment | null> {
    const a = await this.deps.repo.get(id);
    if (!a) return null;
    const { user } = principal;
    if (a.createdBy === user.id) return a;
    if (!rolesAllow(user.roles, 'events:read')) return null;
    return (await this.deps.repo.townsReferencing(id)).some((town) => inScope(user.scope, town)) ? a : null;
  }
}
