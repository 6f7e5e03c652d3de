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
