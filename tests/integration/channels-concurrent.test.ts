import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './harness.js';
import { valueOf } from './store-rows.js';

/**
 * One 12345 hotline record taken several times at once (a hotline platform's retries racing its
 * first post): the receipt check and the triage queue's write are no longer one synchronous step
 * (the address and the mapping are read on the async store in between), so the queue checks and
 * claims the channel id inside its own transaction. Exactly one triage item and audit record; every
 * answer names that item, all but one as a replay. The adapter is called directly (as the bulk
 * import does): over HTTP each post first waits for its API key's check, and the posts may not
 * overlap at all. Two nodes at once on PostgreSQL: channels-store.test.ts.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

describe('the hotline intake under concurrent retries', () => {
  it('queues one triage item for one case number taken four times at once', async () => {
    const principal = (await server.handles.auth.authenticate({ apiKey: demoChannelKey('hotline', DEMO_PASSWORD) }))!;
    const actor = { principal, ctx: { sourceIp: null, client: 'channels-concurrent.test' } };
    const record = { channelId: 'ZJ12345-RACE-2', address: '火星基地二号楼', itemText: '其他', description: '来电人反映的情况请相关部门核实处理' };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => server.handles.hotlineIntake.accept(record, actor)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['queued', 'queued', 'queued', 'queued']);
    const queued = outcomes as Array<Extract<(typeof outcomes)[number], { outcome: 'queued' }>>;
    expect(queued.filter((o) => !o.replayed)).toHaveLength(1);
    expect(new Set(queued.map((o) => o.triageId)).size).toBe(1);
    const count = (sql: string, ...args: unknown[]) => valueOf<number>(server.store, sql, ...args);
    expect(await count('SELECT COUNT(*) AS n FROM triage_items WHERE channel_id = ?', record.channelId)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'triage:queue' AND object_id = ?", queued[0]!.triageId)).toBe(1);
    // details is json on PostgreSQL: compared as its text
    const details = server.store.dialect === 'postgres' ? 'details::text' : 'details';
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'triage:queue' AND ${details} LIKE ?`, `%${record.channelId}%`)).toBe(1);
  });
});
