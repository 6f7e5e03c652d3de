import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { AddressResolver } from '../../server/src/modules/addresses/address-resolver.js';
import { AddressesRepo } from '../../server/src/modules/addresses/addresses.repo.js';
import { addressTerms, AddressesService } from '../../server/src/modules/addresses/addresses.service.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { EventsRepo } from '../../server/src/modules/events/events.repo.js';
import { TeamsRepo } from '../../server/src/modules/teams/teams.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * Unified address search answers the same on both dialects: a seeded county on SQLite, copied to
 * PostgreSQL with copySqliteToPostgres (address_search keeps its ids, the rank), and every
 * AddressesRepo method, the resolver and the service's search called on both. The trigram search
 * is where the dialects differ (FTS5 MATCH of phrases against pg_trgm's ILIKE; short terms by
 * LIKE with ASCII letters folded on both): terms of one, two, three and more characters, several
 * terms, the county's ASCII letter in either case, LIKE's and FTS5's own syntax as text, no match;
 * codes and their prefixes; the county, no town, one town, two towns; limits of one, a few and
 * all. Every answer must be equal, row for row and in the same order, and not all empty.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

interface Side {
  repo: AddressesRepo;
  resolver: AddressResolver;
  service: AddressesService;
}

let db: Db;
let lite: Side;
let post: Side;
let scopes: Array<[string, string[] | null]>;
let addresses: Array<{ code: string; address: string; micro_grid_id: string }>;

const LIMITS = [1, 5, 1000];

