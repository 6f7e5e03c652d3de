import type { Db } from './connection.js';
import { PUBLIC_ACCOUNT_ID } from './migration-open311.js';
import { POSTGRES_SCHEMA_VERSION, postgresSchemaVersion } from './postgres-schema.js';
import type { Store } from './store.js';

/**
 * Copies a county's SQLite database into PostgreSQL (issue 15 part 3, docs/POSTGRES.md, "Copying a
 * county's SQLite database to PostgreSQL"): every application table of a migrated GridCommand SQLite
 * database into a freshly migrated, empty PostgreSQL database, every row and every value as the
 * repositories read them, in one PostgreSQL transaction (all or nothing).
 *
 * What is copied and how:
 *  - the tables of SQLite's `pragma_table_list` of type 'table' (FTS5's virtual and shadow tables
 *    and sqlite_* are not) must be the tables of PostgreSQL's schema but `schema_version`, and each
 *    table's columns the same names on both sides; a difference is refused, naming it.
 *  - the schema versions must agree: SQLite's `user_version`, PostgreSQL's `schema_version` and
 *    this code's POSTGRES_SCHEMA_VERSION.
 *  - tables in foreign-key order (a topological sort of `pragma_foreign_key_list`), rows in primary
 *    key order; a table that references itself (regions.parent_id, events.master_id) by depth,
 *    parents first, since PostgreSQL's foreign keys are not DEFERRABLE and a chunk is checked at
 *    the end of its own statement.
 *  - multi-row INSERTs of `chunkRows` rows (fewer where 65,535 parameters would not hold them),
 *    values as parameters. Every value is checked against its PostgreSQL column first: a text
 *    column takes a string (without NUL, which PostgreSQL text cannot hold), an integer column a
 *    whole number, a floating one a number, so nothing is silently converted (today's tables are
 *    STRICT, but a table that is not may hold any type in any column). json columns receive SQLite's text unchanged (json keeps it
 *    byte for byte). Integers are read exactly (beyond 2^53 too).
 *  - identity columns take the source's ids (OVERRIDING SYSTEM VALUE where GENERATED ALWAYS); then
 *    every sequence is set so the next id is the one SQLite would give: past MAX(id), and past
 *    `sqlite_sequence` for an AUTOINCREMENT table.
 *  - audit_log: its chain trigger accepts a record only as the next seq linked to the last hash; a
 *    row trigger sees the rows an INSERT wrote before it, so chunks in seq order extend the chain
 *    as the server did, no trigger is disabled. Every record is then read back and compared field
 *    by field with the source, so the chain verifies on PostgreSQL exactly as it does on SQLite
 *    (the verifier is a module's, which db/ may not import).
 *  - address_search: PostgreSQL's households insert trigger would fill it as households are
 *    copied; the copy holds that trigger off for its transaction and copies the source's rows last,
 *    so the ids (the search's rank) are the source's (see DERIVED_TABLES).
 *  - the built-in account the baseline migration inserts (users.builtin-public-reports) is the only
 *    row an empty target may hold; it is replaced by the source's own (its timestamps).
 *
 * The target must be empty (freshly migrated): anything else is refused before a row is written.
 * The source is read inside one read transaction (a consistent snapshot) unless the caller has
 * one open; nothing may write to it meanwhile (the CLI opens the file read-only). Afterwards the
 * row count of every table is compared on both sides, inside the transaction.
 */

export interface CopyProgress {
  /** The table being copied. */
  table: string;
  /** Its rows copied so far. */
  rows: number;
  /** Its rows in all. */
  total: number;
}

export interface CopyOptions {
  /** Called after each chunk (and once for an empty table), inside the target's transaction. */
  onProgress?: (p: CopyProgress) => void;
  /** Rows per INSERT (default 500). */
  chunkRows?: number;
}

export interface CopyReport {
  /** In copy order. */
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  ms: number;
}

export class CopyError extends Error {
  override name = 'CopyError';
}

