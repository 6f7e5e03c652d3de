import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type ControlledTransaction,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { afterCommit as syncAfterCommit, collectAfterCommit, openDatabase, runAfterCommit, type Db } from './connection.js';

/**
 * The async store the repositories move to (issue 15 part 3, docs/POSTGRES.md): one object over
 * either the server's SQLite connection or a PostgreSQL pool, with the transaction contract of
 * connection.ts (`inTransaction`, savepoints when nested, `afterCommit`) made async.
 *
 * Repositories keep their SQL text with `?` placeholders and call `get/all/run`; a statement whose
 * text differs by dialect picks it with `store.dialect`, and one built dynamically may use
 * Kysely's builder on `store.q()`. Kysely is the connection and transaction layer for both
 * dialects; the open transaction is found through AsyncLocalStorage, so repository methods carry
 * no transaction parameter.
 *
 * Rules the callers keep (checked in review, not at run time):
 *  - a transaction awaits nothing but this store. On SQLite every store call is synchronous
 *    underneath, so a transaction that awaits only the store runs to its commit before any other
 *    request, timer or socket message: today's "one writer, nothing interleaves" keeps holding.
 *    On PostgreSQL every statement is real I/O and other requests run meanwhile (row locks, not
 *    the event loop, order the writers there).
 *  - SQLite has one connection behind Kysely's mutex: a store call made inside a transaction but
 *    outside its async context (a callback registered before it began) waits for the transaction,
 *    which waits for it. Store calls of other flows wait for the connection; sync (unconverted)
 *    repository calls do not: one made by another flow while a transaction awaits lands in it.
 *    Sync code called from inside the transaction joins it (savepoints and afterCommit included,
 *    through connection.ts's collectAfterCommit).
 *  - store work nobody awaits (a bus listener's, a callback's) starts in a turn of its own
 *    (setImmediate), never in the publisher's: a transaction opened between another flow's awaits
 *    would take in that flow's sync writes (docs/POSTGRES.md, "Converting a repository").
 *  - nested `inTransaction` calls of one transaction run one after another (await each); two at
 *    once would interleave their savepoints and are refused.
 *  - on PostgreSQL a failed statement aborts the transaction: catch a statement's error only
 *    around a nested `inTransaction` (whose savepoint is rolled back), never around the statement.
 */

export type Dialect = 'sqlite' | 'postgres';

/**
 * What `q()` is typed over until repositories name their tables for the builder: any table,
 * any column. A repository that builds queries passes its own table types: `store.q<MyTables>()`.
 */
export type StoreTables = Record<string, Record<string, unknown>>;

/** An open outermost transaction: its Kysely handle, the hooks waiting for its commit. */
interface OpenTransaction {
  trx: ControlledTransaction<StoreTables>;
  hooks: Array<() => void>;
  /** How many savepoints are open: the level whose frame may open the next one. */
  level: number;
  /** Savepoints made so far, for unique names. */
  made: number;
  /** Committed or rolled back: work still running in its async context may not use it. */
  done: boolean;
}

/** What the async context of a transaction's callback sees: the transaction and its own level. */
interface Frame {
  tx: OpenTransaction;
  level: number;
}

/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, outside string literals, quoted identifiers and
 * comments (a `'?'` in a literal stays a question mark). SQLite's numbered and named parameters
 * (`?1`, `:name`) are not used by the repositories and are refused rather than mistranslated.
 */
export function dollarPlaceholders(sqlText: string): string {
  let n = 0;
  return sqlText.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\?(\d*)/g, (match, digits: string | undefined) => {
    if (!match.startsWith('?')) return match;
    if (digits) throw new Error(`numbered placeholder ${match} is not supported: use plain ? placeholders`);
    return `$${++n}`;
  });
}

/**
 * Kysely's SQLite driver begins DEFERRED; the server's transactions take the write lock up front
 * (BEGIN IMMEDIATE), as connection.ts's do, so a writer never fails half-way on a lock upgrade.
 * It also leaves the connection open on destroy: the connection belongs to whoever opened it.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  override async destroy(): Promise<void> {}
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** pg's built-in OIDs the store reads differently from pg's defaults. */
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_JSON = 114;
const PG_JSONB = 3802;

