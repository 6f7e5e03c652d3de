import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, inTransaction, openDatabase, type Db } from './connection.js';
import { GroupCommit } from './group-commit.js';

let dir: string;
let db: Db;
/** A second connection to the same file: it sees only what has been committed. */
let reader: Database.Database;

function open(): void {
  dir = mkdtempSync(join(tmpdir(), 'gc-group-'));
  db = openDatabase(join(dir, 'g.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  reader = new Database(join(dir, 'g.db'), { readonly: true });
}
const committedNames = () => (reader.prepare('SELECT name FROM t ORDER BY id').all() as Array<{ name: string }>).map((r) => r.name);

afterEach(() => {
  reader?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GroupCommit', () => {
  it('commits the units that arrive together in one transaction; one that throws rolls back alone and its caller gets the error', async () => {
    open();
    const errors: unknown[] = [];
    const group = new GroupCommit(db, (err) => errors.push(err));
    const seenInsideLast: string[][] = [];
    const units = ['a', 'b', 'boom', 'c', 'd'].map((name, i, all) =>
      group.run(() => {
        db.prepare('INSERT INTO t (name) VALUES (?)').run(name);
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
  });

  it('announces after the commit that holds the work, and not at all for work that rolled back', async () => {
    open();
    const group = new GroupCommit(db, () => undefined);
    const announced: Array<{ name: string; stored: string[] }> = [];
    const unit = (name: string, fail = false) =>
      group.run(() =>
        inTransaction(db, () => {
          db.prepare('INSERT INTO t (name) VALUES (?)').run(name);
          // what a case writer does: announce once durable
          afterCommit(db, () => announced.push({ name, stored: committedNames() }));
          if (fail) throw new Error('rolled back');
        }),
      );
    await Promise.allSettled([unit('x'), unit('y', true), unit('z')]);
    expect(announced).toEqual([
      { name: 'x', stored: ['x', 'z'] },
      { name: 'z', stored: ['x', 'z'] },
    ]);
  });

  it('settles every unit when the group itself cannot commit', async () => {
    open();
    const group = new GroupCommit(db, () => undefined);
    // a deferred foreign key broken at commit time fails the commit, not any one unit
    db.exec('PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)');
    const units = [group.run(() => db.prepare('INSERT INTO t (name) VALUES (?)').run('kept?')), group.run(() => db.prepare('INSERT INTO c (pid) VALUES (42)').run())];
    const settled = await Promise.allSettled(units);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
  });
});
