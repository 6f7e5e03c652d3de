import { describe, expect, it } from 'vitest';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { EventChangedPayload } from '../../shared/contracts/socket.js';
import { api, cleanupAfterAll, connectClient, startTestServer, tempDataDir, type TestServer } from './harness.js';
import { as, catalogOf, done, lastSeq, manual, pick, pointIn, reported, towns, type Who } from './workflow-driver.js';

const { later } = cleanupAfterAll();

/** Every event the caller may see, by id (GET /events, all pages), and the sequence it was read at. */
async function snapshot(url: string, who: Who): Promise<{ seq: number; events: Map<string, EventRecord> }> {
  const events = new Map<string, EventRecord>();
  let seq = Number.POSITIVE_INFINITY;
  for (let page = 1; ; page++) {
    const { body } = await api<EventListResponse>(url, `/api/v1/events?page=${page}&pageSize=1000`, { token: who.token });
    seq = Math.min(seq, body.seq);
    for (const e of body.items) events.set(e.id, e);
    if (page * body.pageSize >= body.total) return { seq, events };
  }
}

/**
 * Changes of every kind, as the people in a working day make them: intakes (some urgent,
 * raising alerts), filing, dispatching to the field worker's team and its acceptance (moving the
 * team's status), until at least `n` changes are stored.
 */
async function work(server: TestServer, n: number, tag: string): Promise<void> {
  const [duty, dispatcher, field] = await Promise.all(['demo-duty', 'demo-dispatcher', 'demo-field'].map((u) => as(server.url, u)));
  const catalog = await catalogOf(server.url);
  const routine = pick(catalog, 'dispatched by hand', manual);
  const urgent = pick(catalog, 'urgent and dispatched by hand', (i, u) => (u === 'P0' || u === 'P1') && manual(i, u));
  const fieldTown = field!.towns![0]!;
  const all = await towns(server.url);
  const start = await lastSeq(server.url);
  for (let i = 0; (await lastSeq(server.url)) - start < n; i++) {
    const town = i % 3 === 0 ? all[i % all.length]! : fieldTown;
    const event = await reported(server.url, duty!, i % 5 === 0 ? urgent : routine, await pointIn(server.url, town, i), { description: `${tag} ${i}` });
    if (i % 4 === 3) continue;
    await done(server.url, dispatcher!, event.id, { action: 'file' });
    if (town !== fieldTown) continue;
    // with a reason: the items may ask for another team type than the field team's
    await done(server.url, dispatcher!, event.id, { action: 'dispatch', teamId: field!.teamId!, override: { reason: '重放测试：指定网格员队伍' } });
    if (i % 2 === 0) await done(server.url, field!, event.id, { action: 'accept' });
  }
}

describe('replay across a server restart', () => {
  it('brings a console that missed 500 changes and a restart back to exactly the server state', async () => {
    const data = tempDataDir();
    later(() => data.remove());
    let server = await startTestServer({ dataDir: data.dir });
    let dispatcher = await as(server.url, 'demo-dispatcher');

    // the console loads its snapshot, connects from its seq, then loses its connection
    const state = await snapshot(server.url, dispatcher);
    const first = connectClient(server.url, { token: dispatcher.token, lastSeq: state.seq });
    const seen: EventChangedPayload[] = [];
    first.socket.on('event:changed', (c) => seen.push(c));
    await first.ready;
    first.socket.close();
    const held = seen.reduce((max, c) => Math.max(max, c.seq), state.seq);

    await work(server, 250, '重启前');
    await server.stop();
    server = await startTestServer({ dataDir: data.dir });
    later(() => server.stop());
    dispatcher = await as(server.url, 'demo-dispatcher');
    await work(server, 250, '重启后');
    const target = await lastSeq(server.url);
    expect(target - held).toBeGreaterThanOrEqual(500);

    // it reconnects with the last seq it holds and folds what it is sent into its snapshot
    const back = connectClient(server.url, { token: dispatcher.token, lastSeq: held });
    const ready = await back.ready;
    back.socket.close();
    const replayed = back.changes;
    expect(ready).toEqual({ seq: target, replayed: replayed.length });
    const seqs = replayed.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    // a county console sees every change: all of them, none twice, in order
    expect(seqs).toEqual(Array.from({ length: target - held }, (_, i) => held + 1 + i));
    const mine = new Map(state.events);
    for (const c of replayed) mine.set(c.event.id, c.event);

    const truth = await snapshot(server.url, dispatcher);
    expect(truth.seq).toBe(target);
    expect(mine.size).toBe(truth.events.size);
    for (const [id, event] of truth.events) expect(mine.get(id), id).toEqual(event);

    // and the database holds each change once, numbered without gaps
    const rows = (await server.store.get<{ n: number; d: number; lo: number; hi: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MIN(seq) AS lo, MAX(seq) AS hi FROM event_changes'))!;
    expect(rows.n).toBe(rows.d);
    expect(rows.hi - rows.lo + 1).toBe(rows.n);
    expect(rows.hi).toBe(target);
  }, 120_000);
});
