import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit.contract.js';
import { NodeDuties, type Duty } from './node-duties.js';
import type { Lease, LeaseClaims } from './node-leases.repo.js';

/** The lease table as NodeLeasesRepo's upsert treats it: ours, free, or expired → claimed. */
class FakeLeases implements LeaseClaims {
  readonly rows = new Map<string, Lease>();
  failing = false;

  async claim(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease | null> {
    if (this.failing) throw new Error('database is gone');
    const at = now.toISOString();
    const row = this.rows.get(name);
    if (row && row.holder !== holder && row.expiresAt > at) return null;
    const lease = { name, holder, acquiredAt: row?.holder === holder ? row.acquiredAt : at, renewedAt: at, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.rows.set(name, lease);
    return { ...lease };
  }

  async release(name: string, holder: string): Promise<boolean> {
    if (this.rows.get(name)?.holder !== holder) return false;
    return this.rows.delete(name);
  }

  async get(name: string): Promise<Lease | undefined> {
    return this.rows.get(name);
  }
}

class FakeClock {
  constructor(public at = Date.parse('2026-12-01T08:00:00Z')) {}
  now = () => new Date(this.at);
}

function setUp(leases = new FakeLeases(), clock = new FakeClock()) {
  const log: string[] = [];
  const audited: AuditEntry[] = [];
  const errors: unknown[] = [];
  const duty = (name: string): Duty => ({ name, start: () => void log.push(`start ${name}`), stop: () => void log.push(`stop ${name}`) });
  const node = (nodeId: string) =>
    new NodeDuties({
      leases,
      lease: 'timers',
      nodeId,
      clock,
      ttlMs: 15_000,
      // the rounds are called by hand: the timer never fires within a test
      renewMs: 3_600_000,
      duties: [duty('deadlines'), duty('alerts')],
      audit: { record: (e: AuditEntry) => void audited.push(e) },
      onError: (err) => errors.push(err),
    });
  return { leases, clock, log, audited, errors, node };
}

describe('NodeDuties', () => {
  it('runs the duties on the node that gains the lease and on no other', async () => {
    const t = setUp();
    const a = t.node('a');
    const b = t.node('b');
    await a.start();
    await b.start();
    expect([a.running, b.running]).toEqual([['deadlines', 'alerts'], []]);
    expect(t.log).toEqual(['start deadlines', 'start alerts']);
    // renewals keep it where it is, however often both try
    for (let i = 0; i < 3; i++) {
      t.clock.at += 5_000;
      await b.tick();
      await a.tick();
    }
    expect([a.holding, b.holding]).toEqual([true, false]);
    expect(t.log).toHaveLength(2);
    expect(t.audited.map((e) => [e.action, e.objectId, e.reason])).toEqual([['system:duty_take', 'a', null]]);
    await a.close();
    await b.close();
  });

  it('hands the duties over on a clean close: stopped in reverse order, the lease deleted, taken at the next try', async () => {
    const t = setUp();
    const a = t.node('a');
    const b = t.node('b');
    await a.start();
    await b.start();
    await a.close();
    expect(t.log).toEqual(['start deadlines', 'start alerts', 'stop alerts', 'stop deadlines']);
    expect(t.leases.rows.size).toBe(0);
    await b.tick();
    expect(b.running).toEqual(['deadlines', 'alerts']);
    expect(t.audited.map((e) => [e.action, e.objectId, e.result, e.reason])).toEqual([
      ['system:duty_take', 'a', 'success', null],
      ['system:duty_yield', 'a', 'success', 'released'],
      ['system:duty_take', 'b', 'success', null],
    ]);
    await b.close();
  });

  it('takes over from a node that stopped renewing only once its lease expired', async () => {
    const t = setUp();
    const a = t.node('a');
    const b = t.node('b');
    await a.start();
    await b.start();
    await a.abandon();
    t.clock.at += 14_999;
    await b.tick();
    expect(b.holding).toBe(false);
    t.clock.at += 1;
    await b.tick();
    expect(b.running).toEqual(['deadlines', 'alerts']);
    const take = t.audited.at(-1)!;
    expect([take.action, take.objectId, take.reason, take.details?.from]).toEqual(['system:duty_take', 'b', 'lease_expired', 'a']);
    await b.close();
  });

  it('stops the duties when a renewal finds another holder, fails, or comes after the lease expired', async () => {
    const t = setUp();
    const a = t.node('a');
    await a.start();
    // another node wrote the row (a's renewal came too late)
    t.leases.rows.set('timers', { name: 'timers', holder: 'z', acquiredAt: '', renewedAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });
    await a.tick();
    expect(a.running).toEqual([]);
    expect(t.audited.at(-1)).toMatchObject({ action: 'system:duty_yield', result: 'failure', reason: 'lease_lost' });

    t.leases.rows.clear();
    await a.tick();
    expect(a.running).toEqual(['deadlines', 'alerts']);
    t.leases.failing = true;
    await a.tick();
    expect(a.running).toEqual([]);
    expect(t.audited.at(-1)).toMatchObject({ action: 'system:duty_yield', reason: 'renew_failed', details: { error: 'database is gone' } });
    expect(t.errors).toHaveLength(1);

    // a renewal after the expiry stops the duties before it claims again, even if nobody took over
    t.leases.failing = false;
    await a.tick();
    expect(a.holding).toBe(true);
    t.clock.at += 15_000;
    t.log.length = 0;
    await a.tick();
    expect(t.log).toEqual(['stop alerts', 'stop deadlines', 'start deadlines', 'start alerts']);
    expect(t.audited.slice(-2).map((e) => [e.action, e.reason])).toEqual([
      ['system:duty_yield', 'lease_expired'],
      ['system:duty_take', null],
    ]);
    await a.close();
  });

  it('keeps the other duties running when one fails to start, and runs nothing after close', async () => {
    const t = setUp();
    const failing = new NodeDuties({
      leases: t.leases,
      lease: 'timers',
      nodeId: 'a',
      clock: t.clock,
      ttlMs: 15_000,
      renewMs: 3_600_000,
      duties: [
        { name: 'broken', start: () => Promise.reject(new Error('no key')), stop: () => undefined },
        { name: 'alerts', start: () => undefined, stop: () => undefined },
      ],
      audit: { record: () => undefined },
      onError: (err) => t.errors.push(err),
    });
    await failing.start();
    expect(failing.running).toEqual(['alerts']);
    expect(t.errors).toHaveLength(1);
    // tried again at each renewal, the running one left alone
    await failing.tick();
    expect(failing.running).toEqual(['alerts']);
    expect(t.errors).toHaveLength(2);
    await failing.close();
    await failing.tick();
    expect([failing.holding, failing.running, t.leases.rows.size]).toEqual([false, [], 0]);
  });
});
