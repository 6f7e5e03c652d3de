import { describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/contracts/auth.js';
import type { CatalogItem, Referral } from '../../shared/contracts/catalog.js';
import type { TriageChangedPayload } from '../../shared/contracts/channels.js';
import { Bus } from '../../server/src/core/bus.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import type { UserRecord } from '../../server/src/modules/auth/users.repo.js';
import { fillChannelDemo } from '../../server/src/modules/channels/channel-demo.js';
import { ChannelsRepo, type NewTriageItem } from '../../server/src/modules/channels/channels.repo.js';
import { TriageQueue, type QueueOutcome } from '../../server/src/modules/channels/triage-queue.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import type { EventsService } from '../../server/src/modules/events/events.service.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * The channels repository on both stores: a seeded county (its demo cameras and mapping tables)
 * copied from SQLite to PostgreSQL, then every ChannelsRepo method (cameras and the demo's camera
 * sites, the demo fill of empty tables giving the seed's rows again, both mapping tables
 * with their upserts and deletes, receipts written, claimed and updated, triage items inserted,
 * listed with every town filter and decided) answers the same on both, and a transaction that
 * rolls back leaves nothing. The triage queue's `queue` is run twice at once with one channel id
 * on each store: exactly one item is queued (one receipt, one audit record, one push), the other
 * call answers the receipt of the first. On PostgreSQL the two transactions really overlap, so
 * that takes the claim (`ON CONFLICT DO NOTHING`) and the rollback of the loser.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const AT = '2026-11-20T01:00:00.000Z';
const TRIAGE_ID = /^TR[0-9A-F]{16}$/;
/** The test's own items' ids start so (`item`); the queue's are random. */
const FIXED_ID = 'TR000000000000';

function item(channelId: string, townId: string | null, over: Partial<NewTriageItem> = {}): NewTriageItem {
  return {
    id: `TR${channelId.replace(/\D/g, '').padStart(16, '0')}`,
    channel: 'hotline',
    channelId,
    reasons: townId ? ['item_uncertain'] : ['item_uncertain', 'address_unresolved'],
    suggestions: [{ itemCode: 'A01', itemName: '占道经营', category: 'city_management', score: 0.41, words: ['摊贩'] }] as NewTriageItem['suggestions'],
    body: { channelId, itemText: '其他', description: '门口有人摆摊', caller: { name: '张三', phone: '13800001234' } },
    itemText: '其他',
    description: '门口有人摆摊',
    address: townId ? '某路 1 号' : null,
    caller: { name: '张三', phone: '13800001234' },
    location: townId ? { lon: 120.123456789, lat: 30.987654321 } : null,
    addressCode: null,
    townId,
    reporterId: 'U-hotline',
    receivedAt: AT,
    ...over,
  };
}

/** Triage ids made at random (the queue's) as TR#1, TR#2… in order of appearance. */
function normalized(value: unknown): unknown {
  const seen = new Map<string, string>();
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => {
    if (typeof v !== 'string' || !TRIAGE_ID.test(v) || v.startsWith(FIXED_ID)) return v;
    if (!seen.has(v)) seen.set(v, `TR#${seen.size + 1}`);
    return seen.get(v);
  }) as unknown;
}

/** A PostgreSQL transaction holding the writers' turn (the audit chain's advisory lock) until released. */
async function holdWritersTurn(store: Store): Promise<{ release: () => void; done: Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const done = store.inTransaction(async () => {
    await store.takeWriterTurn();
    held();
    await gate;
  });
  await holding;
  return { release, done };
}

