/**
 * The digits of a reporter's phone as stored (intake keeps what was typed: `0579-81234567`,
 * `+86 139…`), without the separators phoneSchema allows. Its last four are what a phone search
 * looks up first; a `+86` prefix only lengthens the front, so it needs no stripping here.
 */
export const PHONE_DIGITS_SQL = "replace(replace(replace(reporter_phone, '-', ''), ' ', ''), '+', '')";

/**
 * The indexed expression of a phone search: the last four digits. SQLite uses an expression
 * index only for the very same expression, so search.repo.ts queries this constant, unaliased.
 */
export const PHONE_TAIL_SQL = `substr(${PHONE_DIGITS_SQL}, -4)`;

/**
 * Migration 11, find anything: a dispatcher finds a case by the reporter's phone (the whole
 * number or its last digits) without reading every case. (Item and team filters of the history
 * tab already have their indexes, from migration 4.)
 */
export const SEARCH_MIGRATION_SQL = `
  -- an index only, so running it again over a database set back to version 10 changes nothing
  CREATE INDEX IF NOT EXISTS events_reporter_phone_tail ON events(${PHONE_TAIL_SQL});
`;
