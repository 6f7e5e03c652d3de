import { createHash } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { Db } from '../../db/connection.js';
import type { GridImportLevel } from '../../../../shared/contracts/imports.js';
import type { RegionKind } from '../../../../shared/contracts/regions.js';
import type { RegionWrite, StoredRegion } from './grid-plan.js';

type Level = GridImportLevel | 'county';

interface RegionRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
  geometry: string;
  label_lon: number;
  label_lat: number;
}

const LEVEL_ABOVE: Record<GridImportLevel, Level> = { town: 'county', village: 'town', grid: 'village', microgrid: 'grid' };
const LEVEL_BELOW: Record<GridImportLevel, GridImportLevel | null> = { town: 'village', village: 'grid', grid: 'microgrid', microgrid: null };

/** The rows an import reads and writes: regions, and what references them. */
export class ImportsRepo {
  constructor(private readonly db: Db) {}

  regions(level: Level | null): StoredRegion[] {
    if (!level) return [];
    const rows = this.db.prepare('SELECT id, code, name, kind, parent_id, geometry, label_lon, label_lat FROM regions WHERE level = ? ORDER BY code').all(level) as RegionRow[];
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind as RegionKind | 'county',
      parentId: r.parent_id,
      geometry: JSON.parse(r.geometry) as Polygon,
      label: [r.label_lon, r.label_lat],
    }));
  }

  /** The regions a boundary import of `level` checks against: its own level, the one above and the one below. */
  surroundings(level: GridImportLevel) {
    return {
      existing: this.regions(level),
      parents: this.regions(LEVEL_ABOVE[level]),
      children: this.regions(LEVEL_BELOW[level]),
      otherLevelCodes: new Set((this.db.prepare('SELECT code FROM regions WHERE level <> ?').all(level) as Array<{ code: string }>).map((r) => r.code)),
    };
  }

  /**
   * What still references each region, e.g. `events 12, households 40`. Found from the schema
   * itself (every foreign key to regions, whichever migration added it), plus the town scopes
   * of accounts and API keys, which are JSON lists.
   */
  references(ids: string[]): Map<string, string> {
    const found = new Map<string, string[]>();
    if (ids.length === 0) return new Map();
    const tables = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((t) => t.name);
    const columns: Array<{ table: string; column: string }> = [];
    for (const table of tables) {
      for (const fk of this.db.prepare(`SELECT "table" AS target, "from" AS column FROM pragma_foreign_key_list(?)`).all(table) as Array<{ target: string; column: string }>) {
        if (fk.target === 'regions') columns.push({ table, column: fk.column });
      }
    }
    const add = (id: string, what: string, n: number) => found.set(id, [...(found.get(id) ?? []), `${what} ${n}`]);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const marks = chunk.map(() => '?').join(',');
      for (const { table, column } of columns) {
        const rows = this.db.prepare(`SELECT "${column}" AS id, COUNT(*) AS n FROM "${table}" WHERE "${column}" IN (${marks}) GROUP BY "${column}"`).all(...chunk) as Array<{ id: string; n: number }>;
        for (const r of rows) add(r.id, table === 'regions' ? 'regions below' : `${table}.${column}`, r.n);
      }
      for (const table of ['users', 'api_keys']) {
        if (!tables.includes(table)) continue;
        const rows = this.db
          .prepare(`SELECT j.value AS id, COUNT(*) AS n FROM "${table}", json_each("${table}".scope_towns) j WHERE "${table}".scope_towns IS NOT NULL AND j.value IN (${marks}) GROUP BY j.value`)
          .all(...chunk) as Array<{ id: string; n: number }>;
        for (const r of rows) add(r.id, `${table} scope`, r.n);
      }
    }
    return new Map([...found].map(([id, list]) => [id, list.join(', ')]));
  }

  /** Writes the planned rows and removals. The caller holds the transaction. */
  writeRegions(rows: RegionWrite[], removeIds: string[], onProgress: (fraction: number) => void = () => undefined): void {
    const insert = this.db.prepare(
      `INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = this.db.prepare(
      `UPDATE regions SET kind = ?, name = ?, parent_id = ?, geometry = ?, label_lon = ?, label_lat = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ?, area_km2 = ?
        WHERE id = ? AND level = ?`,
    );
    const remove = this.db.prepare('DELETE FROM regions WHERE id = ?');
    for (const id of removeIds) remove.run(id);
    for (const [i, r] of rows.entries()) {
      const geometry = JSON.stringify(r.geometry);
      if (r.action === 'insert') insert.run(r.id, r.level, r.kind, r.code, r.name, r.parentId, geometry, ...r.label, ...r.bbox, r.areaKm2);
      else update.run(r.kind, r.name, r.parentId, geometry, ...r.label, ...r.bbox, r.areaKm2, r.id, r.level);
      if (i % 500 === 0) onProgress(i / rows.length);
    }
    onProgress(1);
  }

  /** sha256 of every region row in id order: what "nothing was written" is checked against. */
  regionsHash(): string {
    const hash = createHash('sha256');
    for (const row of this.db.prepare('SELECT * FROM regions ORDER BY id').iterate()) hash.update(JSON.stringify(row));
    return hash.digest('hex');
  }
}
