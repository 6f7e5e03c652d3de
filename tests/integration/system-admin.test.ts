import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { RetentionSettings, ShiftSchedule } from '../../shared/contracts/settings.js';
import type { SystemHealthResponse } from '../../shared/contracts/system.js';
import type { UserFormOptions } from '../../shared/contracts/user-admin.js';
import { databaseFile } from '../../server/src/config.js';
import { backupDatabase } from '../../server/src/db/backup.js';
import { api, cleanupAfterAll, intakeAt, loginAs, pointInCounty, someItemCode, startTestServer, type TestServer } from './harness.js';
import { as, TestClock, type Who } from './workflow-driver.js';

const DAY = 86_400_000;
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const cleanup = cleanupAfterAll();
let server: TestServer;
let sysadmin: string;

beforeAll(async () => {
  server = await startTestServer({ clock });
  sysadmin = await loginAs(server.url, 'demo-sysadmin');
});
afterAll(async () => server?.stop());

const health = async () => {
  const res = await api<SystemHealthResponse>(server.url, '/api/v1/system/health', { token: sysadmin });
  expect(res.status).toBe(200);
  return res.body;
};
const settingsAudit = async (objectId: string) =>
  (
    await server.store.all<{
      username: string;
      result: string;
      details: string;
    }>("SELECT username, result, details FROM audit_log WHERE action = 'settings:change' AND object_id = ? ORDER BY seq", objectId)
  ).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