/**
 * Values come back as SQLite gives them: COUNT(*) and BIGINT (int8) and SUM/AVG (numeric) as
 * numbers, not pg's strings (a parity test on the teams repository caught `openCases: "2"`);
 * json as its text, because the repositories JSON.parse what they read. Set per pool, so other
 * users of pg in the process (a Socket.IO adapter) keep pg's defaults.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
    if (oid === PG_JSON || oid === PG_JSONB) return (value: string) => value;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

/** The advisory lock key of `takeWriterTurn` ('GCSQ'). */
const SERIAL_WRITER_LOCK = 0x47435351;

export class Store {
  private readonly als = new AsyncLocalStorage<Frame>();

  private constructor(
    readonly dialect: Dialect,
    private readonly kysely: Kysely<StoreTables>,
    /** The better-sqlite3 connection on SQLite (shared with the sync repositories), else null. */
    private readonly sqlite: Db | null,
    private readonly release: () => Promise<void>,
  ) {}

  /**
   * A store on the server's own SQLite connection, beside the sync repositories that still use it:
   * both see one connection and one transaction. Closing the store leaves the connection open
   * unless `closeConnection` says the store owns it.
   */
  static onSqlite(db: Db, options: { closeConnection?: boolean } = {}): Store {
    const kysely = new Kysely<StoreTables>({ dialect: new ImmediateSqliteDialect({ database: db }) });
    return new Store('sqlite', kysely, db, async () => {
      if (options.closeConnection) db.close();
    });
  }

