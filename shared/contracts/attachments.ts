/**
 * Photo attachments (the field app's evidence photos).
 *
 * `POST /api/v1/attachments` takes the raw image as the body: `Content-Type` image/jpeg,
 * image/png or image/webp, the file name (for display only) in `X-Filename`, URI-encoded
 * UTF-8. The answer names the stored attachment; action bodies then reference it as
 * `attachments: [{ id, name }]`. `GET /api/v1/attachments/{id}` serves the original as
 * uploaded, `/thumb` a small copy without any metadata (no EXIF, no GPS).
 */

/** The image types accepted, with the extension a sanitised file name gets. */
export const ATTACHMENT_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const ATTACHMENT_TYPE_LIST = Object.keys(ATTACHMENT_TYPES) as AttachmentType[];

/** Header carrying the original file name (URI-encoded UTF-8, e.g. `encodeURIComponent(file.name)`). */
export const FILENAME_HEADER = 'X-Filename';

/** Longest side of a thumbnail, pixels. */
export const THUMB_MAX_PX = 480;

/** Ids of attachments: `AT` and 20 hex digits. */
export const ATTACHMENT_ID = /^AT[0-9A-F]{20}$/;

/**
 * `201` (stored) or `200` (the same user had already stored these bytes: the earlier
 * attachment, so a retried upload is stored once) of `POST /api/v1/attachments`.
 */
export interface AttachmentRecord {
  id: string;
  /** Sanitised file name, for display. */
  name: string;
  type: AttachmentType;
  /** Bytes of the original. */
  size: number;
  /** SHA-256 (hex) of the original: the checksum, and its name on disk. */
  sha256: string;
  width: number;
  height: number;
  createdAt: string;
  /** `/api/v1/attachments/{id}`: the original (authorised users only; send the bearer token). */
  url: string;
  /** `/api/v1/attachments/{id}/thumb`: JPEG, at most 480 px, no metadata. */
  thumbUrl: string;
}