const DEFAULT_CHUNK_ROWS = 500;
/** PostgreSQL's limit of bind parameters in one statement. */
const MAX_PARAMETERS = 65_535;
/** postgres-schema.ts's migration lock: a copy and a migration of one database do not interleave. */
const MIGRATION_LOCK_KEY = 0x6772_6964;
/** Tables on PostgreSQL only, on purpose (pg-schema-agreement.test.ts). */
const POSTGRES_ONLY_TABLES = new Set(['schema_version']);
/**
 * Tables PostgreSQL's triggers fill from other tables' rows, copied after every other table, and
 * the triggers that fill them on insert. The copy holds those triggers off for its transaction:
 * what they would write is replaced by the source's rows anyway, and for a county's 130,000
 * households they would write and then delete as many trigram-indexed rows. Where the copy may not
 * alter the table (not its owner), the triggers run and their rows are deleted before the copy.
 */
const DERIVED_TABLES: Record<string, Array<{ table: string; trigger: string }>> = {
  address_search: [{ table: 'households', trigger: 'households_address_insert' }],
};
/** Rows the PostgreSQL baseline inserts: an empty target holds them, the source's replace them. */
const MIGRATION_ROWS: Array<{ table: string; where: string; args: unknown[] }> = [{ table: 'users', where: 'id = ?', args: [PUBLIC_ACCOUNT_ID] }];

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const fail = (message: string): never => {
  throw new CopyError(`copy to PostgreSQL: ${message}`);
};

interface PgColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_identity: string;
  identity_generation: string | null;
}

type Kind = 'text' | 'integer' | 'float' | 'bytes' | 'boolean';

function kindOf(c: PgColumn): Kind {
  switch (c.data_type) {
    case 'text':
    case 'character varying':
    case 'character':
    case 'json':
    case 'jsonb':
      return 'text';
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'integer';
    case 'double precision':
    case 'real':
    case 'numeric':
      return 'float';
    case 'bytea':
      return 'bytes';
    case 'boolean':
      return 'boolean';
    case 'USER-DEFINED':
      if (c.udt_name === 'citext') return 'text';
  }
  return fail(`${c.table_name}.${c.column_name} has type ${c.data_type} (${c.udt_name}) on PostgreSQL, which this copier does not know`);
}

/** The value as PostgreSQL receives it, or a description of what is wrong with it. */
function convert(value: unknown, kind: Kind): { ok: true; value: unknown } | { ok: false; why: string } {
  if (value === null) return { ok: true, value };
  switch (kind) {
    case 'text':
      if (typeof value !== 'string') return { ok: false, why: `a ${typeof value === 'object' ? 'blob' : typeof value} (${String(value).slice(0, 40)}) in a text column` };
      if (value.includes('\u0000')) return { ok: false, why: 'a NUL character, which PostgreSQL text cannot hold' };
      return { ok: true, value };
    case 'integer':
      if (typeof value === 'bigint') return { ok: true, value: Number.isSafeInteger(Number(value)) ? Number(value) : value.toString() };
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      return { ok: false, why: `${typeof value === 'string' ? 'text' : 'a non-integer'} (${String(value).slice(0, 40)}) in an integer column` };
    case 'float':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'bigint') {
        const n = Number(value);
        return BigInt(n) === value ? { ok: true, value: n } : { ok: false, why: `the integer ${value}, which a double cannot hold exactly` };
      }
      return { ok: false, why: `${typeof value === 'string' ? 'text' : 'a blob'} (${String(value).slice(0, 40)}) in a floating-point column` };
    case 'bytes':
      return Buffer.isBuffer(value) ? { ok: true, value } : { ok: false, why: `a ${typeof value} in a bytea column` };
    case 'boolean':
      return value === 0n || value === 1n || value === 0 || value === 1 ? { ok: true, value: Number(value) === 1 } : { ok: false, why: `${String(value)} in a boolean column` };
  }
}

interface TablePlan {
  table: string;
  columns: string[];
  kinds: Kind[];
  /** The SELECT giving the rows in copy order. */
  select: string;
  /** Primary key columns (or rowid), to name a row in an error. */
  key: string[];
  overriding: boolean;
}

