/**
 * Migration 16, unified address search (统一地址): any part of a household's Chinese address
 * finds it, through an FTS5 index with the trigram tokenizer (SQLite ≥ 3.34; better-sqlite3 12
 * bundles 3.53). Trigrams need no word segmentation, so "城关镇", "新村3组" or the middle of a
 * room number match as typed; they also serve `LIKE '%…%'` of three or more characters.
 *
 * The FTS table reads its text from `address_search`, a plain table with an INTEGER PRIMARY
 * KEY: an external-content FTS table needs rowids that never change, and the rowids of
 * `households` (a TEXT primary key) may be renumbered by VACUUM. `address_search` also serves
 * the one- and two-character queries trigrams cannot (a scan of this narrow table), and holds
 * each household's town, so a town-scoped search filters without reading the regions.
 *
 * The id is the rank: the address's length in the high 32 bits, a running number (registration
 * order) in the low ones (ADDRESS_ID). "Shortest address first" — the search's order, which puts
 * the exact address first, as it is the shortest that can hold the text — is then the FTS
 * index's own rowid order: a search reads matches in order and stops at its limit instead of
 * ranking all of them (64,000 for the county's name and a town's first character).
 *
 * Triggers keep both in step with `households` whoever writes it (the demo seeder, the GIS and
 * roster import, a hand edit), inside the writer's own transaction; a new address text takes a
 * new id (its length may differ).
 */

/** The town above a micro-grid (micro-grid → grid → village → town), as a scalar subquery. */
const TOWN_OF = (microGridId: string) =>
  `(SELECT v.parent_id FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id WHERE m.id = ${microGridId})`;

/** Bits of an id below the length: a running number per length. */
const ADDRESS_ID_SHIFT = 32;

/** The next id for an address: its length, then one past the last running number of that length (a range of the primary key). */
const ADDRESS_ID = (address: string) =>
  `ifnull((SELECT max(id) FROM address_search WHERE id >= (length(${address}) << ${ADDRESS_ID_SHIFT}) AND id < ((length(${address}) + 1) << ${ADDRESS_ID_SHIFT})), length(${address}) << ${ADDRESS_ID_SHIFT}) + 1`;

const INSERT_HOUSEHOLD = (row: string) =>
  `INSERT INTO address_search (id, code, address, town_id) VALUES (${ADDRESS_ID(`${row}.address`)}, ${row}.address_code, ${row}.address, ${TOWN_OF(`${row}.micro_grid_id`)});`;

export const ADDRESSES_MIGRATION_SQL = `
  CREATE TABLE IF NOT EXISTS address_search (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    town_id TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS address_search_town ON address_search(town_id);

  CREATE VIRTUAL TABLE IF NOT EXISTS address_search_fts USING fts5(
    address,
    content = 'address_search',
    content_rowid = 'id',
    tokenize = 'trigram'
  );

  -- households → address_search
  CREATE TRIGGER IF NOT EXISTS households_address_insert AFTER INSERT ON households BEGIN
    ${INSERT_HOUSEHOLD('new')}
  END;
  CREATE TRIGGER IF NOT EXISTS households_address_delete AFTER DELETE ON households BEGIN
    DELETE FROM address_search WHERE code = old.address_code;
  END;
  CREATE TRIGGER IF NOT EXISTS households_address_update AFTER UPDATE OF address_code, address ON households BEGIN
    DELETE FROM address_search WHERE code = old.address_code;
    ${INSERT_HOUSEHOLD('new')}
  END;
  CREATE TRIGGER IF NOT EXISTS households_address_town AFTER UPDATE OF micro_grid_id ON households BEGIN
    UPDATE address_search SET town_id = ${TOWN_OF('new.micro_grid_id')} WHERE code = new.address_code;
  END;
  -- a micro-grid, grid or village moved under another parent (a GIS import): its households' town
  CREATE TRIGGER IF NOT EXISTS regions_address_town AFTER UPDATE OF parent_id ON regions WHEN old.parent_id IS NOT new.parent_id BEGIN
    UPDATE address_search
       SET town_id = (SELECT ${TOWN_OF('h.micro_grid_id')} FROM households h WHERE h.address_code = address_search.code)
     WHERE code IN (
       SELECT address_code FROM households WHERE micro_grid_id IN (
         SELECT new.id WHERE new.level = 'microgrid'
         UNION ALL SELECT id FROM regions WHERE parent_id = new.id AND new.level = 'grid'
         UNION ALL SELECT m.id FROM regions g JOIN regions m ON m.parent_id = g.id WHERE g.parent_id = new.id AND new.level = 'village'));
  END;

  -- address_search → its FTS index (the documented external-content procedure)
  CREATE TRIGGER IF NOT EXISTS address_search_insert AFTER INSERT ON address_search BEGIN
    INSERT INTO address_search_fts (rowid, address) VALUES (new.id, new.address);
  END;
  CREATE TRIGGER IF NOT EXISTS address_search_delete AFTER DELETE ON address_search BEGIN
    INSERT INTO address_search_fts (address_search_fts, rowid, address) VALUES ('delete', old.id, old.address);
  END;
  CREATE TRIGGER IF NOT EXISTS address_search_update AFTER UPDATE OF address ON address_search BEGIN
    INSERT INTO address_search_fts (address_search_fts, rowid, address) VALUES ('delete', old.id, old.address);
    INSERT INTO address_search_fts (rowid, address) VALUES (new.id, new.address);
  END;

  -- the households already there (a county seeded before this version), in code order within each
  -- length; none when the index exists already (a database set back to an older version to test a
  -- migration keeps it, and the triggers kept it in step)
  INSERT INTO address_search (id, code, address, town_id)
  SELECT (length(address) << ${ADDRESS_ID_SHIFT}) + row_number() OVER (PARTITION BY length(address) ORDER BY address_code),
         address_code, address, ${TOWN_OF('micro_grid_id')}
    FROM households
   WHERE NOT EXISTS (SELECT 1 FROM address_search);

  -- open cases at an address, for the place card
  CREATE INDEX IF NOT EXISTS events_address_code ON events(address_code) WHERE address_code IS NOT NULL;
`;
