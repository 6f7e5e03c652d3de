import { createHash } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { Store } from '../../db/store.js';
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

/** Rows a region hash reads per statement (a province holds 450,000 micro-grids with their polygons). */
const HASH_PAGE = 2_000;

/** The rows an import reads and writes: regions, and what references them. */
export class ImportsRepo {
  constructor(private readonly store: Store) {}

  async regions(level: Level | null): Promise<StoredRegion[]> {
    if (!level) return [];
    const rows = await this.store.all<RegionRow>('SELECT id, code, name, kind, parent_id, geometry, label_lon, label_lat FROM regions WHERE level = ? ORDER BY code', level);
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
  async surroundings(level: GridImportLevel) {
    return {
      existing: await this.regions(level),
      parents: await this.regions(LEVEL_ABOVE[level]),
      children: await this.regions(LEVEL_BELOW[level]),
      otherLevelCodes: new Set((await this.store.all<{ code: string }>('SELECT code FROM regions WHERE level <> ? ORDER BY code', level)).map((r) => r.code)),
    };
  }

  /** The application's tables and every column that references regions, by table and column name. */
  private async schema(): Promise<{ tables: string[]; columns: Array<{ table: string; column: string }> }> {
    const { store } = this;
    if (store.dialect === 'postgres') {
      const tables = (await store.all<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).map((t) => t.name);
      const columns = await store.all<{ table: string; column: string }>(
        `SELECT cl.relname AS "table", a.attname AS "column"
           FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid
           JOIN pg_namespace ns ON ns.oid = cl.relnamespace AND ns.nspname = current_schema()
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.contype = 'f' AND c.confrelid = 'regions'::regclass
          ORDER BY cl.relname, a.attname`,
      );
      return { tables, columns };
    }
    const tables = (await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map((t) => t.name);
    const columns: Array<{ table: string; column: string }> = [];
    for (const table of tables) {
      const fks = await store.all<{ target: string; column: string }>('SELECT "table" AS target, "from" AS "column" FROM pragma_foreign_key_list(?) ORDER BY "from"', table);
      for (const fk of fks) if (fk.target === 'regions') columns.push({ table, column: fk.column });
    }
    return { tables, columns };
  }

  /**
   * What still references each region, e.g. `events.town_id 12, households.micro_grid_id 40`
   * (by table and column name). Found from the schema itself (every foreign key to regions,
   * whichever migration added it), plus the town scopes of accounts and API keys, which are JSON lists.
   */
  async references(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string[]>();
    if (ids.length === 0) return new Map();
    const { tables, columns } = await this.schema();
    const elements = this.store.dialect === 'postgres' ? (table: string) => `json_array_elements_text("${table}".scope_towns::json) AS j(value)` : (table: string) => `json_each("${table}".scope_towns) j`;
    const add = (id: string, what: string, n: number) => found.set(id, [...(found.get(id) ?? []), `${what} ${n}`]);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const marks = chunk.map(() => '?').join(',');
      for (const { table, column } of columns) {
        const rows = await this.store.all<{ id: string; n: number }>(`SELECT "${column}" AS id, COUNT(*) AS n FROM "${table}" WHERE "${column}" IN (${marks}) GROUP BY "${column}" ORDER BY "${column}"`, ...chunk);
        for (const r of rows) add(r.id, table === 'regions' ? 'regions below' : `${table}.${column}`, r.n);
      }
      for (const table of ['users', 'api_keys']) {
        if (!tables.includes(table)) continue;
        const rows = await this.store.all<{ id: string; n: number }>(
          `SELECT j.value AS id, COUNT(*) AS n FROM "${table}", ${elements(table)} WHERE "${table}".scope_towns IS NOT NULL AND j.value IN (${marks}) GROUP BY j.value ORDER BY j.value`,
          ...chunk,
        );
        for (const r of rows) add(r.id, `${table} scope`, r.n);
      }
    }
    return new Map([...found].map(([id, list]) => [id, list.join(', ')]));
  }

  /** Writes the planned rows and removals. Call inside a store transaction. */
  async writeRegions(rows: RegionWrite[], removeIds: string[], onProgress: (fraction: number) => void = () => undefined): Promise<void> {
    for (const id of removeIds) await this.store.run('DELETE FROM regions WHERE id = ?', id);
    for (const [i, r] of rows.entries()) {
      const geometry = JSON.stringify(r.geometry);
      if (r.action === 'insert') {
        await this.store.run(
          `INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          r.id, r.level, r.kind, r.code, r.name, r.parentId, geometry, ...r.label, ...r.bbox, r.areaKm2,
        );
      } else {
        await this.store.run(
          `UPDATE regions SET kind = ?, name = ?, parent_id = ?, geometry = ?, label_lon = ?, label_lat = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ?, area_km2 = ?
            WHERE id = ? AND level = ?`,
          r.kind, r.name, r.parentId, geometry, ...r.label, ...r.bbox, r.areaKm2, r.id, r.level,
        );
      }
      if (i % 500 === 0) onProgress(i / rows.length);
    }
    onProgress(1);
  }

  /** sha256 of every region row in id order: what "nothing was written" is checked against (read a page at a time). */
  async regionsHash(): Promise<string> {
    const hash = createHash('sha256');
    let after: string | null = null;
    for (;;) {
      const rows: Array<Record<string, unknown> & { id: string }> =
        after === null
          ? await this.store.all('SELECT * FROM regions ORDER BY id LIMIT ?', HASH_PAGE)
          : await this.store.all('SELECT * FROM regions WHERE id > ? ORDER BY id LIMIT ?', after, HASH_PAGE);
      for (const row of rows) hash.update(JSON.stringify(row));
      if (rows.length < HASH_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    return hash.digest('hex');
  }
}
