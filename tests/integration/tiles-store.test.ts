import { describe, expect, it } from 'vitest';
import { TILE_LAYERS } from '../../shared/contracts/regions.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { TilesRepo } from '../../server/src/modules/tiles/tiles.repo.js';
import { cleanupAfterAll } from './harness.js';
import { SMALL_PLATFORM } from './platform-fixture.js';
import { usePostgres } from './postgres.js';

/**
 * The first repository on the async Store answers the same on both dialects: the small platform
 * (a city, three counties) is seeded on SQLite, its regions copied to PostgreSQL, and every
 * layer's groups and every group's regions read from both.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const COLUMNS = ['id', 'level', 'kind', 'code', 'name', 'parent_id', 'geometry', 'label_lon', 'label_lat', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'area_km2'];

describe('TilesRepo on SQLite and PostgreSQL', () => {
  it('reads the same groups and regions of every layer from both stores', async () => {
    const db = openDatabase(`${tempDir()}/tiles.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_PLATFORM);
    const sqlite = Store.onSqlite(db);
    const postgres = openStore(await pg.cluster.createDatabase());
    later(() => postgres.close());

    // parents before children (the foreign key), a few hundred rows per statement
    const rows = await sqlite.all<Record<string, unknown>>(
      `SELECT ${COLUMNS.join(', ')} FROM regions ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'county' THEN 2 WHEN 'town' THEN 3 WHEN 'village' THEN 4 WHEN 'grid' THEN 5 ELSE 6 END, code`,
    );
    expect(rows.length).toBeGreaterThan(100);
    await postgres.inTransaction(async () => {
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        const values = chunk.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
        await postgres.run(`INSERT INTO regions (${COLUMNS.join(', ')}) VALUES ${values}`, ...chunk.flatMap((r) => COLUMNS.map((c) => r[c])));
      }
    });

    const lite = new TilesRepo(sqlite);
    const pgRepo = new TilesRepo(postgres);
    let groupsRead = 0;
    for (const layer of TILE_LAYERS) {
      const groups = await lite.groups(layer);
      expect(await pgRepo.groups(layer)).toEqual(groups);
      for (const g of groups) {
        expect(await pgRepo.regions(layer, g.key)).toEqual(await lite.regions(layer, g.key));
        groupsRead += 1;
      }
    }
    expect(groupsRead).toBeGreaterThan(TILE_LAYERS.length);
  });
});