describe('server health for the system administrator', () => {
  it('tells database and WAL size, sockets, uptime, version and the audit anchors', async () => {
    clock.advance(90_000);
    const h = await health();
    expect(h.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(h.uptimeSeconds).toBe(90);
    expect(h.serverTime).toBe(clock.now().toISOString());
    expect(h.database.fileBytes).toBeGreaterThan(0);
    expect(h.database.walBytes).toBeGreaterThanOrEqual(0);
    expect(h.database.events).toBeGreaterThan(0);
    expect(h.database.openEvents).toBeLessThanOrEqual(h.database.events);
    expect(h.sockets).toBe(0);
    expect(h.lastBackup).toBeNull();
    // anchored at start: the records written since are counted as not anchored yet
    expect(h.audit.anchoredSeq).not.toBeNull();
    expect(h.audit.unanchored).toBe(h.audit.records - h.audit.anchoredSeq!);
    await server.handles.auditAnchor.writeNow();
    const after = await health();
    expect(after.audit.anchoredSeq).toBe(after.audit.records - after.audit.unanchored);
    expect(after.audit.unanchored).toBeLessThanOrEqual(1); // the health read itself is not audited; a login may be
  });

  // SQLite only: backs up the server's SQLite file (backupDatabase) and reads its record
  it('reports the last backup that the backup command recorded in the data folder', async () => {
    const out = join(cleanup.tempDir(), 'nightly.db');
    const result = await backupDatabase({ source: databaseFile(server.dataDir), out, clock });
    expect(result.logged).toEqual({ file: join(server.dataDir, 'backups.jsonl') });
    const h = await health();
    expect(h.lastBackup).toEqual({ at: clock.now().toISOString(), file: out, bytes: result.metadata.bytes, sha256: result.metadata.sha256, lastSeq: result.metadata.lastSeq });
    // a line cut short (a crash while appending) is skipped: the last whole backup is still reported
    appendFileSync(join(server.dataDir, 'backups.jsonl'), '{"at":"2026-11-2');
    expect((await health()).lastBackup?.file).toBe(out);
  });

  it('is for the system administrator only (403 for the others)', async () => {
    for (const user of ['demo-dispatcher', 'demo-secadmin', 'demo-auditor']) {
      const token = await loginAs(server.url, user);
      const res = await api<ApiError>(server.url, '/api/v1/system/health', { token });
      expect(res.status, user).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });
});

describe('shift schedule', () => {
  it('starts with 白班 08:30–17:30 and 夜班 17:30–08:30, readable by the console', async () => {
    const res = await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts');
    expect(res.status).toBe(200);
    expect(res.body.shifts.map((s) => [s.name, s.start, s.end])).toEqual([
      ['白班', '08:30', '17:30'],
      ['夜班', '17:30', '08:30'],
    ]);
  });

  it('lets the system administrator replace it, audited with before and after', async () => {
    const next: ShiftSchedule = {
      shifts: [
        { name: '早班', nameEn: 'Early', start: '08:00', end: '16:00', lead: '王强' },
        { name: '中班', nameEn: 'Late', start: '16:00', end: '00:00', lead: '李敏' },
        { name: '夜班', nameEn: 'Night', start: '00:00', end: '08:00', lead: null },
      ],
    };
    const res = await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts', { method: 'PUT', token: sysadmin, json: next });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(next);
    expect((await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts')).body).toEqual(next);
    const [record] = await settingsAudit('shifts');
    expect(record).toMatchObject({ username: 'demo-sysadmin', result: 'success', details: { after: next } });
    expect((record!.details.before as ShiftSchedule).shifts[0]!.name).toBe('白班');
  });

  it('refuses shifts with a gap, naming the field in the request language, and changes nothing', async () => {
    const current = (await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts')).body;
    const gap = { shifts: [{ ...current.shifts[0]!, end: '15:00' }, ...current.shifts.slice(1)] };
    for (const [lang, words] of [
      ['zh-CN', '首尾相接'],
      ['en', 'follow one another around the clock'],
    ] as const) {
      const res = await api<ApiError>(server.url, '/api/v1/settings/shifts', { method: 'PUT', token: sysadmin, json: gap, headers: { 'accept-language': lang } });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'shifts.0.end', code: 'shift_not_contiguous' })]);
      expect(res.body.error.fields![0]!.message).toContain(words);
    }
    expect((await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts')).body).toEqual(current);
    expect(await settingsAudit('shifts')).toHaveLength(1);
  });

  it('refuses a dispatcher (403)', async () => {
    const current = (await api<ShiftSchedule>(server.url, '/api/v1/settings/shifts')).body;
    const res = await api<ApiError>(server.url, '/api/v1/settings/shifts', { method: 'PUT', json: current });
    expect(res.status).toBe(403);
  });
});

describe('retention and the pruning job', () => {
  let field: Who;
  let teamId: string;
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    field = await as(server.url, 'demo-field');
    teamId = field.teamId!;
    const p = await pointInCounty(server.url);
    point = { lon: p.lon, lat: p.lat };
  });

  /** Sessions end after 12 hours: after moving the clock by days, the test signs in again. */
  const signInAgain = async () => {
    field = await as(server.url, 'demo-field');
    sysadmin = await loginAs(server.url, 'demo-sysadmin');
  };
  const report = async (at: Date) => {
    const res = await api(server.url, `/api/v1/teams/${teamId}/position`, { method: 'POST', token: field.token, json: { ...point, accuracy: 5, at: at.toISOString() } });
    expect(res.status).toBe(200);
  };
  const positions = async () => (await server.store.all<{ at: string }>('SELECT at FROM team_positions WHERE team_id = ? ORDER BY at', teamId)).map((r) => r.at);

  it('keeps trails 90 days and idempotency keys 30 days unless changed; refuses less than 7 days', async () => {
    expect((await api<RetentionSettings>(server.url, '/api/v1/settings/retention', { token: sysadmin })).body).toEqual({ positionTrailDays: 120, idempotencyKeyDays: 30 });
    const bad = await api<ApiError>(server.url, '/api/v1/settings/retention', { method: 'PUT', token: sysadmin, json: { positionTrailDays: 3, idempotencyKeyDays: 30 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ field: 'positionTrailDays', code: 'too_small' })]);
  });

  it('deletes positions and keys older than the settings on the test clock, audits the run, and never touches the audit trail', async () => {
    await report(clock.now());
    const intake = await api(server.url, '/api/v1/events', {
      method: 'POST',
      token: field.token,
      headers: { 'idempotency-key': 'retention-test-1' },
      json: intakeAt(await someItemCode(server.url), point),
    });
    expect(intake.status).toBe(201);
    const auditBefore = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;

    // 20 days on: nothing is old enough yet
    clock.advance(20 * DAY);
    await signInAgain();
    await report(clock.now());
    expect((await server.handles.retention.pruneNow()).deleted).toEqual({ positions: 0, intakeKeys: 0, actionKeys: 0 });
    expect(await positions()).toHaveLength(2);

    // shorten both to 7 days: the first position and the key are now older
    const res = await api<RetentionSettings>(server.url, '/api/v1/settings/retention', { method: 'PUT', token: sysadmin, json: { positionTrailDays: 7, idempotencyKeyDays: 7 } });
    expect(res.status).toBe(200);
    expect(await settingsAudit('retention')).toEqual([expect.objectContaining({ username: 'demo-sysadmin', details: { before: { positionTrailDays: 120, idempotencyKeyDays: 30 }, after: { positionTrailDays: 7, idempotencyKeyDays: 7 } } })]);
    const run = await server.handles.retention.pruneNow();
    expect(run.deleted.positions).toBeGreaterThanOrEqual(1);
    expect(run.deleted.intakeKeys).toBeGreaterThanOrEqual(1);
    expect(run.cutoffs.positions).toBe(new Date(clock.now().getTime() - 7 * DAY).toISOString());
    expect(await positions()).toEqual([clock.now().toISOString()]);
    expect(await server.store.get("SELECT 1 AS found FROM idempotency_keys WHERE key = 'retention-test-1'")).toBeUndefined();

    const records = await server.store.all<{ username: string; result: string; details: string }>("SELECT username, result, details FROM audit_log WHERE action = 'system:retention' ORDER BY seq");
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ username: 'system', result: 'success' });
    expect(JSON.parse(records[0]!.details)).toMatchObject({ deleted: run.deleted, cutoffs: run.cutoffs });
    // the trail only grew: every record before the run is still there
    expect((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n).toBeGreaterThan(auditBefore);

    const h = await health();
    expect(h.retention.lastRun).toEqual(run);
    expect(h.retention.settings).toEqual({ positionTrailDays: 7, idempotencyKeyDays: 7 });
    expect(h.retention.positions.oldest).toBe(clock.now().toISOString());
  });

  it('a run that deletes nothing writes no audit record', async () => {
    const before = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'system:retention'"))!.n;
    expect((await server.handles.retention.pruneNow()).deleted).toEqual({ positions: 0, intakeKeys: 0, actionKeys: 0 });
    expect((await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'system:retention'"))!.n).toBe(before);
  });
});

describe('user form options', () => {
  it('gives the security administrator the towns, the teams and the password policy; nobody else', async () => {
    const secadmin = await loginAs(server.url, 'demo-secadmin');
    const res = await api<UserFormOptions>(server.url, '/api/v1/users/form-options', { token: secadmin });
    expect(res.status).toBe(200);
    expect(res.body.towns.length).toBe(3);
    expect(res.body.teams.length).toBeGreaterThan(0);
    expect(res.body.teams[0]).toEqual(expect.objectContaining({ id: expect.stringMatching(/^TM\d+$/), name: expect.any(String), type: expect.any(String) }));
    expect(res.body.passwordPolicy).toEqual({ profile: 'dengbao', minLength: 8, minClasses: 3, maxAgeDays: 90, historyDepth: 5, refusesCommon: false });
    expect((await api(server.url, '/api/v1/users/form-options', { token: await loginAs(server.url, 'demo-sysadmin') })).status).toBe(403);
  });
});
