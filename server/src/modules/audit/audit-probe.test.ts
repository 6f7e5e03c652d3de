import { Store } from '../../db/store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { probeAppendOnly } from './audit-probe.js';
import { AuditRepo } from './audit.repo.js';

let db: Db;
const clock = { now: () => new Date('2026-11-20T08:00:00.000Z') };
const rows = () => db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
const triggers = () => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as Array<{ name: string; sql: string }>;

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

async function withRecords(n: number): Promise<void> {
  const audit = new AuditRepo(Store.onSqlite(db), clock);
  for (let i = 0; i < n; i++) await audit.record({ action: 'auth:login', username: `user${i}`, result: 'success' });
}

describe('probeAppendOnly', () => {
  it('finds nothing to report on the triggers the migration made, and changes nothing', async () => {
    await withRecords(3);
    const before = rows();
    expect(probeAppendOnly(db)).toEqual([]);
    expect(rows()).toEqual(before);
    expect(db.inTransaction).toBe(false);
  });

  it('probes an empty trail with a record of its own that it rolls back', () => {
    expect(probeAppendOnly(db)).toEqual([]);
    expect(rows()).toEqual([]);
  });

  it('catches triggers that look right but never fire, and still rolls every change back', async () => {
    await withRecords(3);
    for (const t of triggers()) {
      db.exec(`DROP TRIGGER ${t.name}`);
      db.exec(t.sql.includes('WHEN') ? t.sql.replace('WHEN', 'WHEN 0 AND (').replace(/\s+BEGIN/, ') BEGIN') : t.sql.replace('ON audit_log', 'ON audit_log WHEN 0'));
    }
    expect(triggers().every((t) => /RAISE\(ABORT/.test(t.sql) && /WHEN 0/.test(t.sql))).toBe(true);
    const before = rows();
    const accepted = probeAppendOnly(db);
    expect(accepted).toContain('UPDATE of action in record #1');
    expect(accepted).toContain('UPDATE of hash in record #3');
    expect(accepted).toContain('DELETE of record #3');
    expect(accepted).toContain('INSERT OR REPLACE of record #3');
    expect(accepted).toContain('INSERT of record #4 not linked to #3');
    expect(rows()).toEqual(before);
  });

  it('catches a trigger that guards only some columns, and counts a silent RAISE(IGNORE) as a refusal', async () => {
    await withRecords(2);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec("CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF hash ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END");
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.exec('CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(IGNORE); END');
    const accepted = probeAppendOnly(db);
    expect(accepted).toContain('UPDATE of username in record #2');
    expect(accepted).not.toContain('UPDATE of hash in record #2');
    expect(accepted.filter((a) => a.startsWith('DELETE'))).toEqual([]);
  });
});
