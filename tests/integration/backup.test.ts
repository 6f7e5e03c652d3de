import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import { systemClock } from '../../server/src/core/clock.js';
import { BACKUP_MAX_RESTARTS, backupDatabase } from '../../server/src/db/backup.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { EventsRepo } from '../../server/src/modules/events/events.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import type { EventCreated, EventRecord } from '../../shared/contracts/events.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import { api, cleanupAfterAll, intakeAt, pointInCounty, runCli, SMALL_COUNTY, someItemCode, spawnServer, waitFor } from './harness.js';

const { later, tempDir } = cleanupAfterAll();

/** A data folder holding the small demo county, written in-process (no server needed). */
function seededDataDir(): string {
  const dir = tempDir();
  const db = openDatabase(databaseFile(dir));
  seedDemo(db, SMALL_COUNTY);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Names and checksums of every file in a folder: equal snapshots mean nothing was touched. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, sha256(join(dir, f))]));

interface Ack {
  id: string;
  seq: number;
  event: EventRecord;
  /** When the 201 arrived, ms since the epoch. */
  at: number;
}

/** Writers posting intakes back to back, recording every acknowledged 201 in arrival order. */
async function startWriters(url: string, opts: { concurrency: number; maxCount: number; maxMs: number }) {
  const itemCode = await someItemCode(url);
  const points: Array<{ lon: number; lat: number }> = [];
  for (let i = 0; i < 8; i++) {
    const p = await pointInCounty(url, i * 11);
    points.push({ lon: p.lon, lat: p.lat });
  }
  const acks: Ack[] = [];
  const failures: string[] = [];
  const deadline = Date.now() + opts.maxMs;
  let sent = 0;
  let stopped = false;
  const loop = async (writer: number) => {
    while (!stopped && Date.now() < deadline && sent < opts.maxCount) {
      const n = sent++;
      try {
        const res = await api<EventCreated>(url, '/api/v1/events', {
          method: 'POST',
          json: intakeAt(itemCode, points[n % points.length]!, { description: `备份期间写入 ${writer}-${n}` }),
        });
        if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        acks.push({ id: res.body.id, seq: res.body.seq, event: res.body.event, at: Date.now() });
      } catch (err) {
        failures.push(String(err));
        return;
      }
    }
  };
  const running = Promise.all(Array.from({ length: opts.concurrency }, (_, w) => loop(w)));
  return {
    acks,
    failures,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

describe('online backup and restore', () => {
  it('restores a backup taken under write load with every acknowledged event and a gap-free change log', async () => {
    const live = tempDir();
    const server = await spawnServer(live);
    later(() => server.child.exitCode === null && server.stop());
    const writers = await startWriters(server.url, { concurrency: 3, maxCount: 5000, maxMs: 45_000 });
    await waitFor(() => writers.acks.length >= 30 || writers.failures.length > 0, 15_000, 'the first acknowledged writes');

    const out = join(tempDir(), 'under-load.db');
    const ackedBefore = writers.acks.slice();
    const backupStarted = Date.now();
    const backup = await runCli('backup', ['--data', live, '--out', out]);
    const backupEnded = Date.now();
    const ackedByEnd = writers.acks.length;
    await waitFor(() => writers.acks.length >= ackedByEnd + 30 || writers.failures.length > 0, 15_000, 'writes after the backup');
    await writers.stop();
    expect(await server.stop()).toBe(0);

    expect(writers.failures).toEqual([]);
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toContain(`Backup written: ${out}`);
    const during = writers.acks.filter((a) => a.at > backupStarted && a.at <= backupEnded).length;
    expect(during, 'the server kept acknowledging writes while the backup ran').toBeGreaterThan(0);
    const sidecar = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { sha256: string; lastSeq: number; source: string };
    expect(sidecar).toMatchObject({ sha256: sha256(out), source: databaseFile(live) });

    const target = join(tempDir(), 'restored');
    const restore = await runCli('restore', ['--from', out, '--data', target]);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect(readdirSync(target).sort()).toEqual(['audit-anchor.pub', 'audit-anchors.jsonl', 'gridcommand.db']);

    const db = new Database(databaseFile(target), { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const seqs = (db.prepare('SELECT seq FROM event_changes ORDER BY seq').all() as Array<{ seq: number }>).map((r) => r.seq);
      const maxSeq = seqs.at(-1)!;
      expect(maxSeq).toBe(sidecar.lastSeq);
      expect(seqs).toEqual(Array.from({ length: maxSeq }, (_, i) => i + 1));
      expect(db.prepare('SELECT id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_changes c WHERE c.event_id = e.id)').all()).toEqual([]);
      expect(db.prepare('SELECT e.id FROM events e WHERE e.seq IS NOT (SELECT MAX(seq) FROM event_changes c WHERE c.event_id = e.id)').all()).toEqual([]);

      // Every event acknowledged before the backup started is there, exactly as acknowledged.
      const repo = new EventsRepo(Store.onSqlite(db));
      expect(ackedBefore.length).toBeGreaterThanOrEqual(30);
      expect(maxSeq).toBeGreaterThanOrEqual(Math.max(...ackedBefore.map((a) => a.seq)));
      for (const a of ackedBefore) expect(await repo.get(a.id)).toEqual(a.event);
      // The copy is one moment of the server: every acknowledged change up to its last seq, none after.
      // (the change log read as the live feed replays it: a snapshot stores no empty 市级交办 assignment)
      for (const a of writers.acks) {
        if (a.seq <= maxSeq) {
          expect(await repo.get(a.id)).toEqual(a.event);
          const c = (await repo.changesAfter(a.seq - 1, 1))[0]!;
          expect({ eventId: c.eventId, event: c.event }).toEqual({ eventId: a.id, event: a.event });
        } else {
          expect(await repo.get(a.id), `${a.id} (seq ${a.seq}) was acknowledged after the copy's last seq ${maxSeq}`).toBeNull();
        }
      }
    } finally {
      db.close();
    }

    const restored = await spawnServer(target);
    later(() => restored.child.exitCode === null && restored.stop());
    const health = await api<HealthResponse>(restored.url, '/api/v1/health');
    expect(health.body.seq).toBe(sidecar.lastSeq);
    const p = await pointInCounty(restored.url);
    const next = await api<EventCreated>(restored.url, '/api/v1/events', {
      method: 'POST',
      json: intakeAt(await someItemCode(restored.url), { lon: p.lon, lat: p.lat }, { description: '恢复后的第一条' }),
    });
    expect(next.status).toBe(201);
    expect(next.body.seq).toBe(sidecar.lastSeq + 1);
    expect(await restored.stop()).toBe(0);

    console.info(
      `backup under load: ${backup.ms.toFixed(0)} ms, ${ackedBefore.length} acks before it, ${during} during it, ${writers.acks.length} in all; ` +
        `copy holds seq ≤ ${sidecar.lastSeq}; stderr: ${JSON.stringify(backup.stderr.trim())}`,
    );
  });

  it('refuses to overwrite an existing backup unless told to with --force', async () => {
    const data = seededDataDir();
    const folder = tempDir();
    const out = join(folder, 'nightly.db');
    expect((await runCli('backup', ['--data', data, '--out', out])).code).toBe(0);
    const first = snapshot(folder);
    expect(Object.keys(first).sort()).toEqual(['nightly.db', 'nightly.db.json']);

    const db = openDatabase(databaseFile(data));
    db.prepare("INSERT INTO meta (key, value) VALUES ('backup-test', 'changed after the first backup')").run();
    db.close();

    const again = await runCli('backup', ['--data', data, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    expect(snapshot(folder)).toEqual(first);

    const forced = await runCli('backup', ['--data', data, '--out', out, '--force']);
    expect(forced, forced.stderr).toMatchObject({ code: 0 });
    const second = snapshot(folder);
    expect(Object.keys(second).sort()).toEqual(['nightly.db', 'nightly.db.json']);
    expect(second['nightly.db']).not.toBe(first['nightly.db']);
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8'))).toMatchObject({ sha256: second['nightly.db'] });
  });

  it('refuses a damaged backup, by its checksum and by the integrity check, and leaves the target untouched', async () => {
    const out = join(tempDir(), 'damaged.db');
    expect((await runCli('backup', ['--data', seededDataDir(), '--out', out])).code).toBe(0);
    const target = seededDataDir();
    const before = snapshot(target);

    const pristine = readFileSync(out);
    const flipped = Buffer.from(pristine);
    const middle = Math.floor(flipped.length / 2);
    for (let i = middle; i < middle + 16; i++) flipped[i] = flipped[i]! ^ 0xff;
    writeFileSync(out, flipped);
    const byChecksum = await runCli('restore', ['--from', out, '--data', target, '--force']);
    expect(byChecksum.code).toBe(1);
    expect(byChecksum.stderr).toMatch(/does not match the checksum/);
    expect(snapshot(target)).toEqual(before);

    // Without its metadata only the structure is left to check: break the change log's b-tree.
    rmSync(`${out}.json`);
    writeFileSync(out, pristine);
    const backup = new Database(out, { readonly: true });
    const { rootpage } = backup.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'event_changes'").get() as { rootpage: number };
    const pageSize = backup.pragma('page_size', { simple: true }) as number;
    backup.close();
    const broken = Buffer.from(pristine);
    broken.fill(0xa5, (rootpage - 1) * pageSize, (rootpage - 1) * pageSize + 64);
    writeFileSync(out, broken);
    const byIntegrity = await runCli('restore', ['--from', out, '--data', target, '--force']);
    expect(byIntegrity.code).toBe(1);
    expect(byIntegrity.stderr).toMatch(/failed its checks/);
    expect(snapshot(target)).toEqual(before);
  });

  it('replaces an existing database only with --force, never under a running server, and keeps the old one', async () => {
    const source = seededDataDir();
    const db = openDatabase(databaseFile(source));
    db.prepare("INSERT INTO meta (key, value) VALUES ('backup-test', 'from the backup')").run();
    db.close();
    const out = join(tempDir(), 'other.db');
    expect((await runCli('backup', ['--data', source, '--out', out])).code).toBe(0);
    const target = seededDataDir();

    const unforced = await runCli('restore', ['--from', out, '--data', target]);
    expect(unforced.code).toBe(1);
    expect(unforced.stderr).toMatch(/exists; pass --force/);

    const server = await spawnServer(target);
    later(() => server.child.exitCode === null && server.stop());
    const underServer = await runCli('restore', ['--from', out, '--data', target, '--force']);
    expect(underServer.code).toBe(1);
    expect(underServer.stderr).toMatch(/open in another process; stop the server first/);
    expect(await server.stop()).toBe(0);
    expect(readdirSync(target).some((f) => f.includes('before-restore'))).toBe(false);

    const previous = sha256(databaseFile(target));
    const forced = await runCli('restore', ['--from', out, '--data', target, '--force']);
    expect(forced, forced.stderr).toMatchObject({ code: 0 });
    const files = readdirSync(target).sort();
    // the server's key and public keys stay; its anchors, like its database, are kept aside
    expect(files).toHaveLength(5);
    expect(files.slice(0, 2)).toEqual(['audit-anchor.key', 'audit-anchor.pub']);
    expect(files[2]).toMatch(/^audit-anchors\.jsonl\.before-restore-\d{8}T\d{6}\.\d{3}Z$/);
    expect(files[3]).toBe('gridcommand.db');
    expect(files[4]).toMatch(/^gridcommand\.db\.before-restore-\d{8}T\d{6}\.\d{3}Z$/);
    expect(forced.stdout).toContain(`kept            ${join(target, files[4]!)}`);
    expect(sha256(join(target, files[4]!))).toBe(previous);
    expect(sha256(databaseFile(target))).toBe(sha256(out));
    expect(existsSync(`${databaseFile(target)}-wal`)).toBe(false);
  });

  it('ends even when a commit lands between every two steps, holding every commit made before its last step', async () => {
    const data = seededDataDir();
    const out = join(tempDir(), 'interrupted.db');
    const writer = openDatabase(databaseFile(data));
    const insert = writer.prepare("INSERT INTO meta (key, value) VALUES (?, 'committed during the backup')");
    // While a connection stays open, small commits live only in the write-ahead log.
    writer.prepare("INSERT INTO meta (key, value) VALUES ('before', 'committed before the backup')").run();
    expect(statSync(`${databaseFile(data)}-wal`).size).toBeGreaterThan(0);
    let commits = 0;
    const result = await backupDatabase({
      source: databaseFile(data),
      out,
      clock: systemClock,
      pagesPerStep: 8,
      // Another connection commits before every step, so SQLite starts the copy over each time.
      onProgress: () => void insert.run(`during-${++commits}`),
    }).finally(() => writer.close());

    const copy = new Database(out, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare("SELECT key FROM meta WHERE key = 'before'").get()).toEqual({ key: 'before' });
      expect(copy.prepare("SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'during-%'").get()).toEqual({ n: commits });
    } finally {
      copy.close();
    }
    expect(result.metadata.pages).toBeGreaterThan(8 * BACKUP_MAX_RESTARTS);
    expect(result.restarts).toBe(BACKUP_MAX_RESTARTS);
  });
});
