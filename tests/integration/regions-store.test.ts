import { describe, expect, it } from 'vitest';
import { REGION_LEVELS } from '../../shared/contracts/regions.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import type { DemoOptions } from '../../server/src/modules/demo/demo-options.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { RegionsRepo } from '../../server/src/modules/regions/regions.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { SMALL_PLATFORM } from './platform-fixture.js';
import { usePostgres } from './postgres.js';

/**
 * The regions repository answers the same on both dialects: a seeded county and a seeded city
 * platform (and an empty database) on SQLite, copied to PostgreSQL, and every converted read taken
 * from both — every layer's feature collection (also as the served JSON text, which the ETag
 * hashes: coordinates and label points must read back to the last bit), the index rows, the
 * locatable micro-grids, the micro-grid chains (in order) and the platform tree.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

async function bothStores(name: string, options: DemoOptions | null): Promise<{ lite: RegionsRepo; post: RegionsRepo; households: string[] }> {
  const db = openDatabase(`${tempDir()}/${name}.sqlite`);
  later(() => db.close());
  if (options) seedDemo(db, options);
  const postgres = openStore(await pg.cluster.createDatabase());
  later(() => postgres.close());
  await copySqliteToPostgres(db, postgres);
  const households = db.prepare('SELECT address_code FROM households ORDER BY address_code LIMIT 3').pluck().all() as string[];
  return { lite: new RegionsRepo(Store.onSqlite(db)), post: new RegionsRepo(postgres), households };
}

async function expectSameAnswers(lite: RegionsRepo, post: RegionsRepo): Promise<number> {
  let features = 0;
  for (const level of REGION_LEVELS) {
    const sqlite = await lite.featureCollection(level);
    const postgres = await post.featureCollection(level);
    expect(postgres, level).toEqual(sqlite);
    expect(JSON.stringify(postgres), level).toBe(JSON.stringify(sqlite));
    features += sqlite.features.length;
  }
  expect(await post.indexRows()).toEqual(await lite.indexRows());
  const grids = await lite.locatableMicroGrids();
  expect(await post.locatableMicroGrids()).toEqual(grids);
  expect(grids.map((g) => g.id)).toEqual((await lite.featureCollection('microgrid')).features.map((f) => f.id));
  // a Map's toEqual ignores its order: the entries are compared as a list
  expect([...(await post.microGridChains())]).toEqual([...(await lite.microGridChains())]);
  const tree = await lite.platformTree();
  expect(await post.platformTree()).toEqual(tree);
  expect(JSON.stringify(await post.platformTree())).toBe(JSON.stringify(tree));
  return features;
}

describe('RegionsRepo on SQLite and PostgreSQL', () => {
  it('answers the same for the small county', async () => {
    const { lite, post } = await bothStores('county', SMALL_COUNTY);
    expect(await expectSameAnswers(lite, post)).toBeGreaterThan(100);
    const tree = await post.platformTree();
    expect(tree?.root.level).toBe('county');
    expect(tree?.totals.households).toBeGreaterThan(0);
    expect((await post.microGridChains()).size).toBe(SMALL_COUNTY.microGrids);
  });

  it('answers the same for the small city platform (three counties)', async () => {
    const { lite, post, households } = await bothStores('platform', SMALL_PLATFORM);
    expect(await expectSameAnswers(lite, post)).toBeGreaterThan(1500);
    const rows = await post.indexRows();
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(['city', 'county', 'town']));
    expect((await post.platformTree())?.root.level).toBe('city');
    // the intake's household of a unified address, known and unknown
    expect(households.length).toBe(3);
    for (const code of [...households, 'x']) expect(await post.household(code), code).toEqual(await lite.household(code));
    expect(await post.household(households[0]!)).toMatchObject({ addressCode: households[0] });
  });

  it('answers the same for a database without regions', async () => {
    const { lite, post } = await bothStores('empty', null);
    expect(await expectSameAnswers(lite, post)).toBe(0);
    expect(await post.platformTree()).toBeNull();
    expect(await post.indexRows()).toEqual([]);
    expect((await post.microGridChains()).size).toBe(0);
  });
});
