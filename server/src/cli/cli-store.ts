import { resolve } from 'node:path';
import { databaseFile } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migratePostgres } from '../db/postgres-schema.js';
import { openStore, Store } from '../db/store.js';
import { UsageError } from './args.js';

/** `--db`: a postgres:// or postgresql:// URL naming a database. */
export function databaseUrlOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--db: "${raw}" is not a URL (postgres://user@host:5432/gridcommand)`);
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new UsageError(`--db: "${url.protocol}" is not postgres: (postgres://user@host:5432/gridcommand); SQLite needs no flag`);
  if (url.pathname.length <= 1) throw new UsageError('--db: the URL names no database (postgres://user@host:5432/gridcommand)');
  return raw;
}

/**
 * The store a command line tool works on, as the server would: PostgreSQL with `--db URL`
 * (migrated, under the migration's advisory lock), else SQLite's file in the data folder
 * (migrated on opening). `close()` ends it.
 */
export async function openCliStore(db: string | undefined, dataDir: string | undefined): Promise<{ store: Store; close(): Promise<void> }> {
  if (db !== undefined) {
    const store = openStore(databaseUrlOf(db));
    try {
      await migratePostgres(store);
    } catch (err) {
      await store.close();
      throw err;
    }
    return { store, close: () => store.close() };
  }
  const sqlite = openDatabase(databaseFile(resolve(dataDir ?? 'data')));
  return {
    store: Store.onSqlite(sqlite),
    close: async () => {
      sqlite.close();
    },
  };
}
