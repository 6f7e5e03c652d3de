import { Store } from '../../server/src/db/store.js';
import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import type { AuditEntry, AuditResult } from '../../server/src/modules/audit/audit.contract.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { ROOT, tempDataDir } from './harness.js';

/** Runs the real `npm run audit:verify` entry point as its own process. */
function verifyCli(dataDir: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/src/cli/audit-verify.ts', '--data', dataDir], { cwd: ROOT }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, out: stdout + stderr });
    });
  });
}

const dispatch = (n: number): AuditEntry => ({
  userId: 'U0001',
  username: 'dispatcher01',
  role: 'dispatcher',
  sourceIp: '10.0.0.8',
  client: 'gridcommand-console/0.1.0',
  action: 'event:dispatch',
  objectType: 'event',
  objectId: `EV2026112000${String(n).padStart(2, '0')}`,
  result: 'success',
  details: { team: `T0${n}` },
});

/** A data folder whose database holds `n` audited actions, each in its own transaction. */
async function trailOf(n: number): Promise<{ dir: string; db: Db; store: Store; audit: AuditRepo; remove(): void }> {
  const { dir, remove } = tempDataDir();
  const db = openDatabase(databaseFile(dir));
  const store = Store.onSqlite(db);
  const audit = new AuditRepo(store, systemClock);
  for (let i = 1; i <= n; i++) {
    await store.inTransaction(async () => {
      await store.run('INSERT INTO meta (key, value) VALUES (?, ?)', `action-${i}`, 'done');
      await audit.append(dispatch(i));
    });
  }
  return { dir, db, store, audit, remove };
}

/** An attacker with write access to the file: a raw connection that first removes the triggers. */
function tamper(dir: string, sql: string): void {
  const raw = new Database(databaseFile(dir));
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('audit trail in the database file', () => {
  let trail: Awaited<ReturnType<typeof trailOf>>;
  beforeAll(async () => {
    trail = await trailOf(5);
  });
  afterAll(() => {
    trail.db.close();
    trail.remove();
  });

  it('is refused UPDATE and DELETE by the database itself', () => {
    const { db } = trail;
    const before = db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
    expect(() => db.prepare("UPDATE audit_log SET action = 'auth:login' WHERE seq = 2").run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/audit_log is append-only/);
    // REPLACE deletes without firing delete triggers; the chain trigger stops it
    expect(() => db.prepare("INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 3").run()).toThrow(/must extend the chain/);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(before);
  });

  it('rolls the action back when its audit record cannot be written', async () => {
    const { db, store, audit } = trail;
    const lastSeq = await audit.lastSeq();
    await expect(
      store.inTransaction(async () => {
        await store.run('INSERT INTO meta (key, value) VALUES (?, ?)', 'unaudited-action', 'done');
        // the database's CHECK refuses this record, as it would a full disk or a broken chain
        await audit.append({ ...dispatch(9), result: 'maybe' as AuditResult });
      }),
    ).rejects.toThrow(/CHECK constraint failed/);
    expect(db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key = 'unaudited-action'").get()).toEqual({ n: 0 });
    expect(await audit.lastSeq()).toBe(lastSeq);
  });

  it('is reported intact by the verify CLI, beside the running server connection', async () => {
    const { code, out } = await verifyCli(trail.dir);
    expect(out).toBe(`audit chain intact: 5 records (#1–#5), last hash ${(await trail.audit.list({ page: 1, pageSize: 1 })).items[0]!.hash}\n`);
    expect(code).toBe(0);
  });

  it('names the record an attacker edited behind the server', async () => {
    tamper(trail.dir, "UPDATE audit_log SET action = 'event:create' WHERE seq = 3");
    const { code, out } = await verifyCli(trail.dir);
    expect(out).toMatch(/^audit chain BROKEN at record #3: hash mismatch \(stored [0-9a-f]{64}, computed [0-9a-f]{64}\)/);
    expect(out).toContain('audit_log is NOT append-only: trigger(s) audit_log_no_update, audit_log_no_delete missing');
    expect(code).toBe(1);
  });
});

describe('audit verify CLI', () => {
  it('finds a deleted middle record', async () => {
    const trail = await trailOf(5);
    trail.db.close();
    tamper(trail.dir, 'DELETE FROM audit_log WHERE seq = 3');
    const { code, out } = await verifyCli(trail.dir);
    expect(out).toMatch(/^audit chain BROKEN at record #4: gap in sequence \(expected #3, found #4; #3 missing\)/);
    expect(code).toBe(1);
    trail.remove();
  });

  it('reports an empty trail as intact and a missing database as an error', async () => {
    const empty = await trailOf(0);
    empty.db.close();
    expect(await verifyCli(empty.dir)).toEqual({ code: 0, out: `audit chain intact: 0 records, last hash ${'0'.repeat(64)}\n` });
    empty.remove();
    const missing = await verifyCli(empty.dir);
    expect(missing.out).toMatch(/^no database at .*gridcommand\.db/);
    expect(missing.code).toBe(2);
  });
});
