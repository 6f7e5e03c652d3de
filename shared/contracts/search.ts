import { z } from 'zod';
import { EVENT_ID_PATTERN, MAX_EVENTS_PER_DAY, type EventRecord } from './events.js';
import type { RegionKind } from './regions.js';
import { cleanText } from './text.js';

/** Longest query: a whole address is about this long; anything longer is not something typed to find. */
export const SEARCH_MAX_LENGTH = 64;

/** Query of `GET /api/v1/search`: what the dispatcher typed into the top bar's box. */
export const searchQuerySchema = z.object({ q: cleanText({ max: SEARCH_MAX_LENGTH }) }).strict();
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** How a case was found: its id (or today's number), its reporter's phone, or its address. */
export const SEARCH_MATCHES = ['id', 'phone', 'address'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

/** A case found, as the caller may see it (the reporter masked for roles that do not see personal data). */
export interface SearchCase {
  match: SearchMatch;
  event: EventRecord;
}

/** A town, village/community or grid whose name matched: the map flies to `bbox`. */
export interface SearchPlace {
  id: string;
  level: 'town' | 'village' | 'grid';
  kind: RegionKind;
  name: string;
  /** The places above it, `town › village`; empty for a town. */
  path: string;
  townId: string;
  /** [minLon, minLat, maxLon, maxLat], WGS84. */
  bbox: [number, number, number, number];
}

/** An item of the active catalog whose name (zh or en) or code matched. */
export interface SearchItem {
  code: string;
  name: string;
  nameEn: string;
  categoryName: string;
  categoryNameEn: string;
  /** Open cases of the item in the caller's towns. */
  openCases: number;
}

/**
 * Something the server left out of the answer, said in the request's language:
 * `phone_not_permitted` when the query looks like a phone number and the caller's roles do not
 * see personal data (the phone part is not searched; the refusal is audited).
 */
export interface SearchNotice {
  code: 'phone_not_permitted';
  message: string;
}

export interface SearchResponse {
  q: string;
  cases: SearchCase[];
  places: SearchPlace[];
  items: SearchItem[];
  /** A group had more matches than it shows: a longer query narrows it. */
  truncated: { cases: boolean; places: boolean; items: boolean };
  notices: SearchNotice[];
}

/** What a query can name, read once by the server (what to look up) and the console (what to say). */
export interface ParsedSearch {
  /** The query as typed, trimmed: searched in addresses, place names and items. */
  text: string;
  /** Whether `text` holds anything but digits, separators and a leading `EV`: only then is it read as words. */
  hasWords: boolean;
  /** A whole case id (`EV…`, or its digits without `EV`), upper-cased. */
  caseId: string | null;
  /** 1–8 digits: the number of a case reported today (`26` or `0026` is today's EV…0026). */
  caseNumber: number | null;
  /** 4–12 digits, separators and a `+86`/`86` country code removed: a phone number or its last digits. */
  phone: string | null;
}

/** Fewest digits a phone search takes: four already narrow a county's reporters to a handful. */
export const PHONE_MIN_DIGITS = 4;

/**
 * Reads a search query. Digits can mean several things at once (`0026` is today's case 26 and
 * a phone ending in 0026): each reading is searched and shown in its own group.
 */
export function parseSearch(query: string): ParsedSearch {
  const text = query.trim();
  const compact = text.replace(/[\s-]/g, '');
  const upper = compact.toUpperCase();
  const digits = compact.replace(/^\+/, '');
  const allDigits = /^\d+$/.test(digits);
  let caseId: string | null = null;
  if (EVENT_ID_PATTERN.test(upper)) caseId = upper;
  // Case ids start with their year (20xx); typed without `EV` they are still ids, not landlines (0…).
  else if (allDigits && digits.startsWith('20') && EVENT_ID_PATTERN.test(`EV${digits}`)) caseId = `EV${digits}`;
  let caseNumber: number | null = null;
  if (/^\d{1,8}$/.test(compact)) {
    const n = Number(compact);
    if (n >= 1 && n <= MAX_EVENTS_PER_DAY) caseNumber = n;
  }
  let phone: string | null = null;
  // A case id's digits start with its year, 20xx: never a phone number (mobiles start 1, landlines 0).
  if (allDigits && caseId === null) {
    const national = digits.length > 11 && digits.startsWith('86') ? digits.slice(2) : digits;
    if (national.length >= PHONE_MIN_DIGITS && national.length <= 12) phone = national;
  }
  // `EV` and digits is an id being typed, not words to look for in addresses.
  return { text, hasWords: !/^(?:EV)?\+?[\d\s-]*$/i.test(text), caseId, caseNumber, phone };
}