/** Until `n` lock requests wait on PostgreSQL (the racing transactions are blocked where the test wants them). */
async function waitForLockWaiters(store: Store, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const row = await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted');
    if (row!.n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${n} lock waiters after 5 s`);
}

describe('ChannelsRepo on SQLite and PostgreSQL', () => {
  it('answers and writes the same, and a channel id queued twice at once makes one triage item', async () => {
    const db = openDatabase(`${tempDir()}/channels.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const pick = (sql: string) => db.prepare(sql).pluck().get() as string;
    const [townA, townB] = db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY id LIMIT 2").pluck().all() as string[];
    const microGrid = pick("SELECT id FROM regions WHERE level = 'microgrid' ORDER BY id LIMIT 1");
    const caseId = pick('SELECT id FROM events ORDER BY id LIMIT 1');
    const auditSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number;

    // the active catalog as the server loads it, for the demo fill
    const active = db.prepare("SELECT version, referrals FROM catalog_versions WHERE status = 'active'").get() as { version: number; referrals: string };
    const catalog = {
      items: (db.prepare('SELECT item FROM catalog_version_items WHERE version = ? ORDER BY sort, code').pluck().all(active.version) as string[]).map((i) => JSON.parse(i) as CatalogItem),
      referrals: JSON.parse(active.referrals) as Referral[],
    };

    const post = await postgresCopy(pg.cluster, db, later);

    const principal = {
      user: { id: 'U-hotline', username: 'hotline-key', displayName: '12345 接口', roles: ['county_admin'], scope: { kind: 'county' } as Scope } as unknown as UserRecord,
      session: null,
      mustChangePassword: false,
      apiKey: true,
      apiKeyId: 'K1',
      apiKeyChannel: 'hotline',
    } as Principal;
    const actor = { principal, ctx: { sourceIp: '10.0.0.7', client: 'channels-store.test' } };

    const answers: Array<Record<string, unknown>> = [];
    for (const store of [Store.onSqlite(db), post]) {
      const name = store.dialect;
      const repo = new ChannelsRepo(store);
      const clock = new TestClock(Date.parse(AT));
      const bus = new Bus();
      const pushed: TriageChangedPayload[] = [];
      bus.subscribe('triage:changed', (p) => void pushed.push(p));
      const queue = new TriageQueue({ store, repo, events: null as unknown as EventsService, audit: new AuditRepo(store, clock), bus, clock });
      const a: Record<string, unknown> = {};

      // cameras: the demo's, one read, an upsert new and moved
      a.cameras = await repo.cameras();
      a.camera = [await repo.camera('CAM0001'), await repo.camera('CAM9999')];
      a.videoMappings = await repo.videoMappings();
      a.hotlineMappings = await repo.hotlineMappings();

      // the demo fill of a running server: the seed's rows again, through the store, into empty tables only
      a.sites = await repo.demoCameraSites();
      const empty = [await repo.isEmpty()];
      await store.inTransaction(async () => {
        for (const table of ['cameras', 'video_alert_mappings', 'hotline_category_mappings']) await store.run(`DELETE FROM ${table}`);
      });
      empty.push(await repo.isEmpty());
      a.empty = empty;
      a.filled = [await store.inTransaction(() => fillChannelDemo(repo, catalog, AT)), await store.inTransaction(() => fillChannelDemo(repo, catalog, AT))];
      a.refilled = { cameras: await repo.cameras(), video: await repo.videoMappings(), hotline: await repo.hotlineMappings() };
      await store.inTransaction(async () => {
        await repo.saveCamera({ id: 'CAM9001', name: '测试路口 1 号', location: { lon: 120.5, lat: 30.25 }, microGridId: microGrid }, AT);
        await repo.saveCamera({ id: 'CAM0001', name: '改名的 1 号', location: { lon: 120.75, lat: 30.125 }, microGridId: microGrid }, AT);
      });
      a.camerasAfter = [await repo.camera('CAM9001'), await repo.camera('CAM0001'), (await repo.cameras()).length];

      // the video alert mappings
      a.videoMapping = [await repo.videoMapping('occupy_road'), await repo.videoMapping('no_such_type')];
      await repo.saveVideoMapping({ alertType: 'zz_new', itemCode: 'X01', urgency: 'P1', minConfidence: 0.55, label: '新类型' }, AT);
      await repo.saveVideoMapping({ alertType: 'occupy_road', itemCode: 'X02', urgency: null, minConfidence: 0.8, label: '占道' }, AT);
      a.videoDeleted = [await repo.deleteVideoMapping('zz_new'), await repo.deleteVideoMapping('zz_new'), await repo.deleteVideoMapping('no_such_type')];
      a.videoAfter = [await repo.videoMapping('occupy_road'), await repo.videoMapping('zz_new'), await repo.videoMappings()];

      // the hotline category mappings
      a.hotlineMapping = [await repo.hotlineMapping('城市管理/占道经营'), await repo.hotlineMapping('没有这个分类')];
      await repo.saveHotlineMapping({ categoryText: 'Zz 分类', itemCode: 'X03', urgency: 'P0' }, AT);
      await repo.saveHotlineMapping({ categoryText: '占道经营', itemCode: 'X04', urgency: 'P3' }, AT);
      a.hotlineDeleted = [await repo.deleteHotlineMapping('Zz 分类'), await repo.deleteHotlineMapping('Zz 分类')];
      a.hotlineAfter = [await repo.hotlineMapping('占道经营'), await repo.hotlineMappings()];

      // triage items and receipts: placed in two towns, one not placed
      a.noReceipt = await repo.receipt('hotline', 'HL-1');
      await store.inTransaction(async () => {
        a.inserted = await repo.insertTriage(item('HL-1', townA!));
        a.claimed = await repo.claimReceipt({ channel: 'hotline', channelId: 'HL-1', requestHash: 'h1', eventId: null, triageId: item('HL-1', null).id }, AT);
        await repo.insertTriage(item('HL-2', townB!, { receivedAt: '2026-11-20T00:59:00.000Z' }));
        await repo.saveReceipt({ channel: 'hotline', channelId: 'HL-2', requestHash: 'h2', eventId: null, triageId: item('HL-2', null).id }, AT);
        await repo.insertTriage(item('HL-3', null));
        await repo.insertTriage(item('HL-4', townA!, { receivedAt: AT }));
      });
      a.insertedAgain = await store.inTransaction(() => repo.insertTriage(item('HL-1', townB!, { id: 'TR000000000000FFFF' })));
      a.claimedAgain = await repo.claimReceipt({ channel: 'hotline', channelId: 'HL-1', requestHash: 'other', eventId: caseId, triageId: null }, AT);
      a.receipts = [await repo.receipt('hotline', 'HL-1'), await repo.receipt('hotline', 'HL-2'), await repo.receipt('video', 'HL-1')];
      a.triage = [await repo.triage(item('HL-1', null).id), await repo.triage(item('HL-3', null).id), await repo.triage('TR0000000000000999')];
      const lists = async (status: 'pending' | 'resolved' | 'dismissed') => [
        await repo.triageList(status, null, true, 50),
        await repo.triageList(status, null, false, 50),
        await repo.triageList(status, [townA!], true, 50),
        await repo.triageList(status, [townA!], false, 50),
        await repo.triageList(status, [townA!, townB!], false, 1),
        await repo.triageList(status, [], true, 50),
        await repo.triageList(status, [], false, 50),
      ];
      a.pending = await lists('pending');

      // decided: resolved with a case (its receipt then names it), dismissed, and a second decision refused
      await store.inTransaction(async () => {
        a.resolved = await repo.decideTriage(item('HL-1', null).id, { status: 'resolved', eventId: caseId, reason: null, at: '2026-11-20T02:00:00.000Z', byId: 'U1', byName: '调度员甲' });
        await repo.saveReceipt({ channel: 'hotline', channelId: 'HL-1', requestHash: '', eventId: caseId, triageId: item('HL-1', null).id }, '2026-11-20T02:00:00.000Z');
        a.dismissed = await repo.decideTriage(item('HL-2', null).id, { status: 'dismissed', eventId: null, reason: '重复来电', at: '2026-11-20T02:00:00.000Z', byId: 'U1', byName: '调度员甲' });
        a.dismissed2 = await repo.decideTriage(item('HL-4', null).id, { status: 'dismissed', eventId: null, reason: '测试', at: '2026-11-20T02:00:00.000Z', byId: 'U1', byName: '调度员甲' });
      });
      a.decidedAgain = await repo.decideTriage(item('HL-1', null).id, { status: 'dismissed', eventId: null, reason: 'x', at: AT, byId: 'U2', byName: '乙' });
      a.receiptResolved = await repo.receipt('hotline', 'HL-1');
      a.decided = [await repo.triage(item('HL-1', null).id), ...(await lists('resolved')), ...(await lists('dismissed')), ...(await lists('pending'))];

      // a transaction that rolls back leaves no item and no receipt
      await expect(
        store.inTransaction(async () => {
          await repo.insertTriage(item('HL-5', townA!));
          await repo.claimReceipt({ channel: 'hotline', channelId: 'HL-5', requestHash: 'h5', eventId: null, triageId: item('HL-5', null).id }, AT);
          throw new Error('rolled back');
        }),
        name,
      ).rejects.toThrow('rolled back');
      a.rolledBack = [await repo.triage(item('HL-5', null).id), await repo.receipt('hotline', 'HL-5')];

      // the queue: a report queued, its retry answered with the receipt; then one id twice at once
      const report = { ...item('HL-6', townA!), id: undefined, receivedAt: undefined };
      const first = await queue.queue(report, 'h6', actor);
      const retry = await queue.queue(report, 'h6', actor);
      clock.advance(60_000);
      const race = { ...item('HL-7', townB!), id: undefined, receivedAt: undefined };
      // on PostgreSQL the writers' turn is held meanwhile, so both transactions are open at once: the
      // first waits for the turn with its receipt written, the second on that receipt's row
      const turn = store.dialect === 'postgres' ? await holdWritersTurn(store) : null;
      const racing = Promise.all([queue.queue(race, 'h7', actor), queue.queue(race, 'h7', actor)]);
      if (turn) {
        await waitForLockWaiters(store, 2);
        turn.release();
        await turn.done;
      }
      const both: QueueOutcome[] = await racing;
      const won = both.filter((o): o is Extract<QueueOutcome, { queued: unknown }> => 'queued' in o);
      const lost = both.filter((o): o is Extract<QueueOutcome, { seen: unknown }> => 'seen' in o);
      a.queue = { first, retry };
      a.race = {
        won: won.length,
        lost: lost.length,
        lostSeesWinner: lost[0]?.seen.triageId === won[0]?.queued.triageId,
        items: await store.all("SELECT id, status, town_id FROM triage_items WHERE channel_id = 'HL-7' ORDER BY id"),
        receipt: await repo.receipt('hotline', 'HL-7'),
      };
      a.pushed = pushed;
      a.audit = await store.all('SELECT seq, at, user_id, action, object_type, object_id, result, details FROM audit_log WHERE seq > ? ORDER BY seq', auditSeq);
      a.rows = {
        cameras: await store.all('SELECT * FROM cameras ORDER BY id'),
        video: await store.all('SELECT * FROM video_alert_mappings ORDER BY alert_type'),
        hotline: await store.all('SELECT * FROM hotline_category_mappings ORDER BY category_text'),
        receipts: await store.all('SELECT * FROM channel_receipts ORDER BY channel, channel_id'),
        triage: await store.all('SELECT * FROM triage_items ORDER BY received_at, id'),
      };
      answers.push(normalized(a) as Record<string, unknown>);
    }

    const [lite, postgres] = answers as [Record<string, unknown>, Record<string, unknown>];
    // what the SQLite side did, so that agreeing means something
    expect((lite.cameras as unknown[]).length).toBeGreaterThan(10);
    expect((lite.videoMappings as unknown[]).length).toBeGreaterThan(5);
    expect((lite.sites as unknown[]).length).toBe((lite.cameras as unknown[]).length);
    expect(lite.empty).toEqual([false, true]);
    expect(lite.filled).toEqual([{ cameras: (lite.cameras as unknown[]).length, video: (lite.videoMappings as unknown[]).length, hotline: (lite.hotlineMappings as unknown[]).length }, null]);
    expect(lite.refilled).toEqual({ cameras: lite.cameras, video: lite.videoMappings, hotline: lite.hotlineMappings });
    expect(lite).toMatchObject({
      noReceipt: null,
      inserted: true,
      claimed: true,
      insertedAgain: false,
      claimedAgain: false,
      videoDeleted: [true, false, false],
      hotlineDeleted: [true, false],
      resolved: true,
      dismissed: true,
      decidedAgain: false,
      rolledBack: [null, null],
      queue: { first: { queued: { triageId: 'TR#1', status: 'pending' } }, retry: { seen: { channelId: 'HL-6', requestHash: 'h6', triageId: 'TR#1' } } },
      race: { won: 1, lost: 1, lostSeesWinner: true },
    });
    expect((lite.race as { items: unknown[] }).items).toHaveLength(1);
    expect((lite.pushed as unknown[]).length).toBe(2);
    expect((lite.audit as Array<{ action: string }>).map((r) => r.action)).toEqual(['triage:queue', 'triage:queue']);
    const pending = lite.pending as Array<{ items: Array<{ channelId: string }>; total: number }>;
    expect(pending.map((l) => l.items.map((i) => i.channelId))).toEqual([['HL-2', 'HL-1', 'HL-3', 'HL-4'], ['HL-2', 'HL-1', 'HL-4'], ['HL-1', 'HL-3', 'HL-4'], ['HL-1', 'HL-4'], ['HL-2'], ['HL-3'], []]);
    expect(pending.map((l) => l.total)).toEqual([4, 3, 3, 2, 3, 1, 0]);
    expect(postgres).toEqual(lite);
  });
});
