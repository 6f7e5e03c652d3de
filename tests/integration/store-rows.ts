import type { Store } from '../../server/src/db/store.js';

/**
 * Row reads of the integration tests through the server's store, so a test runs on either
 * database (SQLite or PostgreSQL): what better-sqlite3's `.pluck()` gave, and the stored counts.
 */

/** How many cases, case changes and idempotency keys are stored. */
export async function storedCountsIn(store: Store): Promise<{ events: number; changes: number; keys: number }> {
  return {
    events: await valueOf<number>(store, 'SELECT COUNT(*) AS n FROM events'),
    changes: await valueOf<number>(store, 'SELECT COUNT(*) AS n FROM event_changes'),
    keys: await valueOf<number>(store, 'SELECT COUNT(*) AS n FROM idempotency_keys'),
  };
}

/** The first column of the first row (undefined when there is no row): `.pluck().get()`. */
export async function valueOf<T>(store: Store, sql: string, ...args: unknown[]): Promise<T> {
  const row = await store.get<Record<string, unknown>>(sql, ...args);
  return (row === undefined ? undefined : Object.values(row)[0]) as T;
}

/** The first column of every row: `.pluck().all()`. */
export async function columnOf<T>(store: Store, sql: string, ...args: unknown[]): Promise<T[]> {
  return (await store.all<Record<string, unknown>>(sql, ...args)).map((row) => Object.values(row)[0] as T);
}

/**
 * A label point of a micro-grid of the village (or of the first village of the town): the
 * `offset`-th by code, so successive cases of a test land on a few different micro-grids.
 */
export async function microGridPointIn(store: Store, region: string, offset: number): Promise<{ lon: number; lat: number }> {
  return (await store.get<{ lon: number; lat: number }>(
    `SELECT m.label_lon AS lon, m.label_lat AS lat FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id
      WHERE m.level = 'microgrid' AND (v.id = ? OR v.parent_id = ?) ORDER BY m.code LIMIT 1 OFFSET ?`,
    region,
    region,
    offset,
  ))!;
}
