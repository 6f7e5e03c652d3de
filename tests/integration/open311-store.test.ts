import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../shared/contracts/events.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { PublicRequestsRepo } from '../../server/src/modules/open311/public-requests.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The public requests' reads answer the same on both dialects. A seeded county on SQLite, where a
 * third of the cases become residents' reports (source citizen_app), one of them merged into
 * another, and tracking tokens are recorded through the repository's own insert,
 * some with an Open311 client's data; copied to PostgreSQL with copySqliteToPostgres. Then every
 * read is called on both: tokens and cases known and unknown, the public list over windows of the
 * seed's days with items and states (a merged case in its master's state) and limits, and the
 * cases changed in a window. Every answer must be equal, in the same order, and not all empty.
 */

/** The closed states as Open311's `status=closed` reads them (open311.service.ts). */
const CLOSED_STATUSES = ['closed', 'rejected', 'void', 'not_admitted'];

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

let db: Db;
let lite: PublicRequestsRepo;
let post: PublicRequestsRepo;
let citizen: string[];

const WINDOWS: Array<[string, string]> = [
  ['2026-11-17T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
  ['2026-11-18T00:00:00.000Z', '2026-11-18T12:00:00.000Z'],
  ['2026-11-18T08:15:00.000Z', '2026-11-19T15:35:13.000Z'],
  ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
];

beforeAll(async () => {
  db = openDatabase(`${tempDir()}/open311.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);
  const ids = (db.prepare('SELECT id FROM events ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
  citizen = ids.filter((_, i) => i % 3 === 0);
  db.prepare(`UPDATE events SET source = 'citizen_app' WHERE id IN (${citizen.map(() => '?').join(',')})`).run(...citizen);
  db.prepare("UPDATE events SET status = 'merged', master_id = ? WHERE id = ?").run(citizen[1]!, citizen[2]!);
  const sqliteStore = Store.onSqlite(db);
  lite = new PublicRequestsRepo(sqliteStore);
  const inserts = citizen.slice(0, 12).map((eventId, i) => () =>
    lite.insert({
      token: `tok${String(i).padStart(2, '0')}${'x'.repeat(27)}`,
      eventId,
      channel: i % 2 === 0 ? 'open311' : 'resident',
      apiKeyId: null,
      clientData: i % 3 === 0 ? { media_url: `https://example.org/p/${i}.jpg`, account_id: `acc-${i}`, attributes: { 楼层: i } } : {},
      createdAt: `2026-11-18T0${i % 10}:00:00.000Z`,
    }),
  );
  await sqliteStore.inTransaction(async () => {
    for (const insert of inserts) await insert();
  });
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  await copySqliteToPostgres(db, store);
  post = new PublicRequestsRepo(store);
});

describe('PublicRequestsRepo on SQLite and PostgreSQL', () => {
  it('reads the same tokens, cases and client data', async () => {
    const tokens = (db.prepare('SELECT token FROM public_requests ORDER BY token').all() as Array<{ token: string }>).map((r) => r.token);
    expect(tokens.length).toBe(12);
    let found = 0;
    for (const token of [...tokens, 'unknown-token']) {
      const a = await lite.byToken(token);
      expect(await post.byToken(token), `byToken ${token}`).toEqual(a);
      if (a) found++;
    }
    for (const id of [...citizen, 'EV209901010001']) {
      const a = await lite.byEvent(id);
      expect(await post.byEvent(id), `byEvent ${id}`).toEqual(a);
      const c = await lite.clientData(id);
      expect(await post.clientData(id), `clientData ${id}`).toEqual(c);
      if (a) found++;
      if (c && 'media_url' in c) found++;
    }
    expect(found).toBe(12 + 12 + 4);
  });

  it('lists the same residents\' reports, newest first, by window, item, state and limit', async () => {
    const items = (db.prepare(`SELECT DISTINCT item_code AS c FROM events WHERE id IN (${citizen.map(() => '?').join(',')}) ORDER BY c`).all(...citizen) as Array<{ c: string }>).map((r) => r.c);
    let found = 0;
    for (const [from, to] of WINDOWS) {
      for (const itemCodes of [null, items.slice(0, 3), ['ZZZ']]) {
        for (const statuses of [null, OPEN_STATUSES, CLOSED_STATUSES]) {
          for (const limit of [1, 4, 1000]) {
            const q = { from, to, itemCodes, statuses, limit };
            const a = await lite.citizenReportIds(q);
            expect(await post.citizenReportIds(q), `citizenReportIds ${JSON.stringify(q)}`).toEqual(a);
            found += a.length;
          }
        }
      }
    }
    expect(found).toBeGreaterThan(50);
  });

  it('finds the same reports changed in a window, oldest change first', async () => {
    let found = 0;
    for (const [from, to] of WINDOWS) {
      for (const limit of [1, 5, 1000]) {
        const a = await lite.citizenReportsChangedBetween(from, to, limit);
        expect(await post.citizenReportsChangedBetween(from, to, limit), `changed ${from} ${to} ${limit}`).toEqual(a);
        found += a.length;
      }
    }
    expect(found).toBeGreaterThan(10);
  });

  it('stores a new token the same, its client data read back alike, and refuses a token given twice', async () => {
    const row = { token: `new${'y'.repeat(29)}`, eventId: citizen.at(-1)!, channel: 'open311' as const, apiKeyId: null, clientData: { account_id: '张三', attributes: { 楼层: 3 } }, createdAt: '2026-11-19T08:00:00.000Z' };
    for (const repo of [lite, post]) await repo.insert(row);
    expect(await post.byToken(row.token)).toEqual(await lite.byToken(row.token));
    expect(await post.clientData(row.eventId)).toEqual(await lite.clientData(row.eventId));
    for (const repo of [lite, post]) await expect(repo.insert(row)).rejects.toThrow();
  });
});
