import { Store } from '../../db/store.js';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { parsePublicKeys, readAnchorFile } from './audit-anchor.js';
import { anchorPaths, AuditAnchorWriter } from './audit-anchor-writer.js';
import { AuditRepo } from './audit.repo.js';

let dir: string;
let db: Db;
let audit: AuditRepo;
let now: Date;
const clock = { now: () => now };
const warnings: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridcommand-anchor-'));
  db = openDatabase(':memory:');
  now = new Date('2026-11-20T08:00:00.000Z');
  audit = new AuditRepo(Store.onSqlite(db), clock);
  warnings.length = 0;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function writer(): AuditAnchorWriter {
  return new AuditAnchorWriter({
    audit,
    clock,
    paths: anchorPaths(dir, { dir: null, keyFile: null }),
    intervalMs: 3_600_000,
    syslog: null,
    onError: (err) => {
      throw err;
    },
    onWarning: (m) => warnings.push(m),
  });
}
const read = () => readAnchorFile(readFileSync(join(dir, 'audit-anchors.jsonl'), 'utf8'), parsePublicKeys(readFileSync(join(dir, 'audit-anchor.pub'), 'utf8')).keys);

describe('AuditAnchorWriter', () => {
  it('makes a private key only the server can read, records it in the trail, and anchors the head only when it changed', async () => {
    const w = writer();
    await w.start();
    if (process.platform !== 'win32') expect(statSync(join(dir, 'audit-anchor.key')).mode & 0o777).toBe(0o600);
    expect((await audit.list({ page: 1, pageSize: 1 })).items[0]).toMatchObject({ seq: 1, action: 'config:change', objectType: 'audit_anchor_key' });
    expect(await w.writeNow()).toBeNull();
    await audit.record({ action: 'auth:login', username: 'a', result: 'success' });
    now = new Date('2026-11-20T08:01:00.000Z');
    expect(await w.writeNow()).toMatchObject({ seq: 2, hash: (await audit.head()).hash, at: '2026-11-20T08:01:00.000Z' });
    await audit.record({ action: 'auth:logout', username: 'a', result: 'success' });
    await w.stop();
    expect(read()).toMatchObject({ problems: [], torn: [] });
    expect(read().anchors.map((a) => a.seq)).toEqual([1, 2, 3]);
  });

  it('reuses its key after a restart and links past a line a crash cut short', async () => {
    const first = writer();
    await first.start();
    await first.stop();
    appendFileSync(join(dir, 'audit-anchors.jsonl'), '{"v":1,"at":"2026-11-2');
    await audit.record({ action: 'auth:login', username: 'a', result: 'success' });
    const second = writer();
    await second.start();
    await second.stop();
    expect(warnings).toEqual([expect.stringMatching(/was cut short/)]);
    expect(read()).toMatchObject({ problems: [], torn: [2] });
    expect(read().anchors.map((a) => a.seq)).toEqual([1, 2]);
    // Same key: one public key, one key record.
    expect(readFileSync(join(dir, 'audit-anchor.pub'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await audit.anchorKeyRecords()).toHaveLength(1);
  });

  it('warns at start when the trail is behind its last anchor', async () => {
    const w = writer();
    await w.start();
    await audit.record({ action: 'auth:login', username: 'a', result: 'success' });
    await w.stop();
    db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2');
    await writer().start();
    expect(warnings).toEqual(['the audit trail holds 1 records but its last anchor holds 2: records #2–#2 are missing; run npm run audit:verify']);
  });
});
