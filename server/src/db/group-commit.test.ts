import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, inTransaction, openDatabase, type Db } from './connection.js';
import { GroupCommit } from './group-commit.js';
import { Store } from './store.js';

let dir: string;
let db: Db;
let store: Store;
/** A second connection to the same file: it sees only what has been committed. */
let reader: Database.Database;
/** Transaction statements run on the server's connection (the store's go through `prepare`). */
let statements: string[];

function open(): void {
  dir = mkdtempSync(join(tmpdir(), 'gc-group-'));
  db = openDatabase(join(dir, 'g.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  reader = new Database(join(dir, 'g.db'), { readonly: true });
  statements = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    if (/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)) statements.push(sql.trim().split(/\s+/)[0]!.toLowerCase());
    return prepare(sql);
  }) as typeof db.prepare;
  store = Store.onSqlite(db);
}
const committedNames = () => (reader.prepare('SELECT name FROM t ORDER BY id').all() as Array<{ name: string }>).map((r) => r.name);
const count = (kind: string) => statements.filter((s) => s === kind).length;

afterEach(async () => {
  reader?.close();
  await store?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GroupCommit', () => {
  it('commits the units that arrive together in one transaction (one commit, one fsync); one that throws rolls back alone and its caller gets the error', async () => {
    open();
    const errors: unknown[] = [];
    const group = new GroupCommit(store, (err) => errors.push(err));
    const seenInsideLast: string[][] = [];
    const units = ['a', 'b', 'boom', 'c', 'd'].map((name, i, all) =>
      group.run(async () => {
        // sync (unconverted) and async (store) writes alike join the group's transaction
        if (i % 2 === 0) db.prepare('INSERT INTO t (name) VALUES (?)').run(name);
        else await store.run('INSERT INTO t (name) VALUES (?)', name);
        if (name === 'boom') throw new Error('refused: boom');
        // the last unit still runs inside the one transaction: the other connection sees nothing yet
        if (i === all.length - 1) seenInsideLast.push(committedNames());
        return name.toUpperCase();
      }),
    );
    const settled = await Promise.allSettled(units);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['A', 'B', 'refused: boom', 'C', 'D']);
    expect(seenInsideLast).toEqual([[]]);
    expect(committedNames()).toEqual(['a', 'b', 'c', 'd']);
    expect(errors).toEqual([]);
    // one outermost transaction for the five units, each in its own savepoint
    expect([count('begin'), count('commit'), count('savepoint'), count('rollback')]).toEqual([1, 1, 5, 1]);
  });

  it('announces after the commit that holds the work, and not at all for work that rolled back (store and sync afterCommit alike)', async () => {
    open();
    const group = new GroupCommit(store, () => undefined);
    const announced: Array<{ name: string; stored: string[] }> = [];
    const unit = (name: string, fail = false) =>
      group.run(() =>
        // what the case writer does: its own (nested) transaction, announcing once durable
        store.inTransaction(async () => {
          await store.run('INSERT INTO t (name) VALUES (?)', name);
          store.afterCommit(() => announced.push({ name, stored: committedNames() }));
          if (fail) throw new Error('rolled back');
        }),
      );
    // an unconverted repository's sync transaction and afterCommit join the group too
    const syncUnit = (name: string) =>
      group.run(() =>
        inTransaction(db, () => {
          db.prepare('INSERT INTO t (name) VALUES (?)').run(name);
          afterCommit(db, () => announced.push({ name, stored: committedNames() }));
        }),
      );
    await Promise.allSettled([unit('x'), unit('y', true), syncUnit('s'), unit('z')]);
    expect(announced).toEqual([
      { name: 'x', stored: ['x', 's', 'z'] },
      { name: 's', stored: ['x', 's', 'z'] },
      { name: 'z', stored: ['x', 's', 'z'] },
    ]);
    expect(count('commit')).toBe(1);
  });

  it('settles each caller only after the commit, after the announcements', async () => {
    open();
    const group = new GroupCommit(store, () => undefined);
    const order: string[] = [];
    const done = ['p', 'q'].map((name) =>
      group
        .run(async () => {
          await store.run('INSERT INTO t (name) VALUES (?)', name);
          store.afterCommit(() => order.push(`announce ${name}`));
        })
        .then(() => order.push(`settled ${name} with ${committedNames().join('')}`)),
    );
    await Promise.all(done);
    expect(order).toEqual(['announce p', 'announce q', 'settled p with pq', 'settled q with pq']);
  });

  it('settles every unit when the group itself cannot commit', async () => {
    open();
    const group = new GroupCommit(store, () => undefined);
    // a deferred foreign key broken at commit time fails the commit, not any one unit
    db.exec('PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)');
    const units = [group.run(() => db.prepare('INSERT INTO t (name) VALUES (?)').run('kept?')), group.run(() => store.run('INSERT INTO c (pid) VALUES (42)'))];
    const settled = await Promise.allSettled(units);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
    // the connection is usable again: the next group commits
    await group.run(() => store.run('INSERT INTO t (name) VALUES (?)', 'next'));
    expect(committedNames()).toEqual(['next']);
  });
});
