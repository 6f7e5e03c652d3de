import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { databaseFile } from '../../../server/src/config.js';
import { openStore, Store } from '../../../server/src/db/store.js';
import { ROOT } from '../../integration/harness.js';

/**
 * What the data folder holds after a run, read on a read-only connection: the integrity check,
 * the change log's sequence, the event rows against their own change log, and each test intake
 * by the marker in its description.
 */
export interface StoreFacts {
  integrity: string;
  changes: { first: number; last: number; count: number };
  /** Events whose row's seq is not the last change the log holds for them. */
  eventsOutOfStep: number;
  /** marker key → the ids of the events carrying it (one, when nothing was duplicated). */
  intakes: Map<string, string[]>;
  /** Idempotency-Key → the event it answered with. */
  keys: Map<string, string>;
}

export function readStore(dataDir: string, markerPattern: RegExp): Promise<StoreFacts> {
  return readStoreOf({ dataDir }, markerPattern);
}

/**
 * The same facts of SQLite's file in a data folder (read-only connection, with its integrity
 * check) or of a PostgreSQL database (`postgres`, a URL: its integrity is PostgreSQL's own to keep,
 * reported `ok`).
 */
export async function readStoreOf(where: { dataDir: string } | { postgres: string }, markerPattern: RegExp): Promise<StoreFacts> {
  const sqlite = 'dataDir' in where ? new Database(databaseFile(where.dataDir), { readonly: true, fileMustExist: true }) : null;
  const store = sqlite ? Store.onSqlite(sqlite) : openStore((where as { postgres: string }).postgres);
  try {
    const integrity = sqlite ? (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ') : 'ok';
    const changes = (await store.get<StoreFacts['changes']>('SELECT COALESCE(MIN(seq), 0) AS first, COALESCE(MAX(seq), 0) AS last, COUNT(*) AS count FROM event_changes'))!;
    const { n: eventsOutOfStep } = (await store.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM events e WHERE e.seq ${store.dialect === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM'} (SELECT MAX(c.seq) FROM event_changes c WHERE c.event_id = e.id)`,
    ))!;
    const intakes = new Map<string, string[]>();
    for (const row of await store.all<{ id: string; description: string }>('SELECT id, description FROM events ORDER BY id')) {
      const key = markerPattern.exec(row.description)?.[1];
      if (key === undefined) continue;
      intakes.set(key, [...(intakes.get(key) ?? []), row.id]);
    }
    const keys = new Map((await store.all<{ key: string; event_id: string }>('SELECT key, event_id FROM idempotency_keys')).map((r) => [r.key, r.event_id]));
    return { integrity, changes, eventsOutOfStep, intakes, keys };
  } finally {
    if (sqlite) sqlite.close();
    else await store.close();
  }
}

/** `npm run audit:verify` on the data folder: its exit status and what it printed. */
export function verifyAudit(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/audit-verify.ts', '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