beforeAll(async () => {
  db = openDatabase(`${tempDir()}/addresses.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  await copySqliteToPostgres(db, store);
  // the service's search reads only the repository; events and teams serve its place card
  const side = (s: Store): Side => {
    const repo = new AddressesRepo(s);
    return { repo, resolver: new AddressResolver(repo), service: new AddressesService({ repo, events: new EventsRepo(s), teams: new TeamsRepo(s) }) };
  };
  lite = side(Store.onSqlite(db));
  post = side(store);
  const towns = (db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY code").all() as Array<{ id: string }>).map((r) => r.id);
  scopes = [
    ['county', null],
    ['no town', []],
    ['one town', [towns[0]!]],
    ['two towns', [towns[1]!, towns[2]!]],
  ];
  // every 37th household: each town, short and long addresses
  addresses = (db.prepare('SELECT address_code AS code, address, micro_grid_id FROM households ORDER BY address_code').all() as typeof addresses).filter((_, i) => i % 37 === 0);
  expect(addresses.length).toBeGreaterThan(8);
});

/** Search texts from the seeded addresses: pieces of every length, several terms, case, syntax, no match. */
function texts(): string[] {
  const a = addresses[1]!.address;
  const b = addresses.at(-1)!.address;
  return [
    a.slice(2, 3),
    a.slice(2, 4),
    a.slice(2, 5),
    a.slice(2, 8),
    a,
    b,
    b.slice(-4),
    b.slice(-2),
    'T县',
    't县',
    't县' + a.slice(2, 4),
    `${a.slice(2, 5)} ${b.slice(-2)}`,
    `${a.slice(2, 5)} ${a.slice(-3)}`,
    `${a.slice(2, 3)} ${a.slice(-2)}`,
    `${a.slice(2, 4)} ${b.slice(2, 5)}`,
    '1组',
    '号',
    '3号',
    '12号',
    '不存在的地址',
    '不存',
    '%',
    '_号',
    '"号',
    '号" OR "组',
    'NEAR(组 号)',
    '\\',
  ];
}

describe('AddressesRepo on SQLite and PostgreSQL', () => {
  it('finds the same households by text (trigram and short terms), best first, in every scope and limit', async () => {
    let found = 0;
    for (const text of texts()) {
      const terms = addressTerms(text);
      for (const [name, towns] of scopes) {
        for (const limit of LIMITS) {
          const a = await lite.repo.byText(terms, towns, limit);
          expect(await post.repo.byText(terms, towns, limit), `byText ${terms.join('|')} ${name} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(500);
    // the county's ASCII letter folds on both, through the trigram path and the short-term path
    expect(await post.repo.byText(['t县'], null, 1000)).toEqual(await lite.repo.byText(['T县'], null, 1000));
    expect((await post.repo.byText(['t县'], null, 1000)).length).toBe((db.prepare('SELECT count(*) AS n FROM households').get() as { n: number }).n);
    expect(await post.repo.byText(['t', '县'], null, 3)).toEqual(await lite.repo.byText(['T', '县'], null, 3));
  });

  it('finds the same households containing a piece (the resolver\'s read), in id order', async () => {
    let found = 0;
    for (const text of texts()) {
      for (const limit of [2, 1000]) {
        const a = await lite.repo.containing(text, limit);
        expect(await post.repo.containing(text, limit), `containing ${text} ${limit}`).toEqual(a);
        found += a.length;
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('finds the same households by code and by code prefix, in code order', async () => {
    const codes = addresses.map((h) => h.code);
    const prefixes = ['3', '330899', codes[0]!.slice(0, 9), codes[3]!.slice(0, 12), codes[5]!.slice(0, 18), codes[7]!, `${codes[7]!}0`, '9', '000'];
    let found = 0;
    for (const [name, towns] of scopes) {
      for (const code of [...codes, '000', '3308990']) {
        const a = await lite.repo.byCode(code, towns);
        expect(await post.repo.byCode(code, towns), `byCode ${code} ${name}`).toEqual(a);
        if (a) found++;
      }
      for (const prefix of prefixes) {
        for (const limit of LIMITS) {
          const a = await lite.repo.byCodePrefix(prefix, towns, limit);
          expect(await post.repo.byCodePrefix(prefix, towns, limit), `byCodePrefix ${prefix} ${name} ${limit}`).toEqual(a);
          found += a.length;
        }
      }
    }
    expect(found).toBeGreaterThan(200);
  });

  it('answers the same region names, names above a micro-grid and open cases at an address', async () => {
    const villages = (db.prepare("SELECT id FROM regions WHERE level = 'village' ORDER BY code").all() as Array<{ id: string }>).map((r) => r.id);
    for (const id of [...villages, addresses[0]!.micro_grid_id, 'nowhere']) {
      expect(await post.repo.regionName(id), `regionName ${id}`).toEqual(await lite.repo.regionName(id));
    }
    for (const id of [...addresses.map((h) => h.micro_grid_id), villages[0]!, 'nowhere']) {
      expect(await post.repo.names(id), `names ${id}`).toEqual(await lite.repo.names(id));
    }
    const withCases = (db.prepare('SELECT address_code AS c FROM events WHERE address_code IS NOT NULL GROUP BY address_code ORDER BY count(*) DESC, address_code LIMIT 8').all() as Array<{ c: string }>).map(
      (r) => r.c,
    );
    let found = 0;
    for (const code of [...withCases, addresses[0]!.code, '000']) {
      for (const limit of [1, 20]) {
        const a = await lite.repo.openCaseIds(code, limit);
        expect(await post.repo.openCaseIds(code, limit), `openCaseIds ${code} ${limit}`).toEqual(a);
        found += a.length;
      }
    }
    expect(found).toBeGreaterThan(0);
  });

  it('resolves the same address texts and answers the same searches through the service', async () => {
    const principal = (towns: string[] | null) =>
      ({ user: { roles: ['dispatcher'], scope: towns === null ? { kind: 'county' } : { kind: 'towns', towns, counties: [], areas: [] } } }) as unknown as Principal;
    const a = addresses[2]!;
    const resolvable = [a.address, `浙江省金华市${a.address}门口`, ` ${a.address.slice(3)} 附近 `, a.code, a.address.slice(0, 8), '不存在的地址', '  ', '12', '１２号'];
    let resolved = 0;
    for (const text of [...resolvable, ...texts()]) {
      const hit = await lite.resolver.resolve(text);
      expect(await post.resolver.resolve(text), `resolve ${text}`).toEqual(hit);
      if (hit) resolved++;
    }
    expect(resolved).toBeGreaterThan(2);
    let found = 0;
    for (const q of [...texts(), a.code, a.code.slice(0, 12), '330899']) {
      for (const [name, towns] of scopes) {
        for (const limit of [1, 8, 50]) {
          const hits = await lite.service.search(q, principal(towns), limit);
          expect(await post.service.search(q, principal(towns), limit), `search ${q} ${name} ${limit}`).toEqual(hits);
          found += hits.length;
        }
      }
    }
    expect(found).toBeGreaterThan(500);
  });
});
