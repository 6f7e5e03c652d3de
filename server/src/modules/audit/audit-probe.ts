import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Store } from '../../db/store.js';
import { auditHash, GENESIS_HASH, type AuditFields } from './audit-chain.js';

/**
 * Columns of `audit_log` and, for each, an SQL expression of a different value that the table's
 * own CHECKs accept: a change must be refused by the append-only protection, not by a CHECK that
 * an attacker could satisfy with a better-chosen value. `:mark` varies per run so a trigger
 * cannot single out the probe's values.
 */
const CHANGED_VALUE: Record<string, string> = {
  seq: 'seq + 1000000000',
  at: "strftime('%Y-%m-%dT%H:%M:%fZ', at, '+1 second')",
  user_id: "COALESCE(user_id, '') || :mark",
  username: "COALESCE(username, '') || :mark",
  role: "COALESCE(role, '') || :mark",
  action: 'action || :mark',
  object_type: "COALESCE(object_type, '') || :mark",
  object_id: "COALESCE(object_id, '') || :mark",
  result: "CASE result WHEN 'success' THEN 'failure' ELSE 'success' END",
  reason: "COALESCE(reason, '') || :mark",
  source_ip: "COALESCE(source_ip, '') || :mark",
  client: "COALESCE(client, '') || :mark",
  details: "json_object('probe', :mark)",
  prev_hash: "CASE substr(prev_hash, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END || substr(prev_hash, 2)",
  hash: "CASE substr(hash, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END || substr(hash, 2)",
};
const COLUMNS = Object.keys(CHANGED_VALUE);

/**
 * Attempts every kind of change to `audit_log` (UPDATE of each column, DELETE, INSERT OR
 * REPLACE, an INSERT that does not extend the chain) on the first and the last record, each in
 * a savepoint inside one transaction that is always rolled back, and returns the attempts the
 * database accepted (empty: append-only). A refusal is a change that did not happen, by a
 * trigger's RAISE or silently (`RAISE(IGNORE)`); any other error is thrown, as is a busy
 * database, so "cannot probe" is never mistaken for "protected".
 *
 * Needs a read-write connection; nothing is committed, so the file is left as it was. Runs as
 * `BEGIN IMMEDIATE`: a server on the same file waits for the few milliseconds it takes.
 */
export function probeAppendOnly(db: Database.Database): string[] {
  const accepted: string[] = [];
  const mark = `~probe-${randomBytes(4).toString('hex')}`;
  db.exec('BEGIN IMMEDIATE');
  try {
    const bounds = db.prepare('SELECT MIN(seq) AS first, MAX(seq) AS last FROM audit_log').get() as { first: number | null; last: number | null };
    // An empty trail gives the triggers nothing to refuse: a record that extends the chain
    // (allowed) is written first, inside the transaction that is rolled back.
    if (bounds.last === null) insertFirstRecord(db);
    const first = bounds.first ?? 1;
    const last = bounds.last ?? 1;
    const rowOf = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM audit_log WHERE seq = ?`);
    const count = db.prepare('SELECT COUNT(*) AS n FROM audit_log');
    const attempt = (what: string, seq: number, run: () => void) => {
      const before = JSON.stringify([rowOf.get(seq), count.get()]);
      db.exec('SAVEPOINT audit_probe');
      try {
        try {
          run();
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_TRIGGER') throw err;
        }
        if (JSON.stringify([rowOf.get(seq), count.get()]) !== before) accepted.push(what);
      } finally {
        db.exec('ROLLBACK TO audit_probe');
        db.exec('RELEASE audit_probe');
      }
    };
    for (const seq of new Set([first, last])) {
      for (const column of COLUMNS) {
        attempt(`UPDATE of ${column} in record #${seq}`, seq, () => db.prepare(`UPDATE audit_log SET ${column} = ${CHANGED_VALUE[column]} WHERE seq = :seq`).run(params(column, seq, mark)));
      }
      attempt(`DELETE of record #${seq}`, seq, () => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq));
      attempt(`INSERT OR REPLACE of record #${seq}`, seq, () =>
        db.prepare(`INSERT OR REPLACE INTO audit_log (${COLUMNS.join(', ')}) SELECT ${COLUMNS.map((c) => (c === 'action' ? `action || :mark` : c)).join(', ')} FROM audit_log WHERE seq = :seq`).run({ seq, mark }),
      );
    }
    attempt(`INSERT of record #${last + 1} not linked to #${last}`, last, () =>
      db.prepare(`INSERT INTO audit_log (${COLUMNS.join(', ')}) SELECT seq + 1, ${COLUMNS.slice(1, -2).join(', ')}, :prev, hash FROM audit_log WHERE seq = :seq`).run({ seq: last, prev: 'f'.repeat(64) }),
    );
  } finally {
    db.exec('ROLLBACK');
  }
  return accepted;
}

