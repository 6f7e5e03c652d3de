import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES, type EventListQuery } from '../../shared/contracts/events.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { EventsRepo, type EventPatch, type NewAssignment, type NewEventRow, type NewTimelineEntry } from '../../server/src/modules/events/events.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';

/**
 * The events repository answers and writes the same on both dialects. A seeded county on SQLite,
 * given what its history lacks (two cases merged into a master, duplicate candidates, an extension
 * request, a refusal, a case forwarded from a county's server), is copied to PostgreSQL with
 * copySqliteToPostgres. Then every read runs on both with the same arguments (get with its merged
 * ids, assignment and forwarding subqueries, people, list with every filter, page and scope, the
 * timeline, deadlines due, the duplicates' prefilter, the change feed, idempotency keys, a city's
 * assignments), and the same writes run on both inside store.inTransaction (case ids of a day,
 * intake, changes, patches that set and clear, assignments and their outcome, idempotency keys):
 * answers and rows must agree, json columns compared parsed (PostgreSQL's json functions space
 * their text differently). A transaction that throws leaves nothing behind on either; on
 * PostgreSQL, transactions appending changes at once still get consecutive seqs without gaps.
 * importHistory (the seeder's, synchronous and SQLite-only) is not tested here.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

interface Side {
  name: 'sqlite' | 'postgres';
  store: Store;
  repo: EventsRepo;
}

type Row = Record<string, unknown>;

/** Columns holding JSON text (json on PostgreSQL; the change snapshot is text on both). */
const JSON_COLUMNS = new Set(['extension_request', 'refusal', 'duplicate_candidates', 'snapshot', 'position', 'attachments', 'details', 'outcome']);
const parsed = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, JSON_COLUMNS.has(k) && typeof v === 'string' ? (JSON.parse(v) as unknown) : v]));
const rows = async (s: Side, sqlText: string, ...args: unknown[]) => (await s.store.all<Row>(sqlText, ...args)).map(parsed);

/** The seed's history ends at 2026-11-20 00:00 China time (2026-11-19 16:00 UTC); the test's writes come after. */
const AT = (minutes: number) => new Date(Date.parse('2026-11-19T16:00:00.000Z') + minutes * 60_000).toISOString();
const COUNTY = '330899';

let db: Db;
let sides: [Side, Side];
/** Cases picked from the seed (and given what it lacks) before the copy. */
let cases: {
  open: string[];
  closed: string[];
  master: string;
  merged: string[];
  duplicate: string;
  extended: string;
  rejected: string;
  forwarded: string;
  longest: string;
  towns: string[];
  team: string;
  item: string;
};
let compared = 0;

/** Runs `fn` on SQLite, then on PostgreSQL, and expects the same answer; returns SQLite's. */
async function same<T>(what: string, fn: (s: Side) => Promise<T>): Promise<T> {
  const a = await fn(sides[0]);
  const b = await fn(sides[1]);
  expect(b, what).toEqual(a);
  compared += 1;
  return a;
}

const ids = (sqlText: string, ...args: unknown[]) => (db.prepare(sqlText).all(...args) as Array<{ id: string }>).map((r) => r.id);
const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

