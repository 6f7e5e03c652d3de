import { ATTACHMENT_TYPES, type AttachmentType } from '../../../../shared/contracts/attachments.js';

/** Longest stored name, in characters (the timeline's attachment name allows 200). */
const MAX_NAME = 100;

/** Extensions that fit each type (a name ending otherwise gets the type's own appended). */
const FITTING: Record<AttachmentType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
};

/** Device names Windows reserves: a download named `CON.jpg` or `nul.png` cannot be saved there. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * Percent-escapes decoded as UTF-8, run by run: a sequence cut short (a long name truncated by
 * a client, say) or not UTF-8 loses only its own bytes, the rest of the name still decodes; a
 * `%` that starts no escape stays as it is.
 */
function decodeEscapes(header: string): string {
  return header.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => new TextDecoder().decode(Buffer.from(run.replace(/%/g, ''), 'hex')).replace(/\uFFFD/g, ''));
}

/**
 * The display name rules, on a name already decoded: NFC, the last path segment only, no
 * control, format (bidi overrides, zero-width) or line/paragraph-separator characters, none of
 * the characters Windows forbids, no leading or trailing dots, not a Windows device name, at
 * most 100 characters, and an extension that fits the type. Applying it twice changes nothing,
 * so names stored by an earlier version can be cleaned again when read.
 */
export function cleanFileName(decoded: string, type: AttachmentType): string {
  const ext = ATTACHMENT_TYPES[type];
  let name = decoded.normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, '')
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
  if (RESERVED.test(base.split('.')[0]!.trim())) base = `_${base}`;
  const room = MAX_NAME - suffix.length - 1;
  const chars = Array.from(base);
  if (chars.length > room) base = chars.slice(0, room).join('').trim().replace(/[.\s]+$/, '');
  return `${base || 'photo'}.${suffix}`;
}

/**
 * A display name from the client's `X-Filename` header (URI-encoded UTF-8): decoded, then
 * cleaned (cleanFileName). It is never used as a path (files are named by their hash), but it
 * is stored, shown in timelines and offered as a download name.
 */
export function sanitiseFileName(header: string | undefined, type: AttachmentType): string {
  return cleanFileName(decodeEscapes(header ?? ''), type);
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
