import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/src/db/migrations.js';
import { migratePostgres, POSTGRES_SCHEMA_VERSION, postgresSchemaVersion } from '../../server/src/db/postgres-schema.js';
import { openStore, type Store } from '../../server/src/db/store.js';
import { cleanupAfterAll } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The PostgreSQL schema (postgres-schema.ts) against what a fresh SQLite database holds after every
 * migration: both read back with Kysely's introspection (one API for both) and each store's
 * catalog (indexes, keys, triggers), in one vocabulary, and diffed. A SQLite migration without
 * its PostgreSQL twin, or a twin that differs, fails here.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

/** Column types in one vocabulary. SQLite's declared type, PostgreSQL's type name. */
const TYPE: Readonly<Record<string, string>> = {
  integer: 'int',
  int8: 'int',
  real: 'float',
  float8: 'float',
  text: 'text',
  json: 'json',
  citext: 'text nocase',
};

/**
 * What only one side has, on purpose. SQLite: the FTS5 table of the address search with its
 * shadow tables and sync triggers, and AUTOINCREMENT's bookkeeping. PostgreSQL: the version
 * table (SQLite has PRAGMA user_version), the trigram index that replaces FTS5, and the refusal
 * of TRUNCATE (SQLite has no TRUNCATE).
 */
const SQLITE_ONLY = /^(column|table|pk|trigger) (address_search_fts\w*|sqlite_sequence)\b|^trigger address_search\.address_search_(insert|delete|update)$/;
const POSTGRES_ONLY = /^(column|table|pk) schema_version\b|^index address_search_trgm |^trigger audit_log\.audit_log_no_truncate$/;

type Facts = Set<string>;

