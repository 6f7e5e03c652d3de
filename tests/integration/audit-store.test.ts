import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { verifyChain, type ChainedAuditRow } from '../../server/src/modules/audit/audit-chain.js';
import type { AuditEntry } from '../../server/src/modules/audit/audit.contract.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { cleanupAfterAll, ROOT } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The audit trail's write side on both stores: the same entries appended inside store transactions
 * (and recorded in transactions of their own) leave the same rows, hashes included, on SQLite and
 * PostgreSQL; a record rolls back with its action; append outside a transaction and record inside
 * one are refused. On PostgreSQL, actions committing at once on several connections (as several
 * nodes do) still chain without a gap or a fork: each takes the writers' turn
 * (Store.takeWriterTurn) before it reads the last record. The chain is read back row by row and
 * verified with the same verifyChain the audit CLI runs.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const T0 = Date.parse('2026-11-20T00:00:00Z');

function clockAt(): Clock & { tick(): void } {
  let n = 0;
  return { now: () => new Date(T0 + n * 1000), tick: () => void n++ };
}

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: `U${String(i).padStart(4, '0')}`,
  username: `user${i}`,
  role: 'dispatcher',
  action: 'event:dispatch',
  objectType: 'event',
  objectId: `EV2026112000${String(i).padStart(2, '0')}`,
  result: 'success',
  sourceIp: '10.0.0.8',
  client: 'test',
  details: { n: i, nested: { b: 1, a: '王' } },
  ...over,
});

const chainOf = async (store: Store): Promise<ChainedAuditRow[]> =>
  (
    await store.all<Record<string, unknown>>(
      'SELECT seq, at, user_id, username, role, action, object_type, object_id, result, reason, source_ip, client, details, prev_hash, hash FROM audit_log ORDER BY seq',
    )
  ).map((r) => ({
    seq: r.seq as number,
    at: r.at as string,
    userId: r.user_id as string | null,
    username: r.username as string | null,
    role: r.role as string | null,
    action: r.action as string,
    objectType: r.object_type as string | null,
    objectId: r.object_id as string | null,
    result: r.result as string,
    reason: r.reason as string | null,
    sourceIp: r.source_ip as string | null,
    client: r.client as string | null,
    details: r.details as string | null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  }));

async function sides() {
  const db = openDatabase(`${tempDir()}/audit.sqlite`);
  later(() => db.close());
  const lite = Store.onSqlite(db);
  const post = openStore(await pg.cluster.createDatabase());
  later(() => post.close());
  return [
    { name: 'sqlite', store: lite },
    { name: 'postgres', store: post },
  ];
}

