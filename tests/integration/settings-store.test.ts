import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import type { AuditEntry } from '../../server/src/modules/audit/audit.contract.js';
import type { AuditSink, Principal } from '../../server/src/modules/auth/auth.service.js';
import type { UserRecord } from '../../server/src/modules/auth/users.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { DEFAULT_RETENTION, DEFAULT_SHIFT_SCHEDULE, DEFAULT_WORKFLOW_SETTINGS, SettingsRepo } from '../../server/src/modules/settings/settings.repo.js';
import { SettingsService } from '../../server/src/modules/settings/settings.service.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * The settings repository and service answer and write the same on both dialects: a seeded
 * county copied from SQLite to PostgreSQL (a json column there), then every read (workflow,
 * shifts, retention), every save, the service's audited updates and a save rolled back run on
 * both with the same clock and values; the answers, the settings rows and the audit entries must
 * agree.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

interface Side {
  store: Store;
  repo: SettingsRepo;
  service: SettingsService;
  audit: AuditEntry[];
}

function side(store: Store, clock: Clock): Side {
  const audit: AuditEntry[] = [];
  // the audit repository stays on SQLite for now: both sides record the entries instead
  const sink: AuditSink = { append: (e) => (audit.push(e), undefined) as never, record: (e) => (audit.push(e), undefined) as never };
  const repo = new SettingsRepo(store);
  return { store, repo, audit, service: new SettingsService({ store, repo, audit: sink, clock }) };
}

describe('SettingsRepo and SettingsService on SQLite and PostgreSQL', () => {
  it('answer, write and leave the same rows', async () => {
    const db = openDatabase(`${tempDir()}/settings.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const post = await postgresCopy(pg.cluster, db, later);
    const clock = new TestClock(Date.parse('2026-11-20T09:00:00+08:00'));
    const sides = [side(Store.onSqlite(db), clock), side(post, clock)] as const;
    const same = async <T>(what: string, fn: (s: Side) => Promise<T>): Promise<T> => {
      const a = await fn(sides[0]);
      const b = await fn(sides[1]);
      expect(b, what).toEqual(a);
      return a;
    };
    const rows = () => same('settings rows', (s) => s.store.all('SELECT key, value, updated_at, updated_by FROM settings ORDER BY key'));
    const reads = async (what: string) => ({
      workflow: await same(`${what}: workflow`, (s) => s.repo.workflow()),
      shifts: await same(`${what}: shifts`, (s) => s.repo.shifts()),
      retention: await same(`${what}: retention`, (s) => s.repo.retention()),
    });

    await reads('as seeded');
    await rows();

    // the repository's saves, inside a store transaction as the service does
    const workflow = {
      ...DEFAULT_WORKFLOW_SETTINGS,
      calendar: { ...DEFAULT_WORKFLOW_SETTINGS.calendar, holidays: ['2027-01-01', '2027-02-17'], workdays: ['2027-02-07'] },
      duplicates: { radiusMeters: 150, windowHours: 48, sameAddress: false, sameMicroGrid: true },
      warnAtFraction: 0.75,
    };
    const shifts = { shifts: [{ name: '全天', nameEn: 'All day', start: '08:00', end: '08:00', lead: '张三' }] };
    const retention = { positionTrailDays: 30, idempotencyKeyDays: 7 };
    await same('save workflow', (s) => s.store.inTransaction(() => s.repo.saveWorkflow(workflow, '2026-11-20T01:00:00.000Z', 'u-admin')));
    await same('save shifts', (s) => s.store.inTransaction(() => s.repo.saveShifts(shifts, '2026-11-20T01:01:00.000Z', null)));
    await same('save retention', (s) => s.store.inTransaction(() => s.repo.saveRetention(retention, '2026-11-20T01:02:00.000Z', 'u-admin')));
    const saved = await reads('saved');
    expect(saved).toEqual({ workflow, shifts, retention });
    await rows();

    // a save rolled back does not stick (the cache is re-read by updated_at)
    await same('rolled back', async (s) =>
      s.store
        .inTransaction(async () => {
          await s.repo.saveRetention({ positionTrailDays: 1, idempotencyKeyDays: 1 }, '2026-11-20T02:00:00.000Z', null);
          throw new Error('rolled back');
        })
        .catch((err: Error) => err.message),
    );
    expect(await same('after the rollback', (s) => s.repo.retention())).toEqual(retention);

    // the service's audited updates, back to the defaults
    const principal = { user: { id: 'u-admin', username: 'admin', roles: ['county_admin'] } as unknown as UserRecord } as Principal;
    const ctx = { sourceIp: '10.0.0.3', client: 'settings-store.test' };
    clock.at += 60_000;
    expect(await same('update workflow', (s) => s.service.updateWorkflow(principal, DEFAULT_WORKFLOW_SETTINGS, ctx))).toEqual(DEFAULT_WORKFLOW_SETTINGS);
    expect(await same('update shifts', (s) => s.service.updateShifts(principal, DEFAULT_SHIFT_SCHEDULE, ctx))).toEqual(DEFAULT_SHIFT_SCHEDULE);
    expect(await same('update retention', (s) => s.service.updateRetention(principal, DEFAULT_RETENTION, ctx))).toEqual(DEFAULT_RETENTION);
    const audit = await same('audit entries', async (s) => s.audit);
    expect(audit.map((e) => e.objectId)).toEqual(['workflow', 'shifts', 'retention']);
    await reads('updated');
    const final = await rows();
    expect(final.map((r) => (r as { updated_by: string | null }).updated_by)).toEqual(['u-admin', 'u-admin', 'u-admin']);
  });
});
