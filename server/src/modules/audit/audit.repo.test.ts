import { Store } from '../../db/store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import { openDatabase, type Db } from '../../db/connection.js';
import type { AuditEntry, AuditRecord } from './audit.contract.js';
import { AuditRepo } from './audit.repo.js';

let db: Db;
let now: Date;
let audit: AuditRepo;
let store: Store;
const clock: Clock = { now: () => now };

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: 'U0001',
  username: 'dispatcher01',
  role: 'dispatcher',
  sourceIp: '10.0.0.8',
  client: 'gridcommand-console/0.1.0',
  action: 'event:dispatch',
  objectType: 'event',
  objectId: 'EV202611200001',
  result: 'success',
  ...overrides,
});

beforeEach(() => {
  db = openDatabase(':memory:');
  now = new Date('2026-11-20T08:00:00.000Z');
  store = Store.onSqlite(db);
  audit = new AuditRepo(store, clock);
});
afterEach(() => db.close());

/** Appends one record per entry, each in its own transaction, a second apart. */
async function write(...entries: AuditEntry[]): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const e of entries) {
    now = new Date(now.getTime() + 1000);
    out.push(await audit.record(e));
  }
  return out;
}

describe('AuditRepo.append', () => {
  it('chains records and stamps the time in UTC with milliseconds', async () => {
    now = new Date('2026-11-20T08:00:00.007+08:00');
    const first = await audit.record(entry());
    const [second] = await write(entry({ action: 'auth:logout' }));
    expect(first).toMatchObject({ seq: 1, at: '2026-11-20T00:00:00.007Z', prevHash: '0'.repeat(64) });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(await audit.verify()).toEqual({ ok: true, count: 2, lastSeq: 2, lastHash: second!.hash });
  });

  it('refuses to run outside a transaction, so no record can outlive or miss its action', async () => {
    await expect(audit.append(entry())).rejects.toThrow(/inside the transaction/);
    await expect(store.inTransaction(() => audit.record(entry()))).rejects.toThrow(/use append\(\)/);
    expect(await audit.lastSeq()).toBe(0);
  });

  it('stores details with sorted keys and never a password or token', async () => {
    const r = await audit.record(entry({ action: 'user:password_reset', details: { target: 'U0002', newPassword: 'hunter2', nested: { sessionToken: 'abc', b: 1, a: 2 } } }));
    const stored = (db.prepare('SELECT details FROM audit_log WHERE seq = ?').get(r.seq) as { details: string }).details;
    expect(stored).toBe('{"nested":{"a":2,"b":1,"sessionToken":"[redacted]"},"newPassword":"[redacted]","target":"U0002"}');
    expect(r.details).toEqual({ nested: { a: 2, b: 1, sessionToken: '[redacted]' }, newPassword: '[redacted]', target: 'U0002' });
  });

  it('keeps the chain verifiable for text SQLite cannot store as given, and bounds long fields', async () => {
    await write(
      entry({ username: 'bad\uD800name', client: 'x'.repeat(5000), reason: '换行\r\n与"引号"', details: { note: 'lone \uDC00' } }),
      entry({ username: '王建国 🧑‍🚒', objectId: null, userId: null }),
    );
    const rows = (await audit.list({ page: 1, pageSize: 10 })).items;
    expect(rows[1]!.username).toBe('bad\uFFFDname');
    expect(rows[1]!.client).toHaveLength(512);
    expect(rows[0]!.username).toBe('王建国 🧑‍🚒');
    expect(await audit.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses details too large to belong in a trail', async () => {
    await expect(audit.record(entry({ details: { blob: 'x'.repeat(20_000) } }))).rejects.toThrow(RangeError);
    expect(await audit.lastSeq()).toBe(0);
  });
});

describe('AuditRepo.list', () => {
  beforeEach(async () => {
    await write(
      entry({ action: 'auth:login', objectType: null, objectId: null }),
      entry({ action: 'auth:login', username: 'intruder', userId: null, role: null, objectType: null, objectId: null, result: 'failure', reason: 'bad_password' }),
      entry(),
      entry({ userId: 'U0009', username: 'auditor01', role: 'auditor', action: 'event:dispatch', result: 'denied', reason: 'forbidden' }),
      entry({ action: 'auth:logout', objectType: null, objectId: null }),
    );
  });

  it('pages newest first and counts every match', async () => {
    const page1 = await audit.list({ page: 1, pageSize: 2 });
    expect(page1.total).toBe(5);
    expect(page1.items.map((r) => r.seq)).toEqual([5, 4]);
    expect((await audit.list({ page: 3, pageSize: 2 })).items.map((r) => r.seq)).toEqual([1]);
  });

  it('filters by user id or username, action, result, object and a half-open time range', async () => {
    const seqs = async (f: Parameters<AuditRepo['list']>[0]) => (await audit.list(f)).items.map((r) => r.seq);
    const page = { page: 1, pageSize: 50 };
    expect(await seqs({ ...page, user: 'intruder' })).toEqual([2]);
    expect(await seqs({ ...page, user: 'U0009' })).toEqual([4]);
    expect(await seqs({ ...page, action: 'auth:login' })).toEqual([2, 1]);
    expect(await seqs({ ...page, result: 'denied' })).toEqual([4]);
    expect(await seqs({ ...page, objectId: 'EV202611200001' })).toEqual([4, 3]);
    // records are at 08:00:01 … 08:00:05 UTC; `from` inclusive, `to` exclusive, any offset
    expect(await seqs({ ...page, from: '2026-11-20T16:00:02+08:00', to: '2026-11-20T08:00:04Z' })).toEqual([3, 2]);
    expect(await seqs({ ...page, user: 'dispatcher01', result: 'success', action: 'auth:logout' })).toEqual([5]);
  });
});

describe('AuditRepo.exportCsv', () => {
  it('writes a BOM, a header and the matching records oldest first, safe for spreadsheets', async () => {
    await write(
      entry({ action: 'auth:login', username: '=cmd|"/c calc"!A1', userId: null, role: null, result: 'failure', reason: 'unknown_user' }),
      entry(),
      entry({ action: 'auth:login', username: '王建国', result: 'success' }),
    );
    const csv = (await collect(audit.exportCsv({ action: 'auth:login' }, 1))).join('');
    expect(csv.startsWith('\uFEFFseq,at,user_id,username,role,action,object_type,object_id,result,reason,source_ip,client,details,prev_hash,hash\r\n')).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1,2026-11-20T08:00:01\.000Z,,"'=cmd\|""\/c calc""!A1",,auth:login,/);
    expect(lines[2]).toMatch(/^3,.*,王建国,dispatcher,auth:login,.*,success,/);
    expect(lines[2]).toContain((await audit.list({ page: 1, pageSize: 1 })).items[0]!.hash);
  });

  it('holds no cursor between chunks, so the connection can write while a download is slow', async () => {
    await write(entry(), entry(), entry());
    const chunks = audit.exportCsv({}, 1);
    await chunks.next();
    await chunks.next();
    await write(entry({ action: 'audit:export' }));
    const rest = (await collect(chunks)).join('');
    // the export stops at the record that was last when it began
    expect(rest.split('\r\n').filter(Boolean).map((l) => l.split(',')[0])).toEqual(['2', '3']);
  });
});

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}