describe('AuditRepo on SQLite and PostgreSQL', () => {
  it('appends and records the same chain on both, a record rolling back with its action', async () => {
    const chains: ChainedAuditRow[][] = [];
    for (const { name, store } of await sides()) {
      const clock = clockAt();
      const audit = new AuditRepo(store, clock);
      const before = (await chainOf(store)).length;
      for (let i = 1; i <= 3; i++) {
        clock.tick();
        await store.inTransaction(async () => {
          await audit.append(entry(i));
          await audit.append(entry(i, { action: 'event:transition', details: { step: i } }));
        });
      }
      clock.tick();
      await audit.record(entry(9, { action: 'auth:login', result: 'failure', reason: 'bad_password', details: undefined }));
      // an action that fails takes its record with it
      clock.tick();
      await expect(
        store.inTransaction(async () => {
          await audit.append(entry(10));
          throw new Error('the action failed');
        }),
      ).rejects.toThrow('the action failed');
      await expect(audit.append(entry(11)), name).rejects.toThrow(/inside the transaction/);
      await expect(store.inTransaction(() => audit.record(entry(12))), name).rejects.toThrow(/use append\(\)/);
      const chain = (await chainOf(store)).slice(before);
      expect(chain.map((r) => r.seq), name).toEqual([1, 2, 3, 4, 5, 6, 7].map((s) => s + before));
      expect(verifyChain(await chainOf(store)), name).toMatchObject({ ok: true, count: before + 7 });
      chains.push(chain);
    }
    expect(chains[1]).toEqual(chains[0]);
  });

  it('chains actions committing at once on several PostgreSQL connections without a gap or a fork', async () => {
    const post = Store.onPostgres(await pg.cluster.createDatabase(), { max: 8 });
    later(() => post.close());
    const clock = clockAt();
    const audit = new AuditRepo(post, clock);
    const base = (await chainOf(post)).length;
    for (let round = 0; round < 3; round++) {
      clock.tick();
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post.inTransaction(async () => {
            await audit.append(entry(round * 10 + i));
            // the transaction goes on after its record, as an action's does
            await post.get('SELECT 1 AS one');
            await audit.append(entry(round * 10 + i, { action: 'event:transition' }));
          }),
        ),
      );
    }
    const chain = await chainOf(post);
    expect(chain).toHaveLength(base + 36);
    expect(verifyChain(chain)).toMatchObject({ ok: true, count: base + 36 });
    // each action's two records are neighbours: no other writer came between them
    const mine = chain.slice(base);
    for (let i = 0; i < mine.length; i += 2) expect(mine[i + 1]!.objectId).toBe(mine[i]!.objectId);
  });

  it('reads the same trail on both: pages, filters, head, hashes, the CSV export, the verdict, the inspection and the anchor keys', async () => {
    const reads: unknown[] = [];
    for (const { name, store } of await sides()) {
      const clock = clockAt();
      const audit = new AuditRepo(store, clock);
      for (let i = 1; i <= 7; i++) {
        clock.tick();
        await audit.record(entry(i, i % 3 === 0 ? { action: 'auth:login', result: 'failure', reason: 'bad_password', username: '王建国' } : {}));
      }
      clock.tick();
      await audit.record({ action: 'config:change', username: 'system', objectType: 'audit_anchor_key', objectId: 'key-1', result: 'success' });
      const head = await audit.head();
      const page = { page: 1, pageSize: 3 };
      const csv: string[] = [];
      for await (const chunk of audit.exportCsv({ action: 'auth:login' }, 1)) csv.push(chunk);
      const read = {
        head,
        lastSeq: await audit.lastSeq(),
        hash3: await audit.hashAt(3),
        none: await audit.hashAt(999),
        first: await audit.list(page),
        second: await audit.list({ ...page, page: 2 }),
        byUser: (await audit.list({ page: 1, pageSize: 50, user: '王建国' })).items.map((r) => r.seq),
        byTime: (await audit.list({ page: 1, pageSize: 50, from: '2026-11-20T08:00:02+08:00', to: '2026-11-20T00:00:05Z', result: 'success' })).items.map((r) => r.seq),
        csv: csv.join(''),
        verdict: await audit.verify(),
        inspection: await audit.inspect(),
        keys: await audit.anchorKeyRecords(),
      };
      expect(read.head, name).toEqual({ seq: 8, hash: read.first.items[0]!.hash });
      expect(read.verdict, name).toMatchObject({ ok: true, count: 8, lastSeq: 8 });
      expect(read.inspection, name).toMatchObject({ kind: 'checked', missingTriggers: [] });
      expect(read.byUser, name).toEqual([6, 3]);
      expect(read.keys, name).toEqual([{ seq: 8, keyId: 'key-1' }]);
      expect(read.csv.split('\r\n').filter(Boolean), name).toHaveLength(3);
      reads.push({ ...read, inspection: { ...read.inspection, schemaVersion: 0 } });
    }
    expect(reads[1]).toEqual(reads[0]);
  });

  it('finds a trigger of the trail gone on PostgreSQL, and a broken chain', async () => {
    const post = openStore(await pg.cluster.createDatabase());
    later(() => post.close());
    const audit = new AuditRepo(post, clockAt());
    for (let i = 1; i <= 3; i++) await audit.record(entry(i));
    await post.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await post.run("UPDATE audit_log SET username = 'mallory' WHERE seq = 2");
    expect(await audit.inspect()).toMatchObject({ kind: 'checked', missingTriggers: ['audit_log_no_update'], verdict: { ok: false, seq: 2, problem: 'hash_mismatch' } });
  });

  it('is checked by npm run audit:verify -- --db on PostgreSQL: intact, then an update trigger disabled and a record edited', async () => {
    const url = await pg.cluster.createDatabase();
    const post = openStore(url);
    later(() => post.close());
    const audit = new AuditRepo(post, clockAt());
    for (let i = 1; i <= 4; i++) await audit.record(entry(i));
    const data = tempDir();
    const intact = await verifyCli('--db', url, '--data', data);
    expect(intact.out).toBe(`audit chain intact: 4 records (#1–#4), last hash ${(await audit.head()).hash}\n`);
    expect(intact.code).toBe(0);
    // the probe rolled every attempt back
    expect((await audit.verify()).ok).toBe(true);
    await post.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await post.run("UPDATE audit_log SET username = 'mallory' WHERE seq = 3");
    const broken = await verifyCli('--db', url, '--data', data);
    expect(broken.out).toMatch(/^audit chain BROKEN at record #3: hash mismatch/);
    expect(broken.out).toContain('audit_log is NOT append-only: trigger(s) audit_log_no_update missing');
    expect(broken.out).toContain("audit_log is NOT append-only: the database accepted UPDATE of seq in record #1 (30 changes in all, each rolled back by the verifier)");
    expect(broken.code).toBe(1);
    expect(await verifyCli('--db', 'mysql://x/y')).toMatchObject({ code: 2, out: expect.stringContaining('--db: "mysql:" is not postgres:') });
  });
});

/** The real `npm run audit:verify` entry point, as its own process. */
function verifyCli(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/src/cli/audit-verify.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr });
    });
  });
}
