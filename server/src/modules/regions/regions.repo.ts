import type { FeatureCollection, Polygon } from 'geojson';
import type { Store } from '../../db/store.js';
import { UPPER_REGION_LEVELS, type RegionCounts, type RegionFeatureProperties, type RegionKind, type RegionLevel, type RegionNode, type RegionsResponse, type UpperRegionLevel } from '../../../../shared/contracts/regions.js';
import type { LocatableRegion } from '../geo/locator.js';
import type { IndexedRegion } from './region-index.js';

interface RegionRow {
  id: string;
  level: string;
  kind: string;
  code: string;
  name: string;
  parent_id: string | null;
  geometry: string;
  label_lon: number;
  label_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

/** What the region tree reads of a region (not its geometry: a province's is megabytes). */
const TREE_COLUMNS = 'id, level, kind, code, name, parent_id';
type TreeRow = Pick<RegionRow, 'id' | 'level' | 'kind' | 'code' | 'name' | 'parent_id'>;
/** A province, city or county row of the tree, with where its name goes and its extent. */
type UpperRow = TreeRow & Pick<RegionRow, 'label_lon' | 'label_lat' | 'min_lon' | 'min_lat' | 'max_lon' | 'max_lat'>;

/** The chain above a micro-grid, resolved once from the database. */
export interface MicroGridChain {
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  /** town › village › grid, for readable addresses. */
  path: string;
}

export interface HouseholdRow {
  addressCode: string;
  microGridId: string;
  address: string;
  lon: number;
  lat: number;
}

/**
 * Read access to the county's static geography. Rows become entities here only. On the async Store
 * (docs/POSTGRES.md): the same SQL on both dialects (codes are unique, so `ORDER BY code` is total).
 */
export class RegionsRepo {
  constructor(private readonly store: Store) {}

