import { ATTACHMENT_TYPES, type AttachmentType } from '../../../../shared/contracts/attachments.js';

/** Longest stored name, in characters (the timeline's attachment name allows 200). */
const MAX_NAME = 100;

/** Extensions that fit each type (a name ending otherwise gets the type's own appended). */
const FITTING: Record<AttachmentType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
};

/**
 * A display name from the client's `X-Filename` header (URI-encoded UTF-8). It is never used
 * as a path (files are named by their hash), but it is shown and offered as a download name,
 * so: the last path segment only, no control or bidi-override characters, none of the
 * characters Windows forbids, no leading dots, at most 100 characters, and an extension
 * that fits the type.
 */
export function sanitiseFileName(header: string | undefined, type: AttachmentType): string {
  const ext = ATTACHMENT_TYPES[type];
  let name = header ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // not URI-encoded: take the header as it is
  }
  name = name.normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const dot = name.lastIndexOf('.');
  const given = dot > 0 ? name.slice(dot + 1) : '';
  const fits = FITTING[type].includes(given.toLowerCase());
  // a name whose extension does not fit the type keeps it as part of the name: "x.html" → "x.html.jpg"
  let base = fits ? name.slice(0, dot) : name;
  const suffix = fits ? given : ext;
  const room = MAX_NAME - suffix.length - 1;
  const chars = Array.from(base);
  if (chars.length > room) base = chars.slice(0, room).join('').trim();
  return `${base || 'photo'}.${suffix}`;
}

/**
 * `Content-Disposition` for serving a stored file inline: an ASCII fallback `filename` and
 * the real name as RFC 5987 `filename*`.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
