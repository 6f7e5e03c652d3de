import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import type { Anchor } from '../../server/src/modules/audit/audit-anchor.js';
import { auditHash, type AuditFields } from '../../server/src/modules/audit/audit-chain.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import { api, cleanupAfterAll, intakeAt, login, loginAs, pointInCounty, ROOT, someItemCode, spawnServer, startTestServer } from './harness.js';

const { later, tempDir } = cleanupAfterAll();

/** The real `npm run audit:verify -- --data DIR`, as its own process. */
function verifyCli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/src/cli/audit-verify.ts', '--data', dataDir, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr });
    });
  });
}

function runCli(script: 'backup' | 'restore', args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', `server/src/cli/${script}.ts`, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr });
    });
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, sha256(join(dir, f))]));
const anchorsOf = (dir: string) => readFileSync(join(dir, 'audit-anchors.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Anchor);

/** Real traffic that the server audits: logins (one failing), a case intake. */
async function someActivity(url: string, round: number): Promise<void> {
  await loginAs(url, 'demo-duty');
  expect((await login(url, 'demo-lead', `wrong-password-${round}`)).status).toBe(401);
  const p = await pointInCounty(url, round);
  const created = await api<EventCreated>(url, '/api/v1/events', { method: 'POST', json: intakeAt(await someItemCode(url), { lon: p.lon, lat: p.lat }, { description: `审计篡改测试 ${round}` }) });
  expect(created.status).toBe(201);
}

interface Row extends AuditFields {
  prev_hash: string;
  hash: string;
}
const FIELDS = 'seq, at, user_id AS userId, username, role, action, object_type AS objectType, object_id AS objectId, result, reason, source_ip AS sourceIp, client, details, prev_hash, hash';

/**
 * An attacker with write access to a stopped server's database: drops the triggers, does the
 * work, and puts the very same triggers back so that nothing looks touched.
 */
function tamper(dir: string, work: (db: Database.Database) => void): void {
  const db = new Database(databaseFile(dir));
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as Array<{ name: string; sql: string }>;
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  work(db);
  for (const t of triggers) db.exec(t.sql);
  db.close();
}

/** Edits record `seq` and recomputes its hash and every later one, so the chain verifies again. */
function rechainFrom(db: Database.Database, seq: number, edit: (r: Row) => void): void {
  const rows = db.prepare(`SELECT ${FIELDS} FROM audit_log WHERE seq >= ? ORDER BY seq`).all(seq) as Row[];
  edit(rows[0]!);
  const update = db.prepare('UPDATE audit_log SET user_id = ?, username = ?, action = ?, result = ?, reason = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  let prev = rows[0]!.prev_hash;
  for (const r of rows) {
    const hash = auditHash(r, prev);
    update.run(r.userId, r.username, r.action, r.result, r.reason, prev, hash, r.seq);
    prev = hash;
  }
}

describe('audit:verify on a copy of a real data folder', () => {
  /** A stopped server's data folder, never changed; each case works on its own copy. */
  let pristine: string;
  let head: { seq: number; hash: string };
  let anchors: Anchor[];
  const copy = () => {
    const dir = tempDir();
    cpSync(pristine, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    pristine = tempDir();
    const server = await startTestServer({ dataDir: pristine });
    for (let round = 1; round <= 3; round++) {
      await someActivity(server.url, round);
      // What the one-minute timer does, without waiting a minute.
      expect(server.handles.auditAnchor.writeNow()).not.toBeNull();
    }
    await someActivity(server.url, 4);
    head = await server.handles.audit.head();
    // A clean stop writes the shutdown anchor: the head after the last request.
    await server.stop();
    anchors = anchorsOf(pristine);
  });

  it('starts from a folder whose anchors end at the head the server stopped with', () => {
    expect(anchors.length).toBeGreaterThanOrEqual(5);
    expect(anchors.at(-1)).toMatchObject({ seq: head.seq, hash: head.hash });
    expect(readdirSync(pristine).sort()).toEqual(['audit-anchor.key', 'audit-anchor.pub', 'audit-anchors.jsonl', 'gridcommand.db']);
  });

  it('reports the intact folder as intact, with its anchors, and changes nothing', async () => {
    const dir = copy();
    const before = snapshot(dir);
    const { code, out } = await verifyCli(dir);
    expect(out).toBe(
      `audit chain intact: ${head.seq} records (#1–#${head.seq}), last hash ${head.hash}\n` +
        `anchors: ${anchors.length} checked, last #${head.seq} at ${anchors.at(-1)!.at}\n`,
    );
    expect(code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('names the missing range when the tail of the trail is deleted', async () => {
    const dir = copy();
    tamper(dir, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.seq - 3));
    const { code, out } = await verifyCli(dir);
    // The chain that is left is whole; only the anchors know what was there.
    expect(out).toContain(`audit chain intact: ${head.seq - 3} records`);
    expect(out).toContain(`audit trail TRUNCATED: the anchor of ${anchors.at(-1)!.at} (line ${anchors.length}) holds ${head.seq} records, the database ${head.seq - 3}; records #${head.seq - 2}–#${head.seq} are missing`);
    expect(code).toBe(1);
  });

  it('finds a re-chained segment: a record edited and every later hash recomputed', async () => {
    const dir = copy();
    const [, second, third] = anchors;
    const edited = second!.seq + 1;
    tamper(dir, (db) =>
      rechainFrom(db, edited, (r) => {
        r.username = 'someone-else';
      }),
    );
    const { code, out } = await verifyCli(dir);
    expect(out).toContain(`audit chain intact: ${head.seq} records`);
    expect(out).toMatch(
      new RegExp(`audit trail RE-CHAINED: the anchor of ${third!.at} \\(line 3\\) holds record #${third!.seq} with hash ${third!.hash}, the database has [0-9a-f]{64}; records after #${second!.seq} \\(anchored ${second!.at}, still matching\\) up to #${third!.seq} were rewritten`),
    );
    expect(code).toBe(1);
  });

  it('finds the last record edited and its hash recomputed', async () => {
    const dir = copy();
    tamper(dir, (db) =>
      rechainFrom(db, head.seq, (r) => {
        r.username = 'nobody';
      }),
    );
    const { code, out } = await verifyCli(dir);
    expect(out).toContain(`audit chain intact: ${head.seq} records`);
    expect(out).toContain(`audit trail RE-CHAINED: the anchor of ${anchors.at(-1)!.at} (line ${anchors.length}) holds record #${head.seq} with hash ${head.hash}`);
    expect(out).toContain(`records after #${anchors.at(-2)!.seq}`);
    expect(code).toBe(1);
  });

  it('finds triggers that are still there but neutered with WHEN 0, by attempting the changes, and leaves the file as it was', async () => {
    const dir = copy();
    const db = new Database(databaseFile(dir));
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as Array<{ name: string; sql: string }>;
    expect(triggers).toHaveLength(3);
    for (const t of triggers) {
      db.exec(`DROP TRIGGER ${t.name}`);
      // Same name, same RAISE(ABORT …) text; it just never fires.
      db.exec(t.sql.includes('WHEN') ? t.sql.replace('WHEN', 'WHEN 0 AND (').replace(/\n\s*BEGIN/, ')\n      BEGIN') : t.sql.replace('ON audit_log', 'ON audit_log WHEN 0'));
    }
    expect((db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%RAISE(ABORT%' AND sql LIKE '%WHEN 0%'").get() as { n: number }).n).toBe(3);
    db.close();
    const before = snapshot(dir);
    const { code, out } = await verifyCli(dir);
    expect(out).toContain(`audit chain intact: ${head.seq} records`);
    expect(out).toMatch(/audit_log is NOT append-only: the database accepted UPDATE of seq in record #1; DELETE of record #1; INSERT OR REPLACE of record #1; INSERT of record #\d+ not linked to #\d+ \(\d+ changes in all, each rolled back by the verifier\)/);
    expect(out).toContain(`anchors: ${anchors.length} checked`);
    expect(code).toBe(1);
    // The probe's accepted changes were rolled back: the database file is byte for byte the same.
    expect(snapshot(dir)).toEqual(before);
  });

  it('finds an edited anchor line and a deleted one', async () => {
    const edited = copy();
    const file = join(edited, 'audit-anchors.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, lines.map((l, i) => (i === 1 ? l.replace(`"seq":${anchors[1]!.seq},`, `"seq":${anchors[1]!.seq - 1},`) : l)).join('\n'));
    const e = await verifyCli(edited);
    expect(e.out).toContain(`anchor file BROKEN: ${file} line 2 does not match its signature: it was edited after it was written`);
    expect(e.code).toBe(1);

    const deleted = copy();
    const file2 = join(deleted, 'audit-anchors.jsonl');
    writeFileSync(file2, lines.filter((_, i) => i !== 2).join('\n'));
    const d = await verifyCli(deleted);
    expect(d.out).toContain(`anchor file BROKEN: ${file2} line 3 does not follow the line before it: an anchor line was deleted, inserted or moved`);
    expect(d.code).toBe(1);
  });

  it('reports a missing anchor file or public key file where anchors are expected', async () => {
    const noAnchors = copy();
    rmSync(join(noAnchors, 'audit-anchors.jsonl'));
    const a = await verifyCli(noAnchors);
    expect(a.out).toMatch(/audit anchors MISSING: no anchor file at .*audit-anchors\.jsonl, but the trail records anchor key [0-9a-f]{16} at #1/);
    expect(a.code).toBe(1);

    // Deleting every file outside the database still leaves the trail's own record of the key.
    rmSync(join(noAnchors, 'audit-anchor.pub'));
    rmSync(join(noAnchors, 'audit-anchor.key'));
    expect((await verifyCli(noAnchors)).code).toBe(1);

    const noKey = copy();
    rmSync(join(noKey, 'audit-anchor.pub'));
    const k = await verifyCli(noKey);
    expect(k.out).toMatch(/audit anchors UNVERIFIABLE: no public key file at .*audit-anchor\.pub/);
    expect(k.code).toBe(1);
  });

  it('trusts only the public keys given with --anchor-pub', async () => {
    const dir = copy();
    const other = tempDir();
    // A key the operator does not know, e.g. one an attacker made to re-sign the anchors.
    const server = await startTestServer({ dataDir: other });
    await server.stop();
    const { code, out } = await verifyCli(dir, '--anchor-pub', join(other, 'audit-anchor.pub'));
    expect(out).toMatch(/anchor file BROKEN: .* line 1 is signed with key [0-9a-f]{16}, which is not among the public keys/);
    expect(code).toBe(1);
  });

  it('backs the anchors up with the database and restores them; the anchors they replace are kept aside', async () => {
    const folder = tempDir();
    const out = join(folder, 'nightly.db');
    const backup = await runCli('backup', ['--data', pristine, '--out', out]);
    expect(backup, backup.out).toMatchObject({ code: 0 });
    expect(backup.out).toContain(`audit anchors   ${anchors.length} lines in nightly.db.audit-anchors.jsonl, public keys in nightly.db.audit-anchor.pub`);
    expect(readdirSync(folder).sort()).toEqual(['nightly.db', 'nightly.db.audit-anchor.pub', 'nightly.db.audit-anchors.jsonl', 'nightly.db.json']);
    // The private key stays behind.
    expect(readFileSync(`${out}.audit-anchor.pub`, 'utf8')).not.toMatch(/PRIVATE/);

    const fresh = tempDir();
    const restored = await runCli('restore', ['--from', out, '--data', fresh, '--force']);
    expect(restored, restored.out).toMatchObject({ code: 0 });
    expect(restored.out).toContain(`audit anchors   ${anchors.length} lines restored to ${join(fresh, 'audit-anchors.jsonl')}, 1 public key(s) added`);
    expect((await verifyCli(fresh)).code).toBe(0);
    // Backups carry no private key: the server on the restored folder makes its own, adds its
    // public key beside the restored ones and goes on anchoring where the restored anchors end.
    const resumed = await startTestServer({ dataDir: fresh });
    await someActivity(resumed.url, 6);
    await resumed.stop();
    expect(readFileSync(join(fresh, 'audit-anchor.pub'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await verifyCli(fresh)).toMatchObject({ code: 0, out: expect.stringContaining(`anchors: ${anchors.length + 2} checked`) });

    // A folder that went on after the backup: restoring rewinds its trail, so its newer anchors
    // would call the restored database truncated. They are kept aside, like its database.
    const later = copy();
    const server = await startTestServer({ dataDir: later });
    await someActivity(server.url, 5);
    await server.stop();
    const rewound = await runCli('restore', ['--from', out, '--data', later, '--force']);
    expect(rewound, rewound.out).toMatchObject({ code: 0 });
    const files = readdirSync(later).sort();
    expect(files.filter((f) => f.startsWith('audit-anchors.jsonl.before-restore-'))).toHaveLength(1);
    expect(files).toContain('audit-anchor.key');
    expect(await verifyCli(later)).toMatchObject({ code: 0 });
  });
});

describe('audit anchors from the running server', () => {
  it('are written at shutdown by the real server process, holding the final head', async () => {
    const dir = tempDir();
    const server = await spawnServer(dir);
    await someActivity(server.url, 1);
    expect(await server.stop()).toBe(0);
    const db = new Database(databaseFile(dir), { readonly: true });
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    db.close();
    expect(anchorsOf(dir).at(-1)).toMatchObject(last);
    expect((await verifyCli(dir)).code).toBe(0);
  });

  it('are sent to a syslog collector over UDP as RFC 5424 lines when configured', async () => {
    const collector = createSocket('udp4');
    const received: string[] = [];
    collector.on('message', (m) => received.push(m.toString('utf8')));
    await new Promise<void>((ok) => collector.bind(0, '127.0.0.1', ok));
    later(() => collector.close());
    const dir = tempDir();
    const server = await startTestServer({ dataDir: dir, config: { auditAnchor: { dir: null, keyFile: null, intervalMs: 3_600_000, syslog: `127.0.0.1:${collector.address().port}` } } });
    await someActivity(server.url, 1);
    const anchor = server.handles.auditAnchor.writeNow();
    expect(anchor).not.toBeNull();
    await server.stop();
    const lines = readFileSync(join(dir, 'audit-anchors.jsonl'), 'utf8').split('\n').filter(Boolean);
    await expect.poll(() => received.length).toBe(lines.length);
    for (const [i, message] of received.entries()) {
      expect(message).toMatch(/^<109>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ gridcommand \d+ audit-anchor - \{/);
      expect(message.slice(message.indexOf(' - ') + 3)).toBe(lines[i]);
    }
    expect(existsSync(join(dir, 'audit-anchor.key'))).toBe(true);
  });
});
