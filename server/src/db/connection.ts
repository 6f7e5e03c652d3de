import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * WAL lets readers (REST, replay) run beside the single writer; synchronous=FULL makes a
 * committed change survive power loss, which "persist before push" relies on.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  cacheStatements(db);
  return db;
}

/** Statements kept compiled per connection; SQL built with a varying number of `?` ages out. */
const STATEMENT_CACHE_SIZE = 1_000;

/**
 * Repositories prepare their SQL where they use it, which reads well but compiles the same
 * statement on every call (a few dozen per intake). The connection keeps the compiled
 * statements by their text instead, least recently used out first. A kept statement is handed
 * out in its default mode again (a caller, e.g. a test on the server's connection, may have set
 * pluck, raw or expand); none runs one statement inside its own iteration; SQLite recompiles a
 * kept statement itself when the schema changes.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
      if (statement.reader) statement.pluck(false).raw(false).expand(false);
    } else {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  }) as Db['prepare'];
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        if (m.sql) db.exec(m.sql);
        m.up?.(db);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version}: ${broken.length} foreign key violations, e.g. ${JSON.stringify(broken[0])}`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}

/** Work waiting for the outermost transaction of a connection to commit (see `afterCommit`). */
const pendingAfterCommit = new WeakMap<Db, Array<() => void>>();

/**
 * Runs `fn` in one IMMEDIATE transaction (takes the write lock up front). Inside another one it
 * is a savepoint: its writes roll back alone when it throws, and commit with the outer one.
 * What it registers with `afterCommit` runs once the outermost transaction has committed, in
 * order — and not at all for work that rolled back.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  const pending = pendingAfterCommit.get(db);
  if (pending && db.inTransaction) {
    const mark = pending.length;
    try {
      return db.transaction(fn)();
    } catch (err) {
      pending.length = mark;
      throw err;
    }
  }
  const hooks: Array<() => void> = [];
  pendingAfterCommit.set(db, hooks);
  let value: T;
  try {
    value = db.transaction(fn).immediate();
  } finally {
    pendingAfterCommit.delete(db);
  }
  runAfterCommit(hooks);
  return value;
}

/**
 * Runs a committed transaction's hooks in order: every hook runs even when one throws (each
 * announces something already stored); the first error is rethrown. Shared with db/store.ts.
 */
export function runAfterCommit(hooks: ReadonlyArray<() => void>): void {
  let failure: { err: unknown } | null = null;
  for (const hook of hooks) {
    try {
      hook();
    } catch (err) {
      failure ??= { err };
    }
  }
  if (failure) throw failure.err;
}

/**
 * For the async Store (db/store.ts), which opens its transactions on this same connection while
 * repositories are converted one by one: until the returned detach is called, sync code inside
 * the store's transaction joins it — a nested `inTransaction` is a savepoint whose hooks go into
 * `hooks`, and `afterCommit` waits there for the store's commit instead of running at once.
 */
export function collectAfterCommit(db: Db, hooks: Array<() => void>): () => void {
  pendingAfterCommit.set(db, hooks);
  return () => pendingAfterCommit.delete(db);
}

/**
 * Runs `fn` once what is being written is durable: after the outermost `inTransaction` commits,
 * or at once outside a transaction. Pushes go here: nothing is announced before it is stored.
 */
export function afterCommit(db: Db, fn: () => void): void {
  const pending = pendingAfterCommit.get(db);
  if (pending && db.inTransaction) pending.push(fn);
  else fn();
}
