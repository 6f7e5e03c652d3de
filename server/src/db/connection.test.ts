import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection.js';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the connection\'s statement cache', () => {
  it('hands out a kept statement in its default mode, whatever an earlier caller set', () => {
    dir = mkdtempSync(join(tmpdir(), 'gc-conn-'));
    db = openDatabase(join(dir, 'c.db'));
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a')");
    const sql = 'SELECT id, name FROM t';
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    expect(db.prepare(sql).pluck().get()).toBe(1);
    expect(db.prepare(sql).get()).toEqual({ id: 1, name: 'a' });
    expect(db.prepare(sql).raw().get()).toEqual([1, 'a']);
    expect(db.prepare(sql).get()).toEqual({ id: 1, name: 'a' });
    expect(db.prepare(sql).expand().get()).toEqual({ t: { id: 1, name: 'a' } });
    expect(db.prepare(sql).get()).toEqual({ id: 1, name: 'a' });
  });
});
