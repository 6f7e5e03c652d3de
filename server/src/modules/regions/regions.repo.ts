import type { FeatureCollection, Polygon } from 'geojson';
import type { Db } from '../../db/connection.js';
import type { RegionFeatureProperties, RegionLevel, RegionNode, RegionsResponse, RegionKind } from '../../../../shared/contracts/regions.js';
import type { LocatableRegion } from '../geo/locator.js';

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

/** Read access to the county's static geography. Rows become entities here only. */
export class RegionsRepo {
  constructor(private readonly db: Db) {}

  featureCollection(level: RegionLevel): FeatureCollection<Polygon, RegionFeatureProperties> {
    const rows = this.db.prepare('SELECT * FROM regions WHERE level = ? ORDER BY code').all(level) as RegionRow[];
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

  locatableMicroGrids(): LocatableRegion[] {
    const rows = this.db
      .prepare("SELECT id, geometry, min_lon, min_lat, max_lon, max_lat FROM regions WHERE level = 'microgrid'")
      .all() as RegionRow[];
    return rows.map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) as Polygon, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] }));
  }

  /** micro-grid id → its grid, village and town, for every micro-grid. */
  microGridChains(): Map<string, MicroGridChain> {
    const rows = this.db
      .prepare(
        `SELECT m.id AS micro_grid_id, g.id AS grid_id, v.id AS village_id, t.id AS town_id,
                t.name || ' › ' || v.name || ' › ' || g.name AS path
           FROM regions m
           JOIN regions g ON g.id = m.parent_id
           JOIN regions v ON v.id = g.parent_id
           JOIN regions t ON t.id = v.parent_id
          WHERE m.level = 'microgrid'`,
      )
      .all() as Array<{ micro_grid_id: string; grid_id: string; village_id: string; town_id: string; path: string }>;
    return new Map(rows.map((r) => [r.micro_grid_id, { microGridId: r.micro_grid_id, gridId: r.grid_id, villageId: r.village_id, townId: r.town_id, path: r.path }]));
  }

  household(addressCode: string): HouseholdRow | null {
    const row = this.db
      .prepare('SELECT address_code, micro_grid_id, address, lon, lat FROM households WHERE address_code = ?')
      .get(addressCode) as { address_code: string; micro_grid_id: string; address: string; lon: number; lat: number } | undefined;
    return row ? { addressCode: row.address_code, microGridId: row.micro_grid_id, address: row.address, lon: row.lon, lat: row.lat } : null;
  }

  countyTree(): RegionsResponse | null {
    const county = this.db.prepare("SELECT * FROM regions WHERE level = 'county'").get() as RegionRow | undefined;
    if (!county) return null;
    const towns = this.db.prepare("SELECT * FROM regions WHERE level = 'town' ORDER BY code").all() as RegionRow[];
    const villages = this.db.prepare("SELECT * FROM regions WHERE level = 'village' ORDER BY code").all() as RegionRow[];
    // Per-village counts in one pass each; the tree sums them upwards.
    const perVillage = (sql: string) =>
      new Map((this.db.prepare(sql).all() as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
    const grids = perVillage("SELECT parent_id AS id, COUNT(*) AS n FROM regions WHERE level = 'grid' GROUP BY parent_id");
    const micro = perVillage(
      "SELECT g.parent_id AS id, COUNT(*) AS n FROM regions m JOIN regions g ON g.id = m.parent_id WHERE m.level = 'microgrid' GROUP BY g.parent_id",
    );
    const households = perVillage(
      `SELECT g.parent_id AS id, COUNT(*) AS n FROM households h
         JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id GROUP BY g.parent_id`,
    );
    const workers = perVillage('SELECT g.parent_id AS id, COUNT(*) AS n FROM workers w JOIN regions g ON g.id = w.grid_id GROUP BY g.parent_id');

    const villageNode = (v: RegionRow): RegionNode => ({
      id: v.id,
      code: v.code,
      name: v.name,
      level: 'village',
      kind: v.kind,
      counts: { grids: grids.get(v.id) ?? 0, microGrids: micro.get(v.id) ?? 0, households: households.get(v.id) ?? 0, workers: workers.get(v.id) ?? 0 },
    });
    const sum = (nodes: RegionNode[]) => ({
      grids: nodes.reduce((s, n) => s + n.counts.grids, 0),
      microGrids: nodes.reduce((s, n) => s + n.counts.microGrids, 0),
      households: nodes.reduce((s, n) => s + n.counts.households, 0),
      workers: nodes.reduce((s, n) => s + n.counts.workers, 0),
    });
    const townNodes: RegionNode[] = towns.map((t) => {
      const children = villages.filter((v) => v.parent_id === t.id).map(villageNode);
      return { id: t.id, code: t.code, name: t.name, level: 'town', kind: t.kind, counts: { villages: children.length, ...sum(children) }, children };
    });
    const totals = sum(townNodes);
    const scalar = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      county: {
        id: county.id,
        code: county.code,
        name: county.name,
        level: 'county',
        kind: county.kind,
        counts: { towns: townNodes.length, villages: villages.length, ...totals },
        children: townNodes,
      },
      totals: {
        towns: townNodes.length,
        villages: villages.length,
        ...totals,
        fullTimeWorkers: scalar("SELECT COUNT(*) AS n FROM workers WHERE employment = 'full_time'"),
        teams: scalar('SELECT COUNT(*) AS n FROM teams'),
      },
      bbox: [county.min_lon, county.min_lat, county.max_lon, county.max_lat],
    };
  }
}
