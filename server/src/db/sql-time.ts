import type { Dialect } from './store.js';

/*
 * China-time expressions over stored ISO UTC instants (text like 2026-11-20T01:02:03.456Z), in
 * each dialect's SQL, giving the same text or number on both: SQLite's `'+8 hours'` modifiers and
 * their PostgreSQL counterparts (a fixed offset: China keeps no summer time). Column names are the
 * caller's SQL, never user input.
 */

/**
 * A stored ISO UTC instant (text) as a UTC timestamp on PostgreSQL, shifted by `hours`: the
 * counterpart of SQLite's `'+8 hours'` modifier (a fixed offset, as China keeps no summer time).
 */
const pgShifted = (column: string, hours: number) =>
  hours === 0 ? `(${column}::timestamptz AT TIME ZONE 'UTC')` : `((${column}::timestamptz AT TIME ZONE 'UTC') + interval '${hours} hours')`;

/** The China calendar day of a stored ISO UTC instant, as `YYYY-MM-DD`. */
export const chinaDaySql = (dialect: Dialect, column: string) =>
  dialect === 'postgres' ? `to_char(${pgShifted(column, 8)}, 'YYYY-MM-DD')` : `date(${column}, '+8 hours')`;

/** The weekday (0 = Sunday) and the hour of a stored ISO UTC instant, China time, as integers. */
export const chinaWeekdayHourSql = (dialect: Dialect, column: string) =>
  dialect === 'postgres'
    ? { w: `CAST(EXTRACT(DOW FROM ${pgShifted(column, 8)}) AS INTEGER)`, h: `CAST(EXTRACT(HOUR FROM ${pgShifted(column, 8)}) AS INTEGER)` }
    : { w: `CAST(strftime('%w', ${column}, '+8 hours') AS INTEGER)`, h: `CAST(strftime('%H', ${column}, '+8 hours') AS INTEGER)` };

/** A stored ISO UTC instant `days` days earlier, as the same ISO text with milliseconds (`…T…:…:SS.SSSZ`). */
export const daysBeforeSql = (dialect: Dialect, column: string, days: number) =>
  dialect === 'postgres'
    ? `to_char(${pgShifted(column, 0)} - interval '${days} days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, '-${days} days')`;