/** Tables in foreign-key order: every table after those it references (ties by name). */
function foreignKeyOrder(source: Db, tables: string[]): string[] {
  const refs = new Map(
    tables.map((t) => [
      t,
      (source.prepare('SELECT DISTINCT "table" AS ref FROM pragma_foreign_key_list(?) ORDER BY ref').all(t) as Array<{ ref: string }>)
        .map((r) => r.ref)
        .filter((r) => r !== t),
    ]),
  );
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (t: string, path: string[]) => {
    if (done.has(t)) return;
    if (path.includes(t)) fail(`the foreign keys form a cycle (${[...path.slice(path.indexOf(t)), t].join(' → ')}); it cannot be copied table by table`);
    for (const r of refs.get(t) ?? []) {
      if (!refs.has(r)) fail(`${t} references ${r}, which is not a table of the SQLite database`);
      visit(r, [...path, t]);
    }
    done.add(t);
    order.push(t);
  };
  for (const t of tables) visit(t, []);
  const derived = (t: string) => Object.hasOwn(DERIVED_TABLES, t);
  return [...order.filter((t) => !derived(t)), ...order.filter(derived)];
}

/**
 * The SELECT of a table's rows in copy order: by primary key (rowid without one); a table that
 * references itself by depth first (roots at 0, a child one past its deepest parent), so every
 * parent is inserted in an earlier chunk or earlier in the same statement.
 */
function selectInOrder(source: Db, table: string, columns: string[]): { select: string; key: string[] } {
  const pk = (source.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(table) as Array<{ name: string }>).map((r) => r.name);
  const key = pk.length ? pk : ['rowid'];
  const cols = columns.map((c) => `t.${q(c)}`).join(', ');
  const orderKey = key.map((c) => (c === 'rowid' ? 't.rowid' : `t.${q(c)}`)).join(', ');
  const self = source.prepare('SELECT id, "from" AS child, "to" AS parent FROM pragma_foreign_key_list(?) WHERE "table" = ? ORDER BY id, seq').all(table, table) as Array<{
    id: number;
    child: string;
    parent: string | null;
  }>;
  if (self.length === 0) return { select: `SELECT ${cols} FROM ${q(table)} t ORDER BY ${orderKey}`, key };
  if (new Set(self.map((s) => s.id)).size !== self.length) fail(`${table} references itself through a key of several columns, which this copier does not order`);
  const withoutRowid = (source.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table) as { wr: number }).wr;
  if (withoutRowid) fail(`${table} references itself and has no rowid, which this copier does not order`);
  const parentOf = (s: (typeof self)[number]) => s.parent ?? (pk.length === 1 ? pk[0]! : fail(`${table}.${s.child} references the key of ${table}, which is not one column`));
  const roots = self.map((s) => `${q(s.child)} IS NULL`).join(' AND ');
  const steps = self
    .map((s) => `SELECT c.rowid, d.depth + 1 FROM depth_of d JOIN ${q(table)} p ON p.rowid = d.rid JOIN ${q(table)} c ON c.${q(s.child)} = p.${q(parentOf(s))}`)
    .join(' UNION ALL ');
  return {
    select: `WITH RECURSIVE depth_of(rid, depth) AS (SELECT rowid, 0 FROM ${q(table)} WHERE ${roots} UNION ALL ${steps})
      SELECT ${cols} FROM ${q(table)} t JOIN (SELECT rid, MAX(depth) AS depth FROM depth_of GROUP BY rid) d ON d.rid = t.rowid
      ORDER BY d.depth, ${orderKey}`,
    key,
  };
}

/**
 * Tables read back after the copy and compared with the source value by value: the audit trail,
 * whose hashes cover its fields' exact text. With the chain trigger having checked every link on
 * insert, equal fields mean the chain verifies on PostgreSQL exactly as it does on SQLite.
 */
const COMPARED_TABLES = ['audit_log'];

