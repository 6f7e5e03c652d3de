import { beforeAll, describe, expect, it } from 'vitest';
import { townsOf, type RegionNode, type RegionsResponse } from '../../shared/contracts/regions.js';
import type { Store } from '../../server/src/db/store.js';
import { api, cleanupAfterAll, startTestServer, type TestServer } from './harness.js';
import { SMALL_PLATFORM, seedPlatform } from './platform-fixture.js';
import { columnOf } from './store-rows.js';

const { later, tempDir } = cleanupAfterAll();

const count = async (store: Store, sql: string, ...args: unknown[]) => (await store.get<{ n: number }>(sql, ...args))!.n;
const levelCount = (store: Store, level: string) => count(store, 'SELECT COUNT(*) AS n FROM regions WHERE level = ?', level);

/** Every node of the tree, depth first. */
const nodesOf = (n: RegionNode): RegionNode[] => [n, ...(n.children ?? []).flatMap(nodesOf)];

describe('the region tree of a platform of several counties', () => {
  let server: TestServer;
  let tree: RegionsResponse;
  beforeAll(async () => {
    const dataDir = seedPlatform(tempDir());
    server = await startTestServer({ dataDir });
    later(() => server.stop());
    const res = await api<RegionsResponse>(server.url, '/api/v1/regions');
    expect(res.status).toBe(200);
    tree = res.body;
  });

  it('is rooted at the city, with its counties, then their towns; no villages under a platform', async () => {
    const city = (await server.store.get<{ id: string; code: string; name: string }>("SELECT id, code, name FROM regions WHERE level = 'city'"))!;
    expect(tree.root).toMatchObject({ id: city.id, code: city.code, name: city.name, level: 'city' });
    expect(tree.county).toEqual(tree.root);
    const counties = await columnOf(server.store, "SELECT id FROM regions WHERE level = 'county' ORDER BY code");
    expect(tree.root.children!.map((c) => [c.id, c.level])).toEqual(counties.map((id) => [id, 'county']));
    for (const county of tree.root.children!) {
      const towns = await columnOf(server.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code", county.id);
      expect(county.children!.map((t) => t.id)).toEqual(towns);
      for (const town of county.children!) {
        expect(town.level).toBe('town');
        expect(town.children).toBeUndefined();
        expect(town.counts.villages).toBe(await count(server.store, "SELECT COUNT(*) AS n FROM regions WHERE level = 'village' AND parent_id = ?", town.id));
      }
    }
    expect(townsOf(tree)).toHaveLength(await levelCount(server.store, 'town'));
  });

  it('totals are the regions table’s counts, and every node’s counts are its children’s summed', async () => {
    const db = server.store;
    expect(tree.totals).toMatchObject({
      cities: await levelCount(db, 'city'),
      counties: await levelCount(db, 'county'),
      towns: await levelCount(db, 'town'),
      villages: await levelCount(db, 'village'),
      grids: await levelCount(db, 'grid'),
      microGrids: await levelCount(db, 'microgrid'),
      households: await count(db, 'SELECT COUNT(*) AS n FROM households'),
      // the workers serving now: the records of those who left are not counted
      workers: await count(db, "SELECT COUNT(*) AS n FROM workers WHERE status <> 'left'"),
      fullTimeWorkers: await count(db, "SELECT COUNT(*) AS n FROM workers WHERE employment = 'full_time' AND status <> 'left'"),
      teams: await count(db, 'SELECT COUNT(*) AS n FROM teams'),
    });
    expect(tree.totals.counties).toBe(SMALL_PLATFORM.counties);
    expect(tree.root.counts).toMatchObject({ counties: tree.totals.counties, towns: tree.totals.towns, villages: tree.totals.villages, grids: tree.totals.grids, microGrids: tree.totals.microGrids });
    for (const n of nodesOf(tree.root).filter((n) => n.children && n.children.length > 0)) {
      for (const key of ['grids', 'microGrids', 'households', 'workers'] as const) {
        expect(n.counts[key], `${n.id} ${key}`).toBe(n.children!.reduce((s, c) => s + c.counts[key], 0));
      }
    }
    // per county, straight from the table
    for (const county of tree.root.children!) {
      expect(county.counts.microGrids).toBe(await count(db, "SELECT COUNT(*) AS n FROM regions WHERE level = 'microgrid' AND code LIKE ?", `${county.code}%`));
    }
  });

  it('spans the whole platform', async () => {
    const e = (await server.store.get<Record<string, number>>("SELECT MIN(min_lon) AS a, MIN(min_lat) AS b, MAX(max_lon) AS c, MAX(max_lat) AS d FROM regions WHERE level = 'microgrid'"))!;
    const [w, s, east, n] = tree.bbox;
    expect(w).toBeLessThanOrEqual(e.a!);
    expect(s).toBeLessThanOrEqual(e.b!);
    expect(east).toBeGreaterThanOrEqual(e.c!);
    expect(n).toBeGreaterThanOrEqual(e.d!);
  });
});

describe('the region tree of a county server', () => {
  it('is the county with its towns and villages, as before, plus root and the upper totals', async () => {
    const server = await startTestServer();
    later(() => server.stop());
    const { body } = await api<RegionsResponse>(server.url, '/api/v1/regions');
    expect(body.root).toEqual(body.county);
    expect(body.root.level).toBe('county');
    expect(body.root.counts).toEqual({ towns: 3, villages: 8, grids: 24, microGrids: 100, households: 400, workers: 60 });
    expect(body.root.children!.every((t) => t.children && t.children.length > 0)).toBe(true);
    expect(body.totals).toMatchObject({ cities: 0, counties: 1, towns: 3, villages: 8, grids: 24, microGrids: 100 });
  });
});
