import { createHash } from 'node:crypto';
import type { Db } from '../../../server/src/db/connection.js';

/**
 * Tables a refused request may write, and why. Everything else is business data: a refusal
 * (4xx) must leave it exactly as it was.
 */
export const REFUSAL_MAY_WRITE: Record<string, string> = {
  audit_log: 'every refusal is audited (denials, invalid actions), repeats counted: the trail of the refusal itself',
  sessions: 'an authenticated request touches its session (last activity), refused or not',
  api_keys: "a request with an API key records the key's last use, refused or not (as a session's last activity)",
};

/** Tables that only mirror another (full-text index shadows): their source table is watched instead. */
const isShadow = (name: string) => /^address_search_fts/.test(name) || name === 'sqlite_sequence' || name.startsWith('sqlite_');

/** The ordinary tables of the database (no virtual tables, no FTS shadows), by name. */
export function businessTables(db: Db): string[] {
  const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string; sql: string | null }>;
  return rows.filter((r) => !isShadow(r.name) && !/CREATE VIRTUAL TABLE/i.test(r.sql ?? '')).map((r) => r.name);
}

/**
 * Counts writes per table as they happen, with TEMP triggers on the server's own connection (the
 * in-process server writes through the `db` the test opened). A write rolled back with its
 * transaction is rolled back here too, so only writes that stayed count. Cheap enough to read
 * after every request, unlike hashing the tables.
 */
export class WriteLog {
  private readonly read: () => Array<{ tbl: string; n: number }>;

  constructor(private readonly db: Db) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS fuzz_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    for (const table of businessTables(db)) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        const name = `fuzz_${op.toLowerCase()}_${table}`;
        db.exec(
          `CREATE TEMP TRIGGER IF NOT EXISTS "${name}" AFTER ${op} ON main."${table}" BEGIN
             INSERT INTO temp.fuzz_writes (tbl, n) VALUES ('${table}', 1) ON CONFLICT (tbl) DO UPDATE SET n = n + 1;
           END`,
        );
      }
    }
    const stmt = db.prepare('SELECT tbl, n FROM temp.fuzz_writes');
    this.read = () => stmt.all() as Array<{ tbl: string; n: number }>;
  }

  /** Writes per table so far. */
  snapshot(): Map<string, number> {
    return new Map(this.read().map((r) => [r.tbl, r.n]));
  }

  /** Tables written since `before`, with how many writes. */
  since(before: Map<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [tbl, n] of this.snapshot()) if (n !== (before.get(tbl) ?? 0)) out[tbl] = n - (before.get(tbl) ?? 0);
    return out;
  }

  /** Removes the triggers (the server's connection is left as it was found). */
  remove(): void {
    const triggers = this.db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'fuzz_%'").all() as Array<{ name: string }>;
    for (const t of triggers) this.db.exec(`DROP TRIGGER temp."${t.name}"`);
    this.db.exec('DROP TABLE IF EXISTS temp.fuzz_writes');
  }
}

/**
 * Row count and a SHA-256 of the content of each business table (rows in rowid order, or in
 * primary-key order for tables without rowid): an independent check of the write log, taken
 * before and after a route's whole run.
 */
export function fingerprint(db: Db, tables = businessTables(db)): Map<string, { rows: number; hash: string }> {
  const out = new Map<string, { rows: number; hash: string }>();
  for (const table of tables) {
    const hash = createHash('sha256');
    let rows = 0;
    const withoutRowid = /WITHOUT ROWID/i.test((db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql);
    for (const row of db.prepare(`SELECT * FROM "${table}"${withoutRowid ? '' : ' ORDER BY rowid'}`).raw().iterate() as Iterable<unknown[]>) {
      rows++;
      hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v)));
      hash.update('\n');
    }
    out.set(table, { rows, hash: hash.digest('hex') });
  }
  return out;
}

/** Tables whose fingerprint differs between two fingerprints. */
export function changedTables(a: Map<string, { rows: number; hash: string }>, b: Map<string, { rows: number; hash: string }>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n)?.hash !== b.get(n)?.hash || a.get(n)?.rows !== b.get(n)?.rows).sort();
}