/** Compares a table's rows on both sides, a page at a time in key order; names the first difference. */
async function compareRows(source: Db, target: Store, p: TablePlan): Promise<void> {
  if (p.key.length !== 1 || p.key[0] === 'rowid') fail(`${p.table}: compared tables need a one-column primary key`);
  const key = p.key[0]!;
  const cols = p.columns.map(q).join(', ');
  const page = 5_000;
  let last: unknown = null;
  for (;;) {
    const where = last === null ? '' : `WHERE ${q(key)} > ?`;
    const args = last === null ? [] : [last];
    const theirs = await target.all<Record<string, unknown>>(`SELECT ${cols} FROM ${q(p.table)} ${where} ORDER BY ${q(key)} LIMIT ${page}`, ...args);
    const ours = source.prepare(`SELECT ${cols} FROM ${q(p.table)} ${where} ORDER BY ${q(key)} LIMIT ${page}`).all(...args) as Array<Record<string, unknown>>;
    if (theirs.length !== ours.length) fail(`${p.table}: ${ours.length} rows on SQLite, ${theirs.length} on PostgreSQL after ${key} ${String(last)}`);
    for (let r = 0; r < ours.length; r++) {
      for (const c of p.columns) {
        if (ours[r]![c] !== theirs[r]![c]) {
          fail(`${p.table}.${c} of ${key}=${String(ours[r]![key])} reads ${JSON.stringify(theirs[r]![c])} on PostgreSQL, ${JSON.stringify(ours[r]![c])} on SQLite`);
        }
      }
    }
    if (ours.length < page) return;
    last = ours.at(-1)![key];
  }
}

function tableList(source: Db): string[] {
  return (
    source.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as Array<{ name: string }>
  ).map((r) => r.name);
}

/** Refusals that need no transaction: the schema versions, the tables and columns of both sides. */
async function plan(source: Db, target: Store, chunkRows: number): Promise<{ order: TablePlan[] }> {
  if (target.dialect !== 'postgres') fail('the target store is not PostgreSQL');
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) fail(`chunkRows must be a whole number ≥ 1 (got ${chunkRows})`);
  const sourceVersion = source.pragma('user_version', { simple: true }) as number;
  const targetVersion = await postgresSchemaVersion(target);
  if (targetVersion === null) return fail('the PostgreSQL database has no schema_version: migrate it first (migratePostgres)');
  if (targetVersion !== POSTGRES_SCHEMA_VERSION) {
    fail(`the PostgreSQL database is at schema version ${targetVersion}, this server's is ${POSTGRES_SCHEMA_VERSION}: migrate it with this server (migratePostgres)`);
  }
  if (sourceVersion !== targetVersion) {
    const hint = sourceVersion < targetVersion ? 'open it once with this server (it migrates on start)' : 'it was written by a newer server';
    fail(`the SQLite database is at schema version ${sourceVersion}, the PostgreSQL database at ${targetVersion}: ${hint}`);
  }

  const tables = tableList(source);
  const pgColumns = await target.all<PgColumn>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_identity, c.identity_generation
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const pgTables = new Map<string, PgColumn[]>();
  for (const c of pgColumns) {
    if (POSTGRES_ONLY_TABLES.has(c.table_name)) continue;
    pgTables.set(c.table_name, [...(pgTables.get(c.table_name) ?? []), c]);
  }
  const onlySqlite = tables.filter((t) => !pgTables.has(t));
  const onlyPostgres = [...pgTables.keys()].filter((t) => !tables.includes(t)).sort();
  if (onlySqlite.length || onlyPostgres.length) {
    fail(
      [onlySqlite.length ? `table(s) only on SQLite: ${onlySqlite.join(', ')}` : '', onlyPostgres.length ? `table(s) only on PostgreSQL: ${onlyPostgres.join(', ')}` : '']
        .filter(Boolean)
        .join('; '),
    );
  }

  const order: TablePlan[] = [];
  for (const table of foreignKeyOrder(source, tables)) {
    // table_xinfo: hidden and generated columns too, so a difference there is seen rather than skipped
    const columns = (source.prepare('SELECT name FROM pragma_table_xinfo(?) ORDER BY cid').all(table) as Array<{ name: string }>).map((r) => r.name);
    const pg = pgTables.get(table)!;
    const pgNames = new Set(pg.map((c) => c.column_name));
    const missing = columns.filter((c) => !pgNames.has(c));
    const extra = pg.map((c) => c.column_name).filter((c) => !columns.includes(c));
    if (missing.length || extra.length) {
      fail(
        `the columns of ${table} differ: ${[missing.length ? `only on SQLite ${missing.join(', ')}` : '', extra.length ? `only on PostgreSQL ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}`,
      );
    }
    const byName = new Map(pg.map((c) => [c.column_name, c]));
    const { select, key } = selectInOrder(source, table, columns);
    order.push({
      table,
      columns,
      kinds: columns.map((c) => kindOf(byName.get(c)!)),
      select,
      key,
      overriding: pg.some((c) => c.is_identity === 'YES' && c.identity_generation === 'ALWAYS'),
    });
  }
  return { order };
}

/** Tables of the target holding rows beyond the baseline's own: the target is not empty. */
async function nonEmpty(target: Store, tables: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    const own = MIGRATION_ROWS.filter((m) => m.table === table);
    const exclude = own.map((m) => `NOT (${m.where})`).join(' AND ');
    const row = await target.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}${exclude ? ` WHERE ${exclude}` : ''}`, ...own.flatMap((m) => m.args));
    if (row && row.n > 0) found.push(`${table} (${row.n.toLocaleString('en-US')} ${row.n === 1 ? 'row' : 'rows'})`);
  }
  return found;
}