async function sqliteFacts(store: Store): Promise<Facts> {
  const facts: string[] = [];
  const tables = await store.q().introspection.getTables();
  const ddl = new Map((await store.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).map((r) => [r.name, r.sql]));
  for (const t of tables) {
    const sql = ddl.get(t.name) ?? '';
    // a column SQLite checks with json_valid is `json` on PostgreSQL
    const json = new Set([...sql.matchAll(/json_valid\((\w+)\)/g)].map((m) => m[1]));
    const nocase = new Set([...sql.matchAll(/(\w+)\s+TEXT\b[^,\n]*COLLATE NOCASE/gi)].map((m) => m[1]));
    const pk = (await store.all<{ name: string }>('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', t.name)).map((r) => r.name);
    facts.push(`table ${t.name}`);
    if (pk.length > 0) facts.push(`pk ${t.name}(${pk.join(',')})`);
    for (const c of t.columns) {
      const type = json.has(c.name) ? 'json' : nocase.has(c.name) ? 'text nocase' : (TYPE[c.dataType.toLowerCase()] ?? `?${c.dataType}`);
      // an INTEGER PRIMARY KEY (the rowid) is reported nullable, yet never holds NULL
      const notNull = !c.isNullable || (pk.length === 1 && pk[0] === c.name);
      facts.push(`column ${t.name}.${c.name} ${type}${notNull ? ' not null' : ''}`);
    }
    for (const u of await store.all<{ name: string }>("SELECT name FROM pragma_index_list(?) WHERE origin = 'u'", t.name)) {
      const cols = (await store.all<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', u.name)).map((r) => r.name);
      facts.push(`unique ${t.name}(${cols.join(',')})`);
    }
    const fks = await store.all<{ id: number; table: string; from: string; to: string | null }>('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq', t.name);
    for (const id of new Set(fks.map((f) => f.id))) {
      const parts = fks.filter((f) => f.id === id);
      facts.push(`fk ${t.name}(${parts.map((p) => p.from).join(',')}) -> ${parts[0]!.table}(${parts.map((p) => p.to).join(',')})`);
    }
  }
  const indexes = await store.all<{ name: string; tbl: string; sql: string }>("SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
  for (const i of indexes) {
    const cols = (await store.all<{ name: string | null }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', i.name)).map((r) => r.name ?? 'expr');
    facts.push(`index ${i.name} on ${i.tbl}(${cols.join(',')})${/^CREATE UNIQUE/i.test(i.sql) ? ' unique' : ''}${/\bWHERE\b/i.test(i.sql) ? ' partial' : ''}`);
  }
  for (const t of await store.all<{ name: string; tbl: string }>("SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger'")) {
    facts.push(`trigger ${t.tbl}.${t.name}`);
  }
  const version = await store.get<{ user_version: number }>('PRAGMA user_version');
  facts.push(`version ${version?.user_version}`);
  return new Set(facts);
}

/** The columns of a key or index, by their attribute numbers (0: an expression). */
const ATTNAMES = (rel: string, keys: string) =>
  `array_to_string(ARRAY(SELECT COALESCE(a.attname, 'expr') FROM unnest(${keys}) WITH ORDINALITY k(n, o)
     LEFT JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.o), ',')`;

async function postgresFacts(store: Store): Promise<Facts> {
  const facts: string[] = [];
  for (const t of await store.q().introspection.getTables()) {
    facts.push(`table ${t.name}`);
    for (const c of t.columns) facts.push(`column ${t.name}.${c.name} ${TYPE[c.dataType] ?? `?${c.dataType}`}${c.isNullable ? '' : ' not null'}`);
  }
  const constraints = await store.all<{ tbl: string; type: string; cols: string; ref: string | null; ref_cols: string | null }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.contype AS type, ${ATTNAMES('c.conrelid', 'c.conkey')} AS cols,
            c.confrelid::regclass::text AS ref, ${ATTNAMES('c.confrelid', 'c.confkey')} AS ref_cols
       FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')`,
  );
  for (const c of constraints) {
    if (c.type === 'p') facts.push(`pk ${c.tbl}(${c.cols})`);
    if (c.type === 'u') facts.push(`unique ${c.tbl}(${c.cols})`);
    if (c.type === 'f') facts.push(`fk ${c.tbl}(${c.cols}) -> ${c.ref}(${c.ref_cols})`);
  }
  const indexes = await store.all<{ name: string; tbl: string; cols: string; is_unique: boolean; partial: boolean }>(
    `SELECT ic.relname AS name, i.indrelid::regclass::text AS tbl, ${ATTNAMES('i.indrelid', 'i.indkey::int2[]')} AS cols,
            i.indisunique AS is_unique, i.indpred IS NOT NULL AS partial
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE ic.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  for (const i of indexes) facts.push(`index ${i.name} on ${i.tbl}(${i.cols})${i.is_unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`);
  for (const t of await store.all<{ name: string; tbl: string }>(
    'SELECT t.tgname AS name, t.tgrelid::regclass::text AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace',
  )) {
    facts.push(`trigger ${t.tbl}.${t.name}`);
  }
  facts.push(`version ${await postgresSchemaVersion(store)}`);
  return new Set(facts);
}

/** What each side has that the other lacks, less the differences on purpose. */
function diff(sqlite: Facts, postgres: Facts): { onlySqlite: string[]; onlyPostgres: string[] } {
  return {
    onlySqlite: [...sqlite].filter((f) => !postgres.has(f) && !SQLITE_ONLY.test(f)).sort(),
    onlyPostgres: [...postgres].filter((f) => !sqlite.has(f) && !POSTGRES_ONLY.test(f)).sort(),
  };
}

async function freshSqlite(): Promise<Store> {
  const store = openStore(`${tempDir()}/agreement.sqlite`);
  later(() => store.close());
  return store;
}

async function freshPostgres(): Promise<Store> {
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  return store;
}

describe('PostgreSQL schema agrees with SQLite migrated to the latest version', () => {
  it('has the same tables, columns, types, nullability, keys, indexes, triggers and version', async () => {
    const sqlite = await sqliteFacts(await freshSqlite());
    const postgres = await postgresFacts(await freshPostgres());
    // the comparison covers the whole schema, not an empty set that trivially agrees
    expect(sqlite.size).toBeGreaterThan(400);
    // every type maps into the vocabulary (FTS5's untyped shadow tables are SQLite's own)
    expect([...sqlite].filter((f) => f.includes(' ?') && !SQLITE_ONLY.test(f))).toEqual([]);
    expect([...postgres].filter((f) => f.includes(' ?'))).toEqual([]);
    expect(diff(sqlite, postgres)).toEqual({ onlySqlite: [], onlyPostgres: [] });
  });

  it('every SQLite migration has its PostgreSQL twin: the latest versions match', () => {
    expect(POSTGRES_SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('reports a drift: a column made NOT NULL on PostgreSQL only, an index missing', async () => {
    const sqlite = await sqliteFacts(await freshSqlite());
    const drifted = await freshPostgres();
    await drifted.exec('ALTER TABLE teams ALTER COLUMN position_at SET NOT NULL; DROP INDEX events_item_lat');
    expect(diff(sqlite, await postgresFacts(drifted))).toEqual({
      onlySqlite: ['column teams.position_at text', 'index events_item_lat on events(item_code,lat)'],
      onlyPostgres: ['column teams.position_at text not null'],
    });
  });
});

describe('migratePostgres', () => {
  it('applies the baseline to an empty database, then does nothing on a current one', async () => {
    const store = openStore(await pg.cluster.createDatabase({ migrated: false }));
    later(() => store.close());
    expect(await postgresSchemaVersion(store)).toBeNull();
    expect(await migratePostgres(store)).toBe(POSTGRES_SCHEMA_VERSION);
    const before = await store.all('SELECT * FROM schema_version ORDER BY version');
    const users = await store.all('SELECT id FROM users ORDER BY id');
    expect(users).toEqual([{ id: 'builtin-public-reports' }]);
    expect(await migratePostgres(store)).toBe(POSTGRES_SCHEMA_VERSION);
    expect(await store.all('SELECT * FROM schema_version ORDER BY version')).toEqual(before);
    expect(await store.all('SELECT id FROM users ORDER BY id')).toEqual(users);
  });

  it('refuses a database that has tables but no schema_version, and changes nothing', async () => {
    const store = openStore(await pg.cluster.createDatabase({ migrated: false }));
    later(() => store.close());
    await store.exec('CREATE TABLE someone_elses (id int)');
    await expect(migratePostgres(store)).rejects.toThrow(/has tables but no schema_version/);
    expect(await store.all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ tablename: 'someone_elses' }]);
  });

  it('refuses a database whose locale would drop Chinese characters from the address search', async () => {
    const admin = openStore(pg.cluster.url('postgres'));
    later(() => admin.close());
    await admin.exec("CREATE DATABASE latin TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    const store = openStore(pg.cluster.url('latin'));
    later(() => store.close());
    await expect(migratePostgres(store)).rejects.toThrow(/needs UTF8 with C\.UTF-8/);
    expect(await postgresSchemaVersion(store)).toBeNull();
  });
});

describe('the schema behaves the same on both stores', () => {
  const stores = async (): Promise<Array<[string, Store]>> => [
    ['sqlite', await freshSqlite()],
    ['postgres', await freshPostgres()],
  ];

  it('the audit log is append-only and hash-chained', async () => {
    const insert = (s: Store, seq: number, prev: string) =>
      s.run(
        "INSERT INTO audit_log (seq, at, action, result, prev_hash, hash) VALUES (?, '2026-12-03T08:00:00.000Z', 'login', 'success', ?, ?)",
        seq,
        prev,
        `${seq}`.repeat(64).slice(0, 64),
      );
    for (const [, s] of await stores()) {
      await insert(s, 1, '0'.repeat(64));
      await insert(s, 2, '1'.repeat(64));
      await expect(insert(s, 4, '2'.repeat(64))).rejects.toThrow(/must extend the chain/);
      await expect(insert(s, 3, 'f'.repeat(64))).rejects.toThrow(/must extend the chain/);
      await expect(s.run("UPDATE audit_log SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(s.run('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
      if (s.dialect === 'postgres') await expect(s.run('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      await expect(s.run("INSERT INTO audit_log (seq, at, action, result, prev_hash, hash) VALUES (3, '2026-12-03 08:00', 'x', 'success', ?, ?)", '2'.repeat(64), '3'.repeat(64))).rejects.toThrow(/CHECK|check constraint/i);
      expect(await s.all('SELECT seq, action FROM audit_log ORDER BY seq')).toEqual([
        { seq: 1, action: 'login' },
        { seq: 2, action: 'login' },
      ]);
    }
  });

  it('the address search follows households and regions: same ids, same towns', async () => {
    const results: unknown[] = [];
    for (const [, s] of await stores()) {
      const region = (id: string, level: string, parent: string | null) =>
        s.run(
          "INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2) VALUES (?, ?, 'x', ?, ?, ?, '{}', 0, 0, 0, 0, 0, 0, 0)",
          id,
          level,
          id,
          `区域${id}`,
          parent,
        );
      for (const [id, level, parent] of [
        ['T1', 'town', null], ['T2', 'town', null], ['V1', 'village', 'T1'], ['V2', 'village', 'T2'], ['G1', 'grid', 'V1'], ['M1', 'microgrid', 'G1'],
      ] as const) {
        await region(id, level, parent);
      }
      const household = (code: string, address: string) =>
        s.run("INSERT INTO households (address_code, micro_grid_id, address, head_name, members, lon, lat) VALUES (?, 'M1', ?, '张三', 3, 0, 0)", code, address);
      await household('H1', 'T县城关镇新村3组5号');
      await household('H2', 'T县城关镇新村3组7号');
      await household('H3', 'T县城关镇新村12号');
      await s.run("UPDATE households SET address = 'T县城关镇新村3组5号附1' WHERE address_code = 'H1'");
      await s.run("UPDATE regions SET parent_id = 'V2' WHERE id = 'G1'");
      await s.run("DELETE FROM households WHERE address_code = 'H2'");
      results.push(await s.all('SELECT id, code, address, town_id FROM address_search ORDER BY id'));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual([
      { id: 10 * 2 ** 32 + 1, code: 'H3', address: 'T县城关镇新村12号', town_id: 'T2' },
      { id: 13 * 2 ** 32 + 1, code: 'H1', address: 'T县城关镇新村3组5号附1', town_id: 'T2' },
    ]);
  });
});