  async featureCollection(level: RegionLevel): Promise<FeatureCollection<Polygon, RegionFeatureProperties>> {
    const rows = await this.store.all<RegionRow>('SELECT * FROM regions WHERE level = ? ORDER BY code', level);
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: JSON.parse(r.geometry) as Polygon,
        properties: {
          id: r.id,
          code: r.code,
          name: r.name,
          parentId: r.parent_id ?? '',
          level,
          kind: r.kind as RegionKind,
          labelLon: r.label_lon,
          labelLat: r.label_lat,
        },
      })),
    };
  }

  /** Every micro-grid with its polygon and extent, in code order (the order SQLite's (level, code) index always gave). */
  async locatableMicroGrids(): Promise<LocatableRegion[]> {
    const rows = await this.store.all<Pick<RegionRow, 'id' | 'geometry' | 'min_lon' | 'min_lat' | 'max_lon' | 'max_lat'>>(
      "SELECT id, geometry, min_lon, min_lat, max_lon, max_lat FROM regions WHERE level = 'microgrid' ORDER BY code",
    );
    return rows.map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) as Polygon, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] }));
  }

  /** micro-grid id → its grid, village and town, for every micro-grid (in micro-grid code order). */
  async microGridChains(): Promise<Map<string, MicroGridChain>> {
    const rows = await this.store.all<{ micro_grid_id: string; grid_id: string; village_id: string; town_id: string; path: string }>(
      `SELECT m.id AS micro_grid_id, g.id AS grid_id, v.id AS village_id, t.id AS town_id,
              t.name || ' › ' || v.name || ' › ' || g.name AS path
         FROM regions m
         JOIN regions g ON g.id = m.parent_id
         JOIN regions v ON v.id = g.parent_id
         JOIN regions t ON t.id = v.parent_id
        WHERE m.level = 'microgrid'
        ORDER BY m.code`,
    );
    return new Map(rows.map((r) => [r.micro_grid_id, { microGridId: r.micro_grid_id, gridId: r.grid_id, villageId: r.village_id, townId: r.town_id, path: r.path }]));
  }

  /** A household by its unified address code (the intake's place, a channel's address). */
  async household(addressCode: string): Promise<HouseholdRow | null> {
    const row = await this.store.get<{ address_code: string; micro_grid_id: string; address: string; lon: number; lat: number }>(
      'SELECT address_code, micro_grid_id, address, lon, lat FROM households WHERE address_code = ?',
      addressCode,
    );
    return row ? { addressCode: row.address_code, microGridId: row.micro_grid_id, address: row.address, lon: row.lon, lat: row.lat } : null;
  }

  /** The province, cities, counties and towns, for the RegionIndex (what a town belongs to, what a scope holds). */
  async indexRows(): Promise<IndexedRegion[]> {
    return this.store.all<IndexedRegion>(
      `SELECT id, code, name, level, parent_id AS "parentId" FROM regions WHERE level IN ('province', 'city', 'county', 'town') ORDER BY code`,
    );
  }

  /**
   * The platform's region tree: its top region (the county of a county server, else the city or
   * province) down to the towns, with counts summed upwards. Villages hang under their towns only
   * on a county server: a province has tens of thousands, and a tree that large helps nobody.
   */
  async platformTree(): Promise<RegionsResponse | null> {
    const upper = await this.store.all<UpperRow>(
      `SELECT ${TREE_COLUMNS}, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat FROM regions WHERE level IN ('province', 'city', 'county') ORDER BY code`,
    );
    const place = new Map(upper.map((r) => [r.id, { labelLon: r.label_lon, labelLat: r.label_lat, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] as [number, number, number, number] }]));
    const counties = upper.filter((r) => r.level === 'county');
    if (counties.length === 0) return null;
    const rank = (level: string) => UPPER_REGION_LEVELS.indexOf(level as UpperRegionLevel);
    // The highest level present roots the tree (one county: the county itself, as before).
    const top = upper.reduce((best, r) => (rank(r.level) < rank(best.level) ? r : best));
    const towns = await this.store.all<TreeRow>(`SELECT ${TREE_COLUMNS} FROM regions WHERE level = 'town' ORDER BY code`);
    const villages = await this.store.all<TreeRow>(`SELECT ${TREE_COLUMNS} FROM regions WHERE level = 'village' ORDER BY code`);
    // Per-village counts in one pass each; the tree sums them upwards. (Keyed by village: row order does not matter.)
    const perVillage = async (sql: string) => new Map((await this.store.all<{ id: string; n: number }>(sql)).map((r) => [r.id, r.n]));
    const grids = await perVillage("SELECT parent_id AS id, COUNT(*) AS n FROM regions WHERE level = 'grid' GROUP BY parent_id");
    const micro = await perVillage(
      "SELECT g.parent_id AS id, COUNT(*) AS n FROM regions m JOIN regions g ON g.id = m.parent_id WHERE m.level = 'microgrid' GROUP BY g.parent_id",
    );
    // Households are counted per micro-grid first (over their index), then the 450,000 counts of a
    // province are joined up to their villages: joining its 1.8 million households took twice as long.
    const households = await perVillage(
      `SELECT g.parent_id AS id, SUM(h.n) AS n FROM (SELECT micro_grid_id, COUNT(*) AS n FROM households GROUP BY micro_grid_id) h
         JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id GROUP BY g.parent_id`,
    );
    const workers = await perVillage("SELECT g.parent_id AS id, COUNT(*) AS n FROM workers w JOIN regions g ON g.id = w.grid_id WHERE w.status <> 'left' GROUP BY g.parent_id");

    const byParent = new Map<string, TreeRow[]>();
    for (const r of [...upper, ...towns, ...villages]) {
      if (r.parent_id === null) continue;
      const siblings = byParent.get(r.parent_id);
      if (siblings) siblings.push(r);
      else byParent.set(r.parent_id, [r]);
    }
    const withVillages = counties.length === 1 && top.level === 'county';
    const sum = (nodes: RegionNode[]) => ({
      grids: nodes.reduce((s, n) => s + n.counts.grids, 0),
      microGrids: nodes.reduce((s, n) => s + n.counts.microGrids, 0),
      households: nodes.reduce((s, n) => s + n.counts.households, 0),
      workers: nodes.reduce((s, n) => s + n.counts.workers, 0),
    });
    /** How many of a level a node's subtree holds, for the levels between it and the towns. */
    const total = (nodes: RegionNode[], key: 'cities' | 'counties' | 'towns' | 'villages', level: RegionNode['level']) =>
      nodes.reduce((s, n) => s + (n.level === level ? 1 : (n.counts[key] ?? 0)), 0);

    const villageNode = (v: TreeRow): RegionNode => ({
      id: v.id,
      code: v.code,
      name: v.name,
      level: 'village',
      kind: v.kind,
      counts: { grids: grids.get(v.id) ?? 0, microGrids: micro.get(v.id) ?? 0, households: households.get(v.id) ?? 0, workers: workers.get(v.id) ?? 0 },
    });
    const node = (r: TreeRow): RegionNode => {
      const below = byParent.get(r.id) ?? [];
      if (r.level === 'town') {
        const children = below.map(villageNode);
        const base = { id: r.id, code: r.code, name: r.name, level: 'town' as const, kind: r.kind, counts: { villages: children.length, ...sum(children) } };
        return withVillages ? { ...base, children } : base;
      }
      const children = below.map(node);
      const counts: RegionCounts = {
        ...(r.level === 'province' ? { cities: total(children, 'cities', 'city') } : {}),
        ...(r.level !== 'county' ? { counties: total(children, 'counties', 'county') } : {}),
        towns: total(children, 'towns', 'town'),
        villages: children.reduce((s, n) => s + (n.counts.villages ?? 0), 0),
        ...sum(children),
      };
      return { id: r.id, code: r.code, name: r.name, level: r.level as UpperRegionLevel, kind: r.kind, counts, ...place.get(r.id), children };
    };
    const root = node(top);
    const scalar = async (sql: string) => (await this.store.get<{ n: number }>(sql))!.n;
    const extent = (await this.store.get<{ a: number; b: number; c: number; d: number }>(
      "SELECT MIN(min_lon) AS a, MIN(min_lat) AS b, MAX(max_lon) AS c, MAX(max_lat) AS d FROM regions WHERE level = 'county'",
    ))!;
    const fullTimeWorkers = await scalar("SELECT COUNT(*) AS n FROM workers WHERE employment = 'full_time' AND status <> 'left'");
    const teams = await scalar('SELECT COUNT(*) AS n FROM teams');
    return {
      root,
      county: root,
      totals: {
        cities: upper.filter((r) => r.level === 'city').length,
        counties: counties.length,
        towns: towns.length,
        villages: villages.length,
        ...sum([root]),
        fullTimeWorkers,
        teams,
      },
      bbox: [extent.a, extent.b, extent.c, extent.d],
    };
  }
}