/** The next id SQLite would give an INTEGER PRIMARY KEY, less one: MAX(id), or sqlite_sequence's for AUTOINCREMENT. */
function lastSqliteId(source: Db, table: string, column: string): number {
  const max = (source.prepare(`SELECT MAX(${q(column)}) AS n FROM ${q(table)}`).get() as { n: number | null }).n ?? 0;
  const hasSequence = source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
  const seq = hasSequence ? ((source.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined)?.seq ?? 0) : 0;
  return Math.max(max, seq);
}

export async function copySqliteToPostgres(source: Db, target: Store, options: CopyOptions = {}): Promise<CopyReport> {
  const started = performance.now();
  const { order } = await plan(source, target, options.chunkRows ?? DEFAULT_CHUNK_ROWS);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;

  // one snapshot of the source for every table (WAL: a reader does not block the writer)
  const ownSnapshot = !source.inTransaction;
  if (ownSnapshot) source.exec('BEGIN');
  try {
    const broken = source.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
    if (broken.length > 0) {
      fail(`the SQLite database breaks its foreign keys (${broken.length} row(s); e.g. ${broken[0]!.table} rowid ${broken[0]!.rowid} → ${broken[0]!.parent}): PostgreSQL would refuse them`);
    }

    const report: CopyReport['tables'] = [];
    await target.inTransaction(async () => {
      await target.get('SELECT pg_advisory_xact_lock(?)', MIGRATION_LOCK_KEY);
      const rowsThere = await nonEmpty(target, order.map((p) => p.table));
      if (rowsThere.length) fail(`the PostgreSQL database is not empty: ${rowsThere.join(', ')}; copy only into a freshly migrated database`);
      for (const m of MIGRATION_ROWS) await target.run(`DELETE FROM ${q(m.table)} WHERE ${m.where}`, ...m.args);
      // ALTER TABLE … DISABLE TRIGGER is transactional: a rollback or the ENABLE below restores it
      const heldOff: Array<{ table: string; trigger: string }> = [];
      for (const feed of Object.values(DERIVED_TABLES).flat()) {
        const exists = await target.get('SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ? AND NOT tgisinternal', q(feed.table), feed.trigger);
        if (!exists) continue;
        try {
          await target.inTransaction(() => target.run(`ALTER TABLE ${q(feed.table)} DISABLE TRIGGER ${q(feed.trigger)}`));
          heldOff.push(feed);
        } catch {
          // not the table's owner: the trigger runs, its rows are deleted before the copy
        }
      }

      for (const p of order) {
        if (Object.hasOwn(DERIVED_TABLES, p.table)) await target.run(`DELETE FROM ${q(p.table)}`);
        const total = (source.prepare(`SELECT COUNT(*) AS n FROM ${q(p.table)}`).get() as { n: number }).n;
        const perChunk = Math.max(1, Math.min(chunkRows, Math.floor(MAX_PARAMETERS / p.columns.length)));
        const rowSql = `(${p.columns.map(() => '?').join(', ')})`;
        const insert = (n: number) =>
          `INSERT INTO ${q(p.table)} (${p.columns.map(q).join(', ')})${p.overriding ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${Array(n).fill(rowSql).join(', ')}`;
        const statement = source.prepare(p.select).raw(true).safeIntegers(true);
        let copied = 0;
        let chunk: unknown[] = [];
        let inChunk = 0;
        const flush = async () => {
          if (inChunk === 0) return;
          await target.run(insert(inChunk), ...chunk);
          copied += inChunk;
          chunk = [];
          inChunk = 0;
          options.onProgress?.({ table: p.table, rows: copied, total });
        };
        try {
          for (const row of statement.iterate() as Iterable<unknown[]>) {
            for (let i = 0; i < row.length; i++) {
              const v = convert(row[i], p.kinds[i]!);
              if (!v.ok) return fail(`${p.table}.${p.columns[i]} of ${rowName(row, p, copied + inChunk)} holds ${v.why}`);
              chunk.push(v.value);
            }
            inChunk += 1;
            if (inChunk === perChunk) await flush();
          }
          await flush();
        } finally {
          statement.raw(false).safeIntegers(false);
        }
        if (total === 0) options.onProgress?.({ table: p.table, rows: 0, total });
        if (copied !== total) fail(`${p.table}: ${total} rows on SQLite but ${copied} read in copy order (rows of a table that references itself form a cycle?)`);
        report.push({ table: p.table, rows: total });
      }

      for (const feed of heldOff) await target.run(`ALTER TABLE ${q(feed.table)} ENABLE TRIGGER ${q(feed.trigger)}`);

      // the ids the database gives continue where SQLite's would
      const sequences = await target.all<{ table_name: string; column_name: string; seq: string }>(
        `SELECT table_name, column_name, seq FROM (
           SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
             FROM information_schema.columns WHERE table_schema = current_schema()) c
          WHERE seq IS NOT NULL ORDER BY table_name, column_name`,
      );
      for (const s of sequences) {
        if (POSTGRES_ONLY_TABLES.has(s.table_name)) continue;
        const there = (await target.get<{ n: number | null }>(`SELECT MAX(${q(s.column_name)}) AS n FROM ${q(s.table_name)}`))?.n ?? 0;
        const last = Math.max(lastSqliteId(source, s.table_name, s.column_name), there);
        if (last > 0) await target.get('SELECT setval(?, ?, true)', s.seq, last);
        else await target.get('SELECT setval(?, 1, false)', s.seq);
      }

      for (const t of report) {
        const there = (await target.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(t.table)}`))?.n;
        if (there !== t.rows) fail(`${t.table} has ${t.rows} rows on SQLite but ${there} on PostgreSQL after the copy`);
      }
      for (const p of order) if (COMPARED_TABLES.includes(p.table)) await compareRows(source, target, p);
    });
    return { tables: report, totalRows: report.reduce((s, t) => s + t.rows, 0), ms: Math.round(performance.now() - started) };
  } finally {
    if (ownSnapshot && source.inTransaction) source.exec('COMMIT');
  }
}

/** A row being copied, to name it in an error: its primary key, or its place in copy order. */
function rowName(row: unknown[], p: TablePlan, index: number): string {
  if (p.key[0] === 'rowid') return `row ${index + 1} in rowid order`;
  return `the row ${p.key.map((k) => `${k}=${String(row[p.columns.indexOf(k)])}`).join(', ')}`;
}
