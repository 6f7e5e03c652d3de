import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { SearchRepo } from '../../server/src/modules/search/search.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The search box's repository answers the same on both dialects: a seeded county on SQLite,
 * copied to PostgreSQL with copySqliteToPostgres, and every SearchRepo method called on both with
 * the arguments the search box passes: Chinese text of one, two, three and more characters, an
 * address's ASCII letter in either case (SQLite's LIKE folds ASCII; PostgreSQL's does not, so the
 * repository folds it there), LIKE's own wildcards as text, no match; whole phones, their last
 * digits and a separator-written landline; case ids in and out of scope; item codes; the county,
 * no town, one town and two towns; limits of one, a few and all. Every answer must be equal, row
 * for row and in the same order, and the answers as a whole must not be empty.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

let db: Db;
let lite: SearchRepo;
let post: SearchRepo;
let scopes: Array<[string, string[] | null]>;
let texts: string[];

const LIMITS = [1, 9, 1000];

beforeAll(async () => {
  db = openDatabase(`${tempDir()}/search.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  await copySqliteToPostgres(db, store);
  lite = new SearchRepo(Store.onSqlite(db));
  post = new SearchRepo(store);
  const towns = (db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY code").all() as Array<{ id: string }>).map((r) => r.id);
  scopes = [
    ['county', null],
    ['no town', []],
    ['one town', [towns[0]!]],
    ['two towns', [towns[1]!, towns[2]!]],
  ];
  const names = (level: string) => (db.prepare('SELECT name FROM regions WHERE level = ? ORDER BY code LIMIT 2').all(level) as Array<{ name: string }>).map((r) => r.name);
  const town = names('town')[0]!;
  const address = (db.prepare("SELECT address FROM events WHERE address LIKE 'T县%' ORDER BY id LIMIT 1").get() as { address: string }).address;
  texts = [
    town.slice(0, 1),
    town.slice(0, 2),
    town,
    ...names('village'),
    ...names('grid'),
    '网格',
    '第1网格',
    '›',
    'T县',
    't县',
    `t${address.slice(1, 5)}`,
    address,
    address.slice(4),
    '1组',
    '号',
    '不存在的地址',
    '%',
    '_',
    '\\',
    '1%',
  ];
});

describe('SearchRepo on SQLite and PostgreSQL', () => {
  it('finds the same cases by address, newest first, in every scope and limit', async () => {
    let found = 0;
    for (const text of texts) {
      for (const [name, towns] of scopes) {
        for (const limit of LIMITS) {
          const a = await lite.byAddress(text, towns, limit);
          expect(await post.byAddress(text, towns, limit), `byAddress ${text} ${name} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(100);
    // the ASCII letter folds on both: 't县' finds what 'T县' finds
    expect(await post.byAddress('t县', null, 1000)).toEqual(await lite.byAddress('T县', null, 1000));
    expect(await post.byAddress('t县', null, 1000)).not.toEqual([]);
    expect(await post.byAddress('%', null, 1000)).toEqual([]);
  });

  it('finds the same places, exact name first, in every scope and limit', async () => {
    let found = 0;
    for (const text of texts) {
      for (const [name, towns] of scopes) {
        for (const limit of LIMITS) {
          const a = await lite.places(text, towns, limit);
          expect(await post.places(text, towns, limit), `places ${text} ${name} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(50);
  });

  it('finds the same cases by a whole phone, its last digits and a landline written with a dash', async () => {
    const phones = (db.prepare('SELECT DISTINCT reporter_phone AS p FROM events WHERE reporter_phone IS NOT NULL ORDER BY id LIMIT 6').all() as Array<{ p: string }>).map((r) =>
      r.p.replace(/[-+ ]/g, ''),
    );
    const landline = (db.prepare("SELECT reporter_phone AS p FROM events WHERE reporter_phone LIKE '%-%' ORDER BY id LIMIT 1").get() as { p: string } | undefined)?.p;
    expect(landline).toBeDefined();
    const tail = (db.prepare("SELECT substr(reporter_phone, -4) AS t FROM events GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").get() as { t: string }).t;
    const queries = [...phones, ...phones.map((p) => p.slice(-4)), ...phones.map((p) => p.slice(-7)), landline!.replace(/-/g, ''), tail, '0000', '999999999999', `1${phones[0]!}`];
    let found = 0;
    for (const digits of queries) {
      for (const [name, towns] of scopes) {
        for (const limit of LIMITS) {
          const a = await lite.byPhone(digits, towns, limit);
          expect(await post.byPhone(digits, towns, limit), `byPhone ${digits} ${name} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(20);
  });

  it('answers the same existing ids and open cases per item', async () => {
    const ids = (db.prepare('SELECT id FROM events ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    const codes = (db.prepare('SELECT DISTINCT item_code AS c FROM events ORDER BY c').all() as Array<{ c: string }>).map((r) => r.c);
    const idSets = [[], [ids[0]!], [ids.at(-1)!, ids[0]!], ids.slice(0, 20), ['EV209901010001'], [ids[3]!, 'EV209901010001']];
    const codeSets = [[], [codes[0]!], codes, ['ZZZ'], [codes.at(-1)!, 'ZZZ']];
    let found = 0;
    for (const [name, towns] of scopes) {
      for (const set of idSets) {
        const a = await lite.existing(set, towns);
        expect(await post.existing(set, towns), `existing ${set.join(',')} ${name}`).toEqual(a);
        found += a.length;
      }
      for (const set of codeSets) {
        const a = [...(await lite.openCasesByItem(set, towns))];
        expect([...(await post.openCasesByItem(set, towns))], `openCasesByItem ${set.join(',')} ${name}`).toEqual(a);
        found += a.length;
      }
    }
    expect(found).toBeGreaterThan(20);
  });
});
