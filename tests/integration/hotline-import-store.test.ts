import { beforeAll, describe, expect, it } from 'vitest';
import type { HotlineImportFile, HotlineImportRow, HotlineImportTotals } from '../../shared/contracts/hotline-import.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { HotlineImportRepo } from '../../server/src/modules/hotline-import/hotline-import.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The hotline imports' history answers the same on both dialects. A seeded county on SQLite with
 * imports recorded through the repository (finished ones of two users, a dry run, one left
 * running), copied to PostgreSQL; then the same new imports started and finished on both (the
 * identity column on PostgreSQL must give the ids SQLite gives), and every import read back, one
 * by one and as lists (everyone's and one user's, limits), with a running import this process
 * does not hold shown as interrupted. Every answer must be equal.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

let db: Db;
let lite: HotlineImportRepo;
let post: HotlineImportRepo;

const FILE: HotlineImportFile = { name: '工单.csv', bytes: 1234, format: 'csv', encoding: 'utf-8', headerRow: 1, columns: [{ header: '工单编号', field: 'caseNumber' }], ignored: ['备注'] };
const totals = (rows: number, accepted: number): HotlineImportTotals => ({ rows, accepted, not_admitted: 0, triaged: 0, duplicate_of_earlier_import: 0, invalid: rows - accepted, written: accepted });
const rowsOf = (n: number): HotlineImportRow[] =>
  Array.from({ length: n }, (_, i) => ({ row: i + 2, caseNumber: `GD2026120200${i}`, outcome: i === 0 ? 'invalid' : 'accepted', written: i !== 0 }) as HotlineImportRow);

async function record(repo: HotlineImportRepo, i: number, finish: boolean): Promise<string> {
  const at = `2026-12-02T0${i}:00:00.000Z`;
  const id = await repo.start({ mode: i % 2 ? 'file' : 'row', dryRun: i % 3 === 0, file: { ...FILE, name: `工单-${i}.csv` }, userId: i % 2 ? 'u-dispatcher' : 'u-duty', displayName: `用户${i}`, at, totals: totals(i + 1, 0) });
  if (finish) await repo.finish(id, { status: i % 3 === 0 ? 'preview' : 'written', at: `2026-12-02T0${i}:30:00.000Z`, totals: totals(i + 1, i), rows: rowsOf(i + 1) });
  return id;
}

beforeAll(async () => {
  db = openDatabase(`${tempDir()}/hotline-import.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);
  lite = new HotlineImportRepo(Store.onSqlite(db));
  for (let i = 0; i < 5; i++) await record(lite, i, i !== 4);
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  await copySqliteToPostgres(db, store);
  post = new HotlineImportRepo(store);
});

describe('HotlineImportRepo on SQLite and PostgreSQL', () => {
  it('gives the same ids to new imports and reads every import the same, one by one and listed', async () => {
    const made: string[] = [];
    for (let i = 5; i < 8; i++) {
      const a = await record(lite, i, i !== 7);
      expect(await record(post, i, i !== 7), `start ${i}`).toBe(a);
      made.push(a);
    }
    expect(made).toEqual(['HI6', 'HI7', 'HI8']);
    let found = 0;
    for (const active of [new Set<string>(), new Set(['HI5', 'HI8'])]) {
      for (let n = 1; n <= 9; n++) {
        const a = await lite.get(`HI${n}`, active);
        expect(await post.get(`HI${n}`, active), `get HI${n}`).toEqual(a);
        if (a) found++;
      }
      for (const user of [null, 'u-dispatcher', 'u-duty', 'nobody']) {
        for (const limit of [1, 3, 100]) {
          const a = await lite.list(user, limit, active);
          expect(await post.list(user, limit, active), `list ${user} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(40);
    expect((await post.get('HI5', new Set()))?.status).toBe('interrupted');
    expect((await post.get('HI5', new Set(['HI5'])))?.status).toBe('running');
    expect((await post.get('HI2', new Set()))?.rows).toHaveLength(2);
  });
});
