import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { ForwardedChange } from '../../../../shared/contracts/forwarding.js';
import { Bus } from '../../core/bus.js';
import { backoffMs, Forwarder, readAnswer, type ForwardLog } from './forwarder.js';

describe('backoffMs', () => {
  it('doubles from the minimum up to the maximum, the upper half jittered', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, 1000, 30_000, low))).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect([1, 2, 3, 6, 40].map((n) => backoffMs(n, 1000, 30_000, high))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
    expect(backoffMs(2, 1000, 30_000, () => 0.5)).toBe(1500);
  });
});

describe('readAnswer', () => {
  it('moves on with 200 lastSeq, re-reads the cursor on 409, retries on everything else', () => {
    expect(readAnswer(200, { county: '330899', lastSeq: 12, applied: 3 })).toEqual({ kind: 'ok', lastSeq: 12 });
    expect(readAnswer(200, { county: '330899' })).toMatchObject({ kind: 'retry' });
    expect(readAnswer(409, { error: { code: 'forward_gap', lastSeq: 7 } })).toEqual({ kind: 'cursor', lastSeq: 7 });
    expect(readAnswer(409, 'conflict')).toEqual({ kind: 'cursor', lastSeq: null });
    expect(readAnswer(503, null)).toEqual({ kind: 'retry', error: 'HTTP 503' });
    expect(readAnswer(403, { error: { code: 'out_of_scope' } })).toEqual({ kind: 'retry', error: 'HTTP 403 out_of_scope' });
  });
});

/** A change log of `n` changes, growing on demand. */
function memoryLog(n: number): ForwardLog & { add(count: number): void } {
  let last = n;
  const change = (seq: number) => ({ seq, kind: 'reported', at: '2026-11-20T04:00:00.000Z', event: { id: `EV20261120${String(seq).padStart(4, '0')}`, seq } as unknown as EventRecord });
  return {
    changesAfter: (after, limit) => Array.from({ length: Math.max(0, Math.min(limit, last - after)) }, (_, i) => change(after + i + 1)),
    lastSeq: () => last,
    entries: () => new Map(),
    add: (count) => void (last += count),
  };
}

/** A city in memory: its cursor, the seqs it applied, and what it answers. */
function fakeCity(cursor = 0) {
  const city = {
    cursor,
    applied: [] as number[],
    down: false,
    calls: 0,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      city.calls += 1;
      if (city.down) throw new TypeError('fetch failed');
      const url = String(input);
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (url.endsWith('/api/v1/forwarded/cursor')) return json(200, { county: '330899', lastSeq: city.cursor });
      const { changes } = JSON.parse(String(init!.body)) as { changes: ForwardedChange[] };
      if (changes[0]!.seq > city.cursor + 1) return json(409, { error: { code: 'forward_gap', lastSeq: city.cursor } });
      for (const c of changes) {
        if (c.seq <= city.cursor) continue;
        city.applied.push(c.seq);
        city.cursor = c.seq;
      }
      return json(200, { county: '330899', lastSeq: city.cursor, applied: changes.length });
    }) as typeof fetch,
  };
  return city;
}

const quiet = { info: () => undefined, warn: () => undefined };

function forwarder(log: ForwardLog, city: ReturnType<typeof fakeCity>, bus = new Bus()) {
  const f = new Forwarder({ url: 'http://city.test', key: 'k', batch: 3, retryMinMs: 1, retryMaxMs: 4, tickMs: 60_000, log, bus, logger: quiet, fetch: city.fetch, random: () => 0, now: () => '2026-11-20T04:00:00.000Z' });
  return f;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

describe('Forwarder', () => {
  it('starts from the city’s cursor and sends the rest in batches, each seq once', async () => {
    const log = memoryLog(8);
    const city = fakeCity(2);
    const f = forwarder(log, city);
    f.start();
    await until(() => city.cursor === 8);
    await f.settle();
    expect(city.applied).toEqual([3, 4, 5, 6, 7, 8]);
    expect(f.state()).toMatchObject({ state: 'connected', cityLastSeq: 8, behind: 0 });
    await f.stop();
  });

  it('is woken by case changes on the bus', async () => {
    const log = memoryLog(1);
    const city = fakeCity();
    const bus = new Bus();
    const f = forwarder(log, city, bus);
    f.start();
    await until(() => city.cursor === 1);
    log.add(2);
    bus.publish('case:changed', { seq: 3, kind: 'file', event: {} as EventRecord });
    await until(() => city.cursor === 3);
    await f.stop();
  });

  it('retries while the city is down and resumes from the city’s cursor, which an outage may have set back', async () => {
    const log = memoryLog(4);
    const city = fakeCity();
    const f = forwarder(log, city);
    f.start();
    await until(() => city.cursor === 4);
    city.down = true;
    log.add(3);
    f.wake();
    await until(() => f.state().state === 'retrying');
    expect(f.state().lastError).toBe('fetch failed');
    // restored from a backup: the city stands at 2 again
    city.cursor = 2;
    city.applied = [];
    city.down = false;
    await until(() => city.cursor === 7);
    expect(city.applied).toEqual([3, 4, 5, 6, 7]);
    expect(f.state()).toMatchObject({ state: 'connected', cityLastSeq: 7 });
    await f.stop();
    expect(f.state().state).toBe('stopped');
  });

  it('on 409 reads the cursor again and goes on from it', async () => {
    const log = memoryLog(6);
    const city = fakeCity(0);
    const f = forwarder(log, city);
    f.start();
    await until(() => city.cursor === 6);
    // the city set back (restored from an older backup) while the forwarder thinks it is at 6: the next batch leaves a gap
    city.cursor = 4;
    city.applied = [];
    log.add(2);
    f.wake();
    await until(() => city.cursor === 8);
    expect(city.applied).toEqual([5, 6, 7, 8]);
    // resumed at once from the cursor read again, not after a failure and a wait
    expect(f.state()).toMatchObject({ state: 'connected', lastError: null });
    await f.stop();
  });
});