/** Named parameters an UPDATE's expression uses: SQLite refuses unused ones. */
function params(column: string, seq: number, mark: string): Record<string, unknown> {
  return CHANGED_VALUE[column]!.includes(':mark') ? { seq, mark } : { seq };
}

function insertFirstRecord(db: Database.Database): void {
  const fields = probeRecord();
  db.prepare(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`).run(
    ...Object.values(fields),
    GENESIS_HASH,
    auditHash(fields, GENESIS_HASH),
  );
}

/** The first record of an empty trail the probe writes (and rolls back) to have something to change. */
function probeRecord(): AuditFields {
  return {
    seq: 1,
    at: '2000-01-01T00:00:00.000Z',
    userId: null,
    username: 'audit-probe',
    role: null,
    action: 'config:change',
    objectType: null,
    objectId: null,
    result: 'success',
    reason: 'append-only probe, rolled back',
    sourceIp: null,
    client: null,
    details: null,
  };
}

/** PostgreSQL's expressions of a different value for each column (the table's own CHECKs accept them); `MARK` is replaced by the run's mark. */
const CHANGED_VALUE_PG: Record<string, string> = {
  ...Object.fromEntries(Object.entries(CHANGED_VALUE).map(([column, sql]) => [column, sql.replaceAll(':mark', 'MARK')])),
  at: `to_char((at::timestamptz + interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  details: `json_build_object('probe', MARK)`,
};

/** Thrown to roll a probe's transaction (or one attempt's savepoint) back. */
class RollBack extends Error {}

/**
 * `probeAppendOnly` on PostgreSQL, through the store: the same attempts (an `INSERT … ON CONFLICT
 * DO UPDATE` in place of SQLite's INSERT OR REPLACE), each in a savepoint, all inside one
 * transaction that is always rolled back. A refusal is a trigger's RAISE EXCEPTION (SQLSTATE
 * P0001) or a change that silently did not happen; any other error is thrown.
 */
export async function probeAppendOnlyStore(store: Store): Promise<string[]> {
  const accepted: string[] = [];
  const mark = `'~probe-${randomBytes(4).toString('hex')}'`;
  const value = (column: string) => CHANGED_VALUE_PG[column]!.replaceAll('MARK', mark);
  await store
    .inTransaction(async () => {
      const bounds = (await store.get<{ first: number | null; last: number | null }>('SELECT MIN(seq) AS first, MAX(seq) AS last FROM audit_log'))!;
      if (bounds.last === null) {
        const fields = probeRecord();
        await store.run(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`, ...Object.values(fields), GENESIS_HASH, auditHash(fields, GENESIS_HASH));
      }
      const first = bounds.first ?? 1;
      const last = bounds.last ?? 1;
      const state = async (seq: number) => JSON.stringify([await store.get(`SELECT ${COLUMNS.join(', ')} FROM audit_log WHERE seq = ?`, seq), await store.get('SELECT COUNT(*) AS n FROM audit_log')]);
      const attempt = async (what: string, seq: number, sql: string, ...args: unknown[]) => {
        const before = await state(seq);
        try {
          await store.inTransaction(async () => {
            await store.run(sql, ...args);
            if ((await state(seq)) !== before) accepted.push(what);
            throw new RollBack();
          });
        } catch (err) {
          if (err instanceof RollBack) return;
          if ((err as { code?: string }).code !== 'P0001') throw err;
        }
      };
      for (const seq of new Set([first, last])) {
        for (const column of COLUMNS) await attempt(`UPDATE of ${column} in record #${seq}`, seq, `UPDATE audit_log SET ${column} = ${value(column)} WHERE seq = ?`, seq);
        await attempt(`DELETE of record #${seq}`, seq, 'DELETE FROM audit_log WHERE seq = ?', seq);
        await attempt(
          `INSERT … ON CONFLICT DO UPDATE of record #${seq}`,
          seq,
          `INSERT INTO audit_log (${COLUMNS.join(', ')}) SELECT ${COLUMNS.map((c) => (c === 'action' ? `action || ${mark}` : c)).join(', ')} FROM audit_log WHERE seq = ? ON CONFLICT (seq) DO UPDATE SET action = excluded.action`,
          seq,
        );
      }
      await attempt(
        `INSERT of record #${last + 1} not linked to #${last}`,
        last,
        `INSERT INTO audit_log (${COLUMNS.join(', ')}) SELECT seq + 1, ${COLUMNS.slice(1, -2).join(', ')}, ?, hash FROM audit_log WHERE seq = ?`,
        'f'.repeat(64),
        last,
      );
      throw new RollBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RollBack)) throw err;
    });
  return accepted;
}
