import { z } from 'zod';

/**
 * Field codes of text refused at the contract; the server words them in both languages
 * (server/src/http/messages.ts).
 * - `control_character`: a C0 or C1 control (NUL, ESC, DEL…); in one-line text also a line
 *   break or tab.
 * - `bidi_control`: a text-direction control (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F,
 *   U+061C) that can make a shown name or note read differently from what is stored (CVE-2021-42574).
 * - `bad_encoding`: a lone surrogate, or U+FFFD / a noncharacter that only a broken encoding produces.
 */
export type TextIssue = 'control_character' | 'bidi_control' | 'bad_encoding';

// C0 without tab and line feed, DEL, C1. Carriage returns are gone by the time this runs.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
// One-line text also refuses tab, line feed and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// With the u flag a surrogate class matches only unpaired halves; paired ones form one code point.
const BAD_ENCODING = /[\uD800-\uDFFF\uFFFD\uFFFE\uFFFF]/u;
const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;

/** The first problem of `text` (already normalised), or null. */
function textIssue(text: string, multiline: boolean): TextIssue | null {
  if (BAD_ENCODING.test(text)) return 'bad_encoding';
  if ((multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE).test(text)) return 'control_character';
  if (BIDI_CONTROL.test(text)) return 'bidi_control';
  return null;
}

/**
 * Free text as people type it, checked where it enters (every REST body and socket payload):
 * trimmed, NFC-normalised (so 'é' typed two ways is stored and compared as one), line breaks
 * written as `\n` (multiline text only), then refused when it still holds something no person
 * meant to type, with a TextIssue as the field code. At least one character; `max` counts
 * UTF-16 units after normalisation.
 */
export function cleanText({ max, multiline = false }: { max: number; multiline?: boolean }): z.ZodString {
  const base = z.string().trim().normalize('NFC');
  return (multiline ? base.overwrite((s) => s.replace(LINE_BREAKS, '\n')) : base)
    .superRefine((s, ctx) => {
      const issue = textIssue(s, multiline);
      // the code travels as the message too: catalog drafts read custom issues that way
      if (issue) ctx.addIssue({ code: 'custom', message: issue, params: { code: issue } });
    })
    .min(1)
    .max(max);
}
