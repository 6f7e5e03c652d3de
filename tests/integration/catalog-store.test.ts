import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import type { Clock } from '../../server/src/core/clock.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import { CatalogRepo } from '../../server/src/modules/catalog/catalog.repo.js';
import { CatalogService } from '../../server/src/modules/catalog/catalog.service.js';
import { ClassifyRepo } from '../../server/src/modules/classify/classify.repo.js';
import { DEMO_CATALOG, DEMO_REFERRALS } from '../../server/src/modules/demo/demo-catalog.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';

/**
 * The catalog and the classifier's closed cases on both stores: a seeded county copied from
 * SQLite to PostgreSQL, then the same drafts written, approved and rejected through the catalog
 * repository on each, and every method's answers compared, including the synchronous reads
 * served from the snapshot. A second repository on the same database stands for another node:
 * it keeps serving its snapshot until `fresh` finds the active version changed, and an approval
 * rolled back leaves every snapshot where it was.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const at = (minute: number) => `2026-11-20T02:${String(minute).padStart(2, '0')}:00.000Z`;
const author = { id: 'U-author', name: '张三' };
const approver = { id: 'U-approver', name: '李四' };

describe('CatalogRepo and ClassifyRepo on SQLite and PostgreSQL', () => {
  it('answer and write the same, and a node sees another node approve on its next fresh()', async () => {
    const db = openDatabase(`${tempDir()}/catalog.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const closedAt = db.prepare("SELECT closed_at FROM events WHERE status = 'closed' ORDER BY closed_at, id").pluck().all() as string[];
    expect(closedAt.length).toBeGreaterThan(10);
    const middle = closedAt[Math.floor(closedAt.length / 2)]!;

    const post = await postgresCopy(pg.cluster, db, later);
    const sides = [
      { name: 'sqlite', store: Store.onSqlite(db) },
      { name: 'postgres', store: post },
    ];

    const [first, second] = [DEMO_CATALOG[0]!, DEMO_CATALOG[1]!];
    const renamed = { ...first, name: `${first.name}（改）` };
    const answers = [];
    for (const { name, store } of sides) {
      const a: Record<string, unknown> = {};
      const repo = new CatalogRepo(store);
      const other = new CatalogRepo(store); // another node on the same database
      await repo.load();
      await other.load();
      const v1 = repo.active().version;
      a.loaded = { active: repo.active(), item: repo.activeItem(first.code), itemOf: repo.itemOf(v1, second.code), referral: repo.referral(DEMO_REFERRALS[0]!.code), none: [repo.activeItem('NOPE'), repo.itemOf(999, first.code), repo.referral('NOPE'), repo.lastVersionWith('NOPE')] };

      // a draft without the second item, with the first renamed and one referral fewer
      const draft = await store.inTransaction(() =>
        repo.insertDraft({ note: '调整', items: [renamed, ...DEMO_CATALOG.slice(2)], referrals: DEMO_REFERRALS.slice(1), at: at(1), createdBy: author.id, createdByName: author.name }),
      );
      a.draft = { version: draft, items: await repo.items(draft), summary: await repo.version(draft), snapshotUnchanged: repo.active().version === v1, draftNotServed: repo.itemOf(draft, first.code) };

      // an approval rolled back changes nothing, on either node
      await expect(
        store.inTransaction(async () => {
          await repo.activate(draft, approver, at(2));
          throw new Error('rolled back');
        }),
        name,
      ).rejects.toThrow('rolled back');
      await other.fresh();
      a.rolledBack = { status: (await repo.version(draft))!.status, active: await repo.activeVersionNow(), other: other.active().version };

      a.previous = await store.inTransaction(() => repo.activate(draft, approver, at(3)));
      await expect(store.inTransaction(() => repo.activate(draft, approver, at(4))), name).rejects.toThrow(`catalog version ${draft} is not a draft`);
      await expect(repo.reload().then(() => undefined), name).resolves.toBeUndefined();
      // the other node serves its snapshot until it checks
      a.stale = other.active().version;
      await other.fresh();
      a.approved = {
        here: repo.active().version,
        there: other.active().version,
        item: other.activeItem(first.code)?.name,
        gone: other.activeItem(second.code),
        kept: other.itemOf(v1, second.code),
        retired: other.lastVersionWith(second.code),
        latest: other.lastVersionWith(first.code)?.version,
        referral: [other.referral(DEMO_REFERRALS[0]!.code), other.referral(DEMO_REFERRALS[1]!.code)?.code],
      };

      const rejected = await store.inTransaction(() =>
        repo.insertDraft({ note: '再调整', items: [first], referrals: [], at: at(5), createdBy: author.id, createdByName: author.name }),
      );
      await store.inTransaction(() => repo.reject(rejected, approver, '不完整', at(6)));
      await expect(store.inTransaction(() => repo.reject(rejected, approver, '再次', at(7))), name).rejects.toThrow('is not a draft');
      await other.fresh();
      a.rejected = { version: await repo.version(rejected), items: await repo.items(rejected), active: other.active().version };
      a.versions = await repo.versions();
      a.activeAt = [await repo.activeAt(at(3), false), await repo.activeAt(at(3), true), await repo.activeAt(at(6), true), await repo.activeAt('2000-01-01T00:00:00.000Z', true)];
      a.rows = await store.all('SELECT version, status, decided_by, decision_reason, activated_at FROM catalog_versions ORDER BY version');

      const classify = new ClassifyRepo(store);
      const all = await classify.closedCases();
      a.closed = { count: all.length, first: all[0], last: all.at(-1), before: (await classify.closedCases(middle)).length, none: await classify.closedCases('2000-01-01T00:00:00.000Z') };
      expect(all.map((c) => c.closedAt), name).toEqual(closedAt);
      answers.push(a);
    }

    const v1 = (answers[0]!.loaded as { active: { version: number } }).active.version;
    expect(v1).toBeGreaterThan(0);
    expect(answers[0]).toMatchObject({
      draft: { version: v1 + 1, snapshotUnchanged: true, draftNotServed: null },
      rolledBack: { status: 'draft', active: v1, other: v1 },
      previous: v1,
      stale: v1,
      approved: { here: v1 + 1, there: v1 + 1, item: renamed.name, gone: null, retired: { version: v1 }, latest: v1 + 1, referral: [null, DEMO_REFERRALS[1]!.code] },
      rejected: { version: { status: 'rejected', decisionReason: '不完整', decidedById: approver.id }, active: v1 + 1 },
      activeAt: [v1, v1 + 1, v1 + 1, null],
    });
    expect((answers[0]!.closed as { before: number }).before).toBeGreaterThan(0);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('numbers drafts written at once apart and decides them one after another, on either store', async () => {
    const db = openDatabase(`${tempDir()}/catalog-race.sqlite`);
    later(() => db.close());
    seedDemo(db, { ...SMALL_COUNTY, days: 0, eventsPerDay: 0 });
    const post = await postgresCopy(pg.cluster, db, later);
    const clock: Clock = { now: () => new Date('2026-11-20T03:00:00.000Z') };
    const principal = (id: string): Principal =>
      ({ user: { id, username: id, displayName: id, roles: ['catalog_approver'] }, session: null, mustChangePassword: false, apiKey: false, apiKeyId: null, apiKeyChannel: null }) as unknown as Principal;
    const ctx = { sourceIp: null, client: 'test' };
    const answers = [];
    for (const store of [Store.onSqlite(db), post]) {
      const repo = new CatalogRepo(store);
      await repo.load();
      const service = new CatalogService({ store, repo, audit: new AuditRepo(store, clock), clock });
      const items = DEMO_CATALOG.slice(0, 5);
      const drafts = await Promise.all([1, 2, 3].map((n) => service.createDraft(principal('U-author'), { note: `草稿${n}`, items, referrals: [] }, ctx)));
      const decided = await Promise.all([
        service.approve(principal('U-approver'), drafts[0]!.version, ctx),
        service.approve(principal('U-approver'), drafts[1]!.version, ctx),
        service.rejectDraft(principal('U-approver'), drafts[2]!.version, '重复', ctx),
      ]);
      answers.push({
        versions: drafts.map((d) => d.version).sort(),
        // which approval commits last differs by run on PostgreSQL: the statuses as a set
        statuses: (await store.all<{ status: string }>(`SELECT status FROM catalog_versions WHERE version IN (${decided.map((d) => d.version).join(',')}) ORDER BY status`)).map((r) => r.status),
        active: (await store.all("SELECT version FROM catalog_versions WHERE status = 'active'")).length,
        superseded: (await store.all("SELECT version FROM catalog_versions WHERE status = 'superseded'")).length,
        audit: (await store.all("SELECT result FROM audit_log WHERE action = 'catalog:change' ORDER BY seq")).length,
      });
    }
    expect(answers[0]).toEqual({ versions: [2, 3, 4], statuses: ['active', 'rejected', 'superseded'], active: 1, superseded: 2, audit: 6 });
    expect(answers[1]).toEqual(answers[0]);
  });
});
