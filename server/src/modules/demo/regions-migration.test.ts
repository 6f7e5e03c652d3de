import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../db/connection.js';
import { seedDemo } from './seed.js';

const dir = mkdtempSync(join(tmpdir(), 'gridcommand-m21-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDE = "CHECK (level IN ('province','city','county','town','village','grid','microgrid'))";
const NARROW = "CHECK (level IN ('county','town','village','grid','microgrid'))";

const schemaOf = (db: Db) =>
  db.prepare("SELECT type, name, replace(replace(sql, '\"regions\"', 'regions'), ?, ?) AS sql FROM sqlite_schema WHERE tbl_name = 'regions' ORDER BY type, name").all(WIDE, NARROW);
const rowsOf = (db: Db) => db.prepare('SELECT * FROM regions ORDER BY id').raw().all();

/** Turns a migrated file back into a version-20 one: the narrow CHECK, by the same rebuild. */
function backToVersion20(db: Db): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'regions'").pluck().get() as string;
  const dependants = db.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'regions' AND type IN ('index', 'trigger') AND sql IS NOT NULL").pluck().all() as string[];
  db.pragma('foreign_keys = OFF');
  db.pragma('legacy_alter_table = ON');
  db.exec(table.replace(WIDE, NARROW).replace(/^CREATE TABLE "?regions"?/, 'CREATE TABLE regions_old'));
  db.exec('INSERT INTO regions_old SELECT * FROM regions; DROP TABLE regions; ALTER TABLE regions_old RENAME TO regions');
  for (const sql of dependants) db.exec(sql);
  db.pragma('user_version = 20');
}

describe('migration 21: regions above the county', () => {
  it('widens regions.level to province and city, keeping every row, column, index, trigger and foreign key', () => {
    const file = join(dir, 'v20.db');
    const db = openDatabase(file);
    seedDemo(db, {
      seed: 7, towns: 3, villages: 8, grids: 24, microGrids: 100, workers: 60, fullTimeWorkers: 24,
      householdsPerMicroGrid: 2, days: 1, eventsPerDay: 20, asOf: new Date('2026-11-20T00:00:00+08:00'),
    });
    const rows = rowsOf(db);
    const schema = schemaOf(db);
    backToVersion20(db);
    db.close();

    const old = openDatabase(file);
    // (reopened: openDatabase ran migration 21, and those after it, on the version-20 file)
    expect(old.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(21);
    expect(rowsOf(old)).toEqual(rows);
    expect(schemaOf(old)).toEqual(schema);
    // what migrations 1 and 16 made on the table (the CHECK alone has changed)
    expect(schemaOf(old).map((s) => (s as { name: string }).name)).toEqual(
      expect.arrayContaining(['regions', 'regions_level', 'regions_parent', 'regions_address_town']),
    );
    expect(old.pragma('foreign_key_check')).toEqual([]);
    const insert = old.prepare(
      `INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2)
       VALUES (?, ?, ?, ?, ?, ?, '{}', 0, 0, 0, 0, 0, 0, 0)`,
    );
    insert.run('330000', 'province', 'province', '330000', '浙江省', null);
    insert.run('330800', 'city', 'city', '330800', 'T市', '330000');
    expect(() => insert.run('1', 'nation', 'nation', '1', 'x', null)).toThrow(/CHECK constraint/);
    // the parent still has to exist
    expect(() => insert.run('339900', 'city', 'city', '339900', 'x', 'nowhere')).toThrow(/FOREIGN KEY/);
    // and run again over itself (a database set back to an older version keeps the wide CHECK): nothing changes
    old.pragma('user_version = 20');
    migrate(old);
    expect(old.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(21);
    expect(rowsOf(old).length).toBe(rows.length + 2);
    expect(schemaOf(old)).toEqual(schema);
    old.close();
  });
});
