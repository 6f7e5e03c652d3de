import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit.contract.js';
import { DenialLog } from './denial-log.js';

function setup(windowMs = 60_000) {
  let now = Date.parse('2026-12-02T01:00:00Z');
  const written: AuditEntry[] = [];
  const log = new DenialLog({ audit: { record: async (e: AuditEntry) => (written.push(e), e as never), append: () => Promise.resolve(undefined as never) }, clock: { now: () => new Date(now) }, windowMs });
  return { log, written, advance: (ms: number) => (now += ms) };
}

/** Lets the log's writes (each in a turn of its own) happen. */
const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

const denial = (over: Partial<AuditEntry> = {}): AuditEntry => ({ action: 'access:denied', result: 'denied', reason: 'unauthenticated', objectType: 'route', objectId: 'GET /api/v1/events', sourceIp: '10.0.0.1', ...over });

describe('DenialLog', () => {
  it('writes the first denial at once and repeats as one counted record when the window ends', async () => {
    const { log, written, advance } = setup();
    for (let i = 0; i < 500; i++) {
      void log.deny(denial());
      advance(10);
    }
    await settle();
    expect(written).toHaveLength(1);
    advance(60_000);
    await log.flush();
    expect(written).toHaveLength(2);
    expect(written[1]!.details).toMatchObject({ repeated: 499, from: '2026-12-02T01:00:00.000Z' });
  });

  it('records every distinct denial on its own, each resolved once it is written', async () => {
    const { log, written } = setup();
    void log.deny(denial());
    void log.deny(denial({ sourceIp: '10.0.0.2' }));
    void log.deny(denial({ reason: 'rate_limited' }));
    void log.deny(denial({ username: 'li.na', reason: 'missing audit:read' }));
    await log.deny(denial({ objectId: 'GET /api/v1/audit' }));
    expect(written).toHaveLength(5);
  });

  it('a denial after the window opens a new one; stop() writes what is pending', async () => {
    const { log, written, advance } = setup(1000);
    void log.deny(denial());
    void log.deny(denial());
    advance(1500);
    await log.deny(denial());
    expect(written.map((e) => e.details?.repeated ?? 'first')).toEqual(['first', 1, 'first']);
    void log.deny(denial());
    await log.stop();
    expect(written.map((e) => e.details?.repeated ?? 'first')).toEqual(['first', 1, 'first', 1]);
  });
});