beforeAll(async () => {
  db = openDatabase(`${tempDir()}/events.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);

  const open = ids(`SELECT id FROM events WHERE status IN (${OPEN_LIST}) AND step IS NOT NULL AND deadline_at IS NOT NULL ORDER BY id`);
  const closed = ids("SELECT id FROM events WHERE status = 'closed' ORDER BY id");
  expect(open.length, 'open cases with a deadline in the seed').toBeGreaterThan(8);
  expect(closed.length, 'closed cases in the seed').toBeGreaterThan(6);
  // the open case whose deadline comes second: forwarded from a county, so the deadline monitor leaves it alone (the first stays due)
  const forwarded = ids(`SELECT id FROM events WHERE id IN (${open.map(() => '?').join(',')}) AND deadline_state = 'ok' ORDER BY deadline_at, id LIMIT 1 OFFSET 1`, ...open)[0]!;
  const rest = open.filter((id) => id !== forwarded);
  const master = rest[1]!;
  // two closed cases merged into an open master: one of each seeded day, the later day's first (mergedIds go by id order)
  const merged = [closed.at(-1)!, closed[1]!];
  const duplicate = rest[2]!;
  const extended = rest[3]!;
  const rejected = closed[0]!;
  const masterStatus = (db.prepare('SELECT status FROM events WHERE id = ?').get(master) as { status: string }).status;
  for (const id of merged) db.prepare("UPDATE events SET status = 'merged', master_id = ?, master_status = ? WHERE id = ?").run(master, masterStatus, id);
  db.prepare('UPDATE events SET duplicate_candidates = ? WHERE id = ?').run(JSON.stringify([master, merged[1]]), duplicate);
  db.prepare('UPDATE events SET extension_request = ?, extension_requester = ? WHERE id = ?').run(
    JSON.stringify({ requestedAt: AT(-30), by: '张三', reason: '等待配件', limit: { value: 2, unit: 'work_days' } }),
    'seeded-user',
    extended,
  );
  db.prepare("UPDATE events SET status = 'rejected', refusal = ? WHERE id = ?").run(JSON.stringify({ reason: '不属于本县管辖', receivingBody: '市水务局' }), rejected);
  db.prepare('INSERT INTO forward_sources (source_id, last_seq, updated_at) VALUES (?, ?, ?)').run(COUNTY, 17, AT(-60));
  db.prepare('INSERT INTO forwarded_events (source_id, source_event_id, event_id) VALUES (?, ?, ?)').run(COUNTY, 'EV202611010007', forwarded);

  const longest = (db.prepare('SELECT event_id AS id FROM event_actions GROUP BY event_id ORDER BY COUNT(*) DESC, event_id LIMIT 1').get() as { id: string }).id;
  const towns = ids("SELECT id FROM regions WHERE level = 'town' ORDER BY id");
  const team = (db.prepare('SELECT team_id AS id FROM events WHERE team_id IS NOT NULL GROUP BY team_id ORDER BY COUNT(*) DESC, team_id LIMIT 1').get() as { id: string }).id;
  const item = (db.prepare(`SELECT item_code AS id FROM events WHERE status IN (${OPEN_LIST}) GROUP BY item_code ORDER BY COUNT(*) DESC, item_code LIMIT 1`).get() as { id: string }).id;
  cases = { open, closed, master, merged, duplicate, extended, rejected, forwarded, longest, towns, team, item };

  const post = await postgresCopy(pg.cluster, db, later);
  const lite = Store.onSqlite(db);
  sides = [
    { name: 'sqlite', store: lite, repo: new EventsRepo(lite) },
    { name: 'postgres', store: post, repo: new EventsRepo(post) },
  ];
});

describe('EventsRepo on SQLite and PostgreSQL', () => {
  it('reads the same cases, lists, timelines, deadlines, duplicates and changes', async () => {
    const c = cases;
    // get: open, closed, rejected with its refusal, a master with its merged cases, merged ones, duplicate candidates, an extension request, a forwarded case, missing
    for (const id of [c.open[0]!, c.closed[2]!, c.rejected, c.master, ...c.merged, c.duplicate, c.extended, c.forwarded, 'EV209901010001']) {
      await same(`get ${id}`, (s) => s.repo.get(id));
    }
    const master = await same('get master', (s) => s.repo.get(c.master));
    expect(master?.mergedIds, 'a master lists its merged cases in id order').toEqual([c.merged[1], c.merged[0]]);
    expect((await sides[1].repo.get(c.duplicate))?.duplicateCandidates).toEqual([c.master, c.merged[1]]);
    expect((await sides[1].repo.get(c.extended))?.extensionRequest?.limit).toEqual({ value: 2, unit: 'work_days' });
    expect((await sides[1].repo.get(c.rejected))?.refusal?.receivingBody).toBe('市水务局');
    expect((await sides[1].repo.get(c.forwarded))?.forwardedFrom).toEqual({ county: COUNTY, eventId: 'EV202611010007' });
    expect(await sides[1].repo.get('EV209901010001')).toBeNull();

    for (const id of [c.open[0]!, c.closed[2]!, c.extended, 'EV209901010001']) await same(`people ${id}`, (s) => s.repo.people(id));

    const lastSeq = await same('lastSeq', (s) => s.repo.lastSeq());
    expect(lastSeq).toBeGreaterThan(100);

    // list: filters, periods, pages, scopes
    const queries = [
      { page: 1, pageSize: 100 },
      { page: 1, pageSize: 10, status: ['closed'] },
      { page: 1, pageSize: 100, status: ['in_progress', 'accepted', 'merged', 'rejected'] },
      { page: 1, pageSize: 100, town: c.towns[1]! },
      { page: 1, pageSize: 100, item: c.item },
      { page: 1, pageSize: 100, team: c.team },
      { page: 1, pageSize: 100, from: '2026-11-18', to: '2026-11-18' },
      { page: 1, pageSize: 100, from: '2026-11-18T08:15:00.000Z', to: '2026-11-19T00:00:00+08:00' },
      { page: 1, pageSize: 100, since: '2026-11-19T12:00:00+08:00' },
      { page: 2, pageSize: 7 },
      { page: 9, pageSize: 7 },
      { page: 1, pageSize: 100, status: [...OPEN_STATUSES], town: c.towns[0]!, from: '2026-11-19' },
      { page: 1, pageSize: 100, item: 'ZZZ' },
    ] as EventListQuery[];
    const scopes: Array<[string, string[] | null]> = [
      ['county', null],
      ['no town', []],
      ['one town', [c.towns[0]!]],
      ['every town', c.towns],
    ];
    let listed = 0;
    for (const [name, towns] of scopes) {
      for (const q of queries) {
        const r = await same(`list ${name} ${JSON.stringify(q)}`, (s) => s.repo.list(q, towns));
        listed += r.items.length;
      }
    }
    expect(listed).toBeGreaterThan(200);
    const all = await same('list default scope', (s) => s.repo.list({ page: 1, pageSize: 1000 } as EventListQuery));
    expect(all.total).toBe(all.items.length);

    const timeline = await same(`timeline ${c.longest}`, (s) => s.repo.timeline(c.longest));
    expect(timeline.length).toBeGreaterThan(5);
    await same('timeline of a merged case', (s) => s.repo.timeline(c.merged[0]!));
    await same('timeline of a missing case', (s) => s.repo.timeline('EV209901010001'));

    // deadlines: just after the history ends, and days later (the forwarded case is never due here)
    const soon = await same('deadlinesDue soon', (s) => s.repo.deadlinesDue(AT(30)));
    const days = await same('deadlinesDue later', (s) => s.repo.deadlinesDue('2026-11-26T00:00:00.000Z'));
    await same('deadlinesDue later, limit 3', (s) => s.repo.deadlinesDue('2026-11-26T00:00:00.000Z', 3));
    await same('deadlinesDue before the history', (s) => s.repo.deadlinesDue('2026-11-01T00:00:00.000Z'));
    expect(soon.length).toBeGreaterThan(0);
    expect(days.length).toBeGreaterThan(soon.length);
    expect(days.map((d) => d.id)).not.toContain(c.forwarded);

    // the duplicates' prefilter around real open cases
    // (the open cases of the item most open cases have, and a few others; radii up to the whole county)
    const ofItem = ids(`SELECT id FROM events WHERE item_code = ? AND status IN (${OPEN_LIST}) ORDER BY id`, c.item);
    expect(ofItem.length, `open cases of ${c.item}`).toBeGreaterThan(2);
    let near = 0;
    let most = 0;
    for (const id of [...ofItem, ...c.open.slice(0, 4)]) {
      const e = (await sides[0].repo.get(id))!;
      for (const radiusMeters of [50, 3000, 30_000]) {
        const probe = { lon: e.location.lon, lat: e.location.lat, radiusMeters, addressCode: e.addressCode, microGridId: e.microGridId };
        const found = await same(`openOfItemSince ${id} ${radiusMeters} m`, (s) => s.repo.openOfItemSince(e.itemCode, '2026-11-17T00:00:00.000Z', probe));
        near += found.length;
        most = Math.max(most, found.length);
        await same(`openOfItemSince ${id} ${radiusMeters} m later`, (s) => s.repo.openOfItemSince(e.itemCode, '2026-11-19T12:00:00.000Z', probe));
      }
    }
    expect(near).toBeGreaterThan(3 * (ofItem.length + 4));
    expect(most, 'a probe with several open cases near').toBe(ofItem.length);

    await same('mergedInto master', (s) => s.repo.mergedInto(c.master));
    await same('mergedInto a case with none', (s) => s.repo.mergedInto(c.open[0]!));

    // the change feed near its end
    for (const [after, limit] of [[lastSeq - 5, 3], [lastSeq - 5, 100], [lastSeq, 10], [0, 2]] as const) {
      const changes = await same(`changesAfter ${after} ${limit}`, (s) => s.repo.changesAfter(after, limit));
      expect(changes.length).toBe(Math.min(limit, lastSeq - after));
      await same(`countChangesAfter ${after}`, (s) => s.repo.countChangesAfter(after));
    }
    expect(await sides[1].repo.countChangesAfter(lastSeq - 5)).toBe(5);

    await same('idempotencyKey missing', (s) => s.store.inTransaction(() => s.repo.idempotencyKey('no-such-key')));
    await same('assignments none yet', (s) => s.repo.assignments({ state: 'all', page: 1, pageSize: 10 }, null));
    expect(compared).toBeGreaterThan(100);
  });

  it("writes a city's assignments and reports their outcome the same", async () => {
    const c = cases;
    const open = c.open[4]!;
    const closed = c.closed[3]!;
    const assignments: NewAssignment[] = [
      { eventId: open, byRegionId: COUNTY, byRegionName: 'T县', countyId: COUNTY, byUserId: null, byUserName: 'T县社会治理中心', at: AT(1), dueAt: AT(3 * 24 * 60), note: '请核实情况，按时办结并反馈结果。' },
      {
        eventId: closed,
        byRegionId: c.towns[0]!,
        byRegionName: '城北街道',
        countyId: COUNTY,
        byUserId: 'builtin-public-reports',
        byUserName: '演示',
        at: AT(2),
        dueAt: AT(60),
        note: null,
        reported: { at: AT(3), outcome: { status: 'rejected', text: '不属于本县', receivingBody: '市水务局' } },
      },
    ];
    await same('insertAssignment', (s) => s.store.inTransaction(async () => {
      for (const a of assignments) await s.repo.insertAssignment(a);
    }));
    const got = await same('get an assigned case', (s) => s.repo.get(open));
    expect(got?.assignment).toMatchObject({ byRegionId: COUNTY, reportedAt: null, outcome: null });
    const reported = await same('get an assigned case with its outcome', (s) => s.repo.get(closed));
    expect(reported?.assignment?.outcome).toEqual({ status: 'rejected', text: '不属于本县', receivingBody: '市水务局' });

    const listAssignments = async (what: string) => {
      for (const state of ['open', 'reported', 'all'] as const) {
        for (const byRegions of [null, [COUNTY], [c.towns[0]!], []]) {
          await same(`${what}: assignments ${state} ${JSON.stringify(byRegions)}`, (s) => s.repo.assignments({ state, page: 1, pageSize: 10 }, byRegions));
        }
      }
      await same(`${what}: assignments page 2`, (s) => s.repo.assignments({ state: 'all', page: 2, pageSize: 1 }, null));
    };
    await listAssignments('before the outcome');
    const outcome = { status: 'closed' as const, text: '已清理完毕' };
    const first = await same('reportAssignment', (s) => s.store.inTransaction(() => s.repo.reportAssignment(open, AT(4), outcome)));
    expect(first).toBe(true);
    await same('reportAssignment again', (s) => s.store.inTransaction(() => s.repo.reportAssignment(open, AT(5), { status: 'void', text: null })));
    await same('reportAssignment of a reported one', (s) => s.store.inTransaction(() => s.repo.reportAssignment(closed, AT(5), outcome)));
    expect(await sides[1].store.inTransaction(() => sides[1].repo.reportAssignment(c.open[5]!, AT(5), outcome)), 'a case without an assignment').toBe(false);
    await same('reportAssignment of an unassigned case', (s) => s.store.inTransaction(() => s.repo.reportAssignment(c.open[5]!, AT(5), outcome)));
    const after = await same('get after the outcome', (s) => s.repo.get(open));
    expect(after?.assignment).toMatchObject({ reportedAt: AT(4), outcome });
    await listAssignments('after the outcome');
    await same('event_assignments rows', (s) => rows(s, 'SELECT * FROM event_assignments ORDER BY event_id'));
  });

  it('writes a new case, its changes and patches the same', async () => {
    const c = cases;
    const template = (await sides[0].repo.get(c.open[0]!))!;
    const lastSeq = await same('lastSeq before', (s) => s.repo.lastSeq());

    const intakeEntry: NewTimelineEntry = {
      action: 'intake',
      from: null,
      to: 'reported',
      actor: { userId: 'u-intake', username: 'intake', displayName: '受理员', role: 'dispatcher' },
      teamId: null,
      auto: false,
      note: '群众来电',
      position: { lon: template.location.lon, lat: template.location.lat, accuracy: 12 },
      attachments: [{ id: 'att-1', name: '现场.jpg' }],
      details: { channel: 'hotline', madeAt: AT(9), nested: { a: [1, 2, { b: null }] } },
    };
    const intake = await same('intake transaction', (s) =>
      s.store.inTransaction(async () => {
        const id = await s.repo.nextId('20261120');
        const spare = await s.repo.nextId('20261120');
        const onSeededDay = await s.repo.nextId('20261119');
        const row: NewEventRow = {
          id,
          itemCode: template.itemCode,
          itemName: template.itemName,
          category: template.category,
          catalogVersion: template.catalogVersion,
          description: '路灯不亮，夜间通行不便',
          source: 'hotline_12345',
          urgency: 'P2',
          status: 'reported',
          lon: template.location.lon,
          lat: template.location.lat,
          addressCode: template.addressCode,
          address: template.address,
          microGridId: template.microGridId,
          gridId: template.gridId,
          villageId: template.villageId,
          townId: template.townId,
          reporterName: '李四',
          reporterPhone: '13800000000',
          reporterUserId: null,
          at: AT(10),
          step: 'file',
          stepStartedAt: AT(10),
          warnAt: AT(40),
          deadlineAt: AT(70),
          dueAt: AT(3 * 24 * 60),
          refusal: null,
          duplicateCandidates: [c.open[0]!, c.master],
        };
        await s.repo.insert(row);
        const change = await s.repo.appendChange(id, 'intake', AT(10), intakeEntry);
        await s.repo.saveIdempotencyKey('idem-events-store-1', 'hash-1', id, AT(10));
        return { id, spare, onSeededDay, change };
      }),
    );
    expect(intake.id).toBe('EV202611200001');
    expect(intake.spare).toBe('EV202611200002');
    expect(intake.onSeededDay).toBe('EV202611190032');
    expect(intake.change.seq).toBe(lastSeq + 1);
    const id = intake.id;

    await same('idempotencyKey present', (s) => s.store.inTransaction(() => s.repo.idempotencyKey('idem-events-store-1')));
    await same('idempotencyKey still missing', (s) => s.store.inTransaction(() => s.repo.idempotencyKey('idem-events-store-2')));

    // a patch that sets every kind of field, then a change
    const patch: EventPatch = {
      status: 'in_progress',
      step: 'handle',
      stepStartedAt: AT(20),
      warnAt: AT(50),
      deadlineAt: AT(80),
      deadlineState: 'warning',
      filedAt: AT(12),
      dispatchedAt: AT(15),
      teamId: c.team,
      autoDispatched: true,
      selfHandled: false,
      supervised: true,
      handlerUserId: 'u-handler',
      reworkCount: 1,
      extensionCount: 2,
      extensionRequest: { requestedAt: AT(19), by: '王五', reason: '雨天', limit: { value: 90, unit: 'minutes' } },
      extensionRequester: 'u-handler',
      refusal: { reason: '试', receivingBody: '试' },
      result: '处理中',
    };
    const changed = await same('patch and change', (s) =>
      s.store.inTransaction(async () => {
        await s.repo.update(id, patch, AT(20));
        return s.repo.appendChange(id, 'action', AT(20), {
          action: 'dispatch',
          from: 'reported',
          to: 'in_progress',
          actor: null,
          teamId: c.team,
          auto: true,
          note: null,
          position: null,
          attachments: [],
          details: { teamId: c.team, override: { reason: '就近', ineligible: [] } },
        });
      }),
    );
    expect(changed.seq).toBe(lastSeq + 2);
    expect(changed.event).toMatchObject({ status: 'in_progress', autoDispatched: true, supervised: true, selfHandled: false, teamId: c.team, seq: lastSeq + 2 });

    // a patch that clears with null and leaves undefined fields alone
    const clearing: EventPatch = {
      status: 'handled',
      step: null,
      warnAt: null,
      deadlineAt: null,
      deadlineState: 'ok',
      autoDispatched: false,
      supervised: false,
      selfHandled: true,
      extensionRequest: null,
      extensionRequester: null,
      refusal: null,
      teamId: null,
      result: undefined,
      handledAt: AT(30),
    };
    const cleared = await same('clearing patch and change', (s) =>
      s.store.inTransaction(async () => {
        await s.repo.update(id, clearing, AT(30));
        return s.repo.appendChange(id, 'action', AT(30), { action: 'report', from: 'in_progress', to: 'handled', actor: null, teamId: null, auto: false, note: '已修复', position: null, attachments: [], details: {} });
      }),
    );
    expect(cleared.seq).toBe(lastSeq + 3);
    expect(cleared.event).toMatchObject({ step: null, extensionRequest: null, refusal: null, teamId: null, teamName: null, result: '处理中', autoDispatched: false, selfHandled: true });

    const record = await same('get the new case', (s) => s.repo.get(id));
    expect(record?.duplicateCandidates).toEqual([c.open[0]!, c.master]);
    await same('people of the new case', (s) => s.repo.people(id));
    const timeline = await same('timeline of the new case', (s) => s.repo.timeline(id));
    expect(timeline.map((e) => e.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3]);
    const feed = await same('changesAfter the writes', (s) => s.repo.changesAfter(lastSeq, 10));
    expect(feed.map((f) => [f.seq, f.eventId])).toEqual([[lastSeq + 1, id], [lastSeq + 2, id], [lastSeq + 3, id]]);
    await same('countChangesAfter the writes', (s) => s.repo.countChangesAfter(lastSeq));
    await same('lastSeq after', (s) => s.repo.lastSeq());
    await same('list with the new case', (s) => s.repo.list({ page: 1, pageSize: 5, status: ['handled'] } as EventListQuery));
    await same('openOfItemSince after the writes', (s) =>
      s.repo.openOfItemSince(template.itemCode, '2026-11-17T00:00:00.000Z', { lon: template.location.lon, lat: template.location.lat, radiusMeters: 500, addressCode: template.addressCode, microGridId: template.microGridId }),
    );

    // the rows themselves
    await same('events row', (s) => rows(s, 'SELECT * FROM events WHERE id = ?', id));
    await same('event_changes rows', (s) => rows(s, 'SELECT * FROM event_changes WHERE event_id = ? ORDER BY seq', id));
    await same('event_actions rows', (s) => rows(s, 'SELECT * FROM event_actions WHERE event_id = ? ORDER BY seq', id));
    await same('event_id_counters rows', (s) => rows(s, 'SELECT * FROM event_id_counters ORDER BY day'));
    await same('idempotency_keys rows', (s) => rows(s, 'SELECT * FROM idempotency_keys ORDER BY key'));
    // and the whole of the tables the repository writes
    await same('all events rows', (s) => rows(s, 'SELECT * FROM events ORDER BY id'));
    await same('all event_changes rows', (s) => rows(s, 'SELECT * FROM event_changes ORDER BY seq'));
    await same('all event_actions rows', (s) => rows(s, 'SELECT * FROM event_actions ORDER BY seq'));
  });

  it('leaves nothing behind when a transaction throws', async () => {
    const c = cases;
    const id = c.open[6]!;
    const state = (s: Side) =>
      Promise.all([
        s.repo.lastSeq(),
        rows(s, 'SELECT * FROM events WHERE id IN (?, ?) ORDER BY id', id, c.open[0]!),
        rows(s, 'SELECT * FROM event_changes WHERE seq > ? ORDER BY seq', 300),
        rows(s, 'SELECT * FROM event_actions WHERE seq > ? ORDER BY seq', 300),
        rows(s, 'SELECT * FROM event_id_counters ORDER BY day'),
        rows(s, 'SELECT * FROM idempotency_keys ORDER BY key'),
      ]);
    const before = await same('state before', state);
    const failed = await same('a transaction that throws', async (s) => {
      const err = await s.store
        .inTransaction(async () => {
          const change = await s.repo.appendChange(id, 'action', AT(40), { action: 'verify', from: 'handled', to: 'verified', actor: null, teamId: null, auto: false, note: null, position: null, attachments: [], details: {} });
          await s.repo.update(c.open[0]!, { status: 'closed', supervised: true }, AT(40));
          await s.repo.nextId('20261120');
          await s.repo.saveIdempotencyKey('idem-rolled-back', 'hash', id, AT(40));
          expect(change.seq).toBe(before[0] + 1);
          throw new Error(`rolled back at seq ${change.seq}`);
        })
        .catch((e: unknown) => e as Error);
      return err.message;
    });
    expect(failed).toBe(`rolled back at seq ${before[0] + 1}`);
    for (const s of sides) expect(await state(s), `${s.name} after the rollback`).toEqual(before);
    await same('idempotencyKey rolled back', (s) => s.store.inTransaction(() => s.repo.idempotencyKey('idem-rolled-back')));
    expect(await sides[1].store.inTransaction(() => sides[1].repo.idempotencyKey('idem-rolled-back'))).toBeNull();
  });

  it('gives transactions appending at once on PostgreSQL consecutive seqs without gaps', async () => {
    const [, post] = sides;
    const c = cases;
    const entry = (note: string): NewTimelineEntry => ({ action: 'supervise', from: 'handled', to: 'handled', actor: null, teamId: null, auto: false, note, position: null, attachments: [], details: {} });
    const rounds: string[][] = [
      [c.open[7]!, c.open[0]!],
      [c.open[1]!, c.open[1]!],
      [c.open[2]!, c.open[3]!, c.open[4]!, c.open[7]!],
    ];
    let at = 50;
    for (const round of rounds) {
      const base = await post.repo.lastSeq();
      const appended = await Promise.all(
        round.map((eventId, i) =>
          post.store.inTransaction(async () => {
            // a read first, so the transactions are all open before any appends
            const before = await post.repo.get(eventId);
            expect(before).not.toBeNull();
            return post.repo.appendChange(eventId, 'action', AT(at + i), entry(`round of ${round.length}, unit ${i}`));
          }),
        ),
      );
      at += 10;
      const seqs = appended.map((a) => a.seq).sort((x, y) => x - y);
      const expected = round.map((_, i) => base + i + 1);
      expect(seqs, `seqs of a round of ${round.length}`).toEqual(expected);
      expect(await post.repo.lastSeq()).toBe(base + round.length);
      expect(await post.repo.countChangesAfter(base)).toBe(round.length);
      const feed = await post.repo.changesAfter(base, 100);
      expect(feed.map((f) => f.seq)).toEqual(expected);
      const actions = await rows(post, 'SELECT seq, event_id FROM event_actions WHERE seq > ? ORDER BY seq', base);
      expect(actions).toEqual(feed.map((f) => ({ seq: f.seq, event_id: f.eventId })));
      // each case carries the seq of its last change
      for (const eventId of new Set(round)) {
        const last = feed.filter((f) => f.eventId === eventId).at(-1)!;
        expect((await post.repo.get(eventId))?.seq, `seq of ${eventId}`).toBe(last.seq);
        expect(last.event.seq).toBe(last.seq);
      }
    }
  });
});