  /** A store on a PostgreSQL pool it owns (closed with the store). `onError`: an idle connection that broke. */
  static onPostgres(url: string, options: { max?: number; onError?: (err: Error) => void } = {}): Store {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: pgTypes });
    // pg emits an idle client's lost connection on the pool; unheard, it would end the process.
    // The client is dropped from the pool either way, and the next query opens a new one.
    pool.on('error', (err) => options.onError?.(err));
    return new Store('postgres', new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) }), null, async () => {});
  }

  /** The SQLite connection under this store, for the sync repositories not converted yet (null on PostgreSQL). */
  get sqliteConnection(): Db | null {
    return this.sqlite;
  }

  /**
   * The transaction open in the current async context. Work that a transaction started without
   * awaiting it, still running after the commit, is outside it: it runs on the store.
   */
  private open(): Frame | null {
    const frame = this.als.getStore();
    return frame && !frame.tx.done ? frame : null;
  }

  /** Whether the current async context is inside one of this store's transactions. */
  get inTransactionNow(): boolean {
    return this.open() !== null;
  }

  /**
   * Makes the writers of the serial logs (the change log's seq, the audit trail's hash chain) take
   * their turn: on PostgreSQL an advisory lock held to the commit, one key for both, so every node's
   * writers take the next number only after the writer before has committed (no two read the same
   * last row, none skips one, they commit in order; one key, so two transactions taking both never
   * wait for each other crosswise). On SQLite the write transaction itself is that lock. Call it
   * inside a transaction, before reading the last row.
   */
  async takeWriterTurn(): Promise<void> {
    if (!this.open()) throw new Error('store.takeWriterTurn must run inside a transaction');
    if (this.dialect === 'postgres') await this.run(`SELECT pg_advisory_xact_lock(${SERIAL_WRITER_LOCK})`);
  }

  /** The executor of the current async context: its transaction when one is open, else the store. */
  q<DB = StoreTables>(): Kysely<DB> {
    return (this.open()?.tx.trx ?? this.kysely) as unknown as Kysely<DB>;
  }

  private async execute<R>(sqlText: string, args: readonly unknown[]) {
    const text = this.dialect === 'postgres' ? dollarPlaceholders(sqlText) : sqlText;
    return this.q().executeQuery<R>(CompiledQuery.raw(text, [...args]));
  }

  /** The first row, or undefined: better-sqlite3's `prepare(sql).get(...args)`. */
  async get<R>(sqlText: string, ...args: unknown[]): Promise<R | undefined> {
    return (await this.execute<R>(sqlText, args)).rows[0];
  }

  /** Every row: better-sqlite3's `prepare(sql).all(...args)`. */
  async all<R>(sqlText: string, ...args: unknown[]): Promise<R[]> {
    return (await this.execute<R>(sqlText, args)).rows;
  }

  /**
   * A statement that returns no rows, and how many rows it changed. An id the database gives is
   * read with `INSERT … RETURNING id` through `get` (both dialects), not a last-insert rowid.
   */
  async run(sqlText: string, ...args: unknown[]): Promise<{ changes: number }> {
    const result = await this.execute(sqlText, args);
    return { changes: Number(result.numAffectedRows ?? 0n) };
  }

  /**
   * Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite, BEGIN on PostgreSQL). Inside another
   * one it is a savepoint: its writes roll back alone when it throws, and commit with the outer
   * one. What it registers with `afterCommit` runs once the outermost transaction has committed,
   * in order, and not at all for work that rolled back.
   */
  async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    const frame = this.open();
    if (frame) return this.savepoint(frame, fn);
    const trx = (await this.kysely.startTransaction().execute()) as ControlledTransaction<StoreTables>;
    const tx: OpenTransaction = { trx, hooks: [], level: 0, made: 0, done: false };
    // sync code of unconverted repositories joins this transaction on the shared SQLite connection
    const detach = this.sqlite ? collectAfterCommit(this.sqlite, tx.hooks) : () => {};
    let value: T;
    try {
      value = await this.als.run({ tx, level: 0 }, fn);
      await trx.commit().execute();
    } catch (err) {
      if (!trx.isCommitted && !trx.isRolledBack) {
        // the error that made us roll back is the one to report; a failed rollback (a broken
        // PostgreSQL connection, which Kysely then discards) adds nothing to it
        await trx.rollback().execute().catch(() => undefined);
      }
      throw err;
    } finally {
      tx.done = true;
      detach();
    }
    runAfterCommit(tx.hooks);
    return value;
  }

  private async savepoint<T>(frame: Frame, fn: () => Promise<T>): Promise<T> {
    const { tx } = frame;
    if (tx.level !== frame.level) {
      throw new Error('store: two nested transactions of one transaction at once; await one before starting the next');
    }
    const name = `sp${++tx.made}`;
    const mark = tx.hooks.length;
    // taken before the first await, so a sibling started in the same turn sees it and is refused
    const level = ++tx.level;
    try {
      await this.raw(tx, `SAVEPOINT ${name}`);
    } catch (err) {
      tx.level -= 1;
      throw err;
    }
    let value: T;
    try {
      value = await this.als.run({ tx, level }, fn);
    } catch (err) {
      tx.hooks.length = mark;
      await this.raw(tx, `ROLLBACK TO SAVEPOINT ${name}`);
      await this.raw(tx, `RELEASE SAVEPOINT ${name}`);
      tx.level -= 1;
      throw err;
    }
    await this.raw(tx, `RELEASE SAVEPOINT ${name}`);
    tx.level -= 1;
    return value;
  }

  private async raw(tx: OpenTransaction, statement: string): Promise<void> {
    await tx.trx.executeQuery(CompiledQuery.raw(statement));
  }

  /**
   * Runs `fn` once what is being written is durable: after the outermost transaction of the
   * current async context commits, or at once outside one. On SQLite, outside the store's own
   * transactions, it defers to connection.ts: a sync transaction still open on the connection.
   */
  afterCommit(fn: () => void): void {
    const frame = this.open();
    if (frame) frame.tx.hooks.push(fn);
    else if (this.sqlite) syncAfterCommit(this.sqlite, fn);
    else fn();
  }

  /**
   * A script of several statements without parameters (a migration), on the current executor:
   * on SQLite through the shared connection's exec (Kysely's driver runs one statement per call).
   */
  async exec(script: string): Promise<void> {
    const sqlite = this.sqlite;
    if (!sqlite) {
      await this.q().executeQuery(CompiledQuery.raw(script));
    } else if (this.open()) {
      sqlite.exec(script);
    } else {
      // outside a transaction, wait for the connection as every other store call does
      await this.kysely.connection().execute(async () => sqlite.exec(script));
    }
  }

  /** Ends the store: the PostgreSQL pool (Kysely ends it); on SQLite only a connection the store owns. */
  async close(): Promise<void> {
    await this.kysely.destroy();
    await this.release();
  }
}

/** Whether `target` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * A store on `target`: a `postgres://` URL (the schema is not touched here: migratePostgres in
 * postgres-schema.ts brings it up to date), or a SQLite file path, opened and migrated by
 * connection.ts's openDatabase and closed with the store.
 */
export function openStore(target: string): Store {
  return isPostgresUrl(target) ? Store.onPostgres(target) : Store.onSqlite(openDatabase(target), { closeConnection: true });
}
