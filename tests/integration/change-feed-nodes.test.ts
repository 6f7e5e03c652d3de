import { describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/contracts/events.js';
import { api, cleanupAfterAll, connectClient, intakeAt, pointInCounty, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';

/**
 * Two server nodes writing one database (here one SQLite file; on a city's platform, PostgreSQL),
 * each with the change feed tailing the change log (config.changeFeed.mode = 'tail'): a console
 * on either node receives every case change of both, once, in seq order, the same list on both.
 */

const { tempDir, later } = cleanupAfterAll();

async function twoNodes(): Promise<[TestServer, TestServer]> {
  const dataDir = tempDir();
  const config = { changeFeed: { mode: 'tail' as const, pollMs: 200 } };
  const a = await startTestServer({ dataDir, config });
  later(() => a.stop());
  const b = await startTestServer({ dataDir, config });
  later(() => b.stop());
  return [a, b];
}

const seqsOf = (changes: ReadonlyArray<{ seq: number }>) => changes.map((c) => c.seq);

describe('the change feed with two nodes on one database', () => {
  it("pushes a case filed on one node to a console of the other, and every change of both nodes to both consoles, in seq order, once", async () => {
    const [a, b] = await twoNodes();
    const onA = connectClient(a.url, {});
    const onB = connectClient(b.url, {});
    later(() => onA.socket.close());
    later(() => onB.socket.close());
    await Promise.all([onA.ready, onB.ready]);
    const itemCode = await someItemCode(a.url);
    const at = async (i: number) => {
      const { lon, lat } = await pointInCounty(a.url, i);
      return { lon, lat };
    };

    const first = await api<EventCreated>(a.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await at(0), { description: '甲节点受理' }) });
    expect(first.status).toBe(201);
    const heard = await waitFor(() => onB.changes.find((c) => c.event.id === first.body.event.id), 10_000, "node B's console to hear node A's case");
    expect(heard.seq).toBe(first.body.seq);

    // both nodes take intakes at once: each commit is the other's to read from the log
    const points = await Promise.all(Array.from({ length: 16 }, (_, i) => at(i * 3 + 1)));
    const posted = await Promise.all(
      points.map((p, i) => api<EventCreated>(i % 2 === 0 ? a.url : b.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, p, { description: `并发受理 ${i}` }) })),
    );
    expect(posted.map((r) => r.status)).toEqual(posted.map(() => 201));
    const last = Math.max(...posted.map((r) => r.body.seq));
    await waitFor(() => onA.changes.some((c) => c.seq === last) && onB.changes.some((c) => c.seq === last), 10_000, 'both consoles to reach the last seq');

    // what the log holds from the first intake on, every change of it, is what each console got
    const logged = (await a.store.all<{ seq: number }>('SELECT seq FROM event_changes WHERE seq >= ? AND seq <= ? ORDER BY seq', first.body.seq, last)).map((r) => r.seq);
    expect(logged.length).toBeGreaterThanOrEqual(17);
    const fromFirst = (changes: ReadonlyArray<{ seq: number }>) => seqsOf(changes).filter((s) => s >= first.body.seq && s <= last);
    expect(fromFirst(onA.changes)).toEqual(logged);
    expect(fromFirst(onB.changes)).toEqual(logged);
    for (const r of posted) expect(onA.changes.find((c) => c.seq === r.body.seq)?.event.id).toBe(r.body.event.id);
  });

  it('lets a console that reconnects to the other node catch up from the log by seq, then go on live', async () => {
    const [a, b] = await twoNodes();
    const itemCode = await someItemCode(a.url);
    const at = async (i: number) => {
      const { lon, lat } = await pointInCounty(a.url, i);
      return { lon, lat };
    };
    const onA = connectClient(a.url, {});
    later(() => onA.socket.close());
    const { seq: start } = await onA.ready;
    onA.socket.close(); // node A's console goes away…

    const missed = await api<EventCreated>(a.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await at(2), { description: '断线期间' }) });
    expect(missed.status).toBe(201);
    // …and comes back on node B with the last seq it had
    const onB = connectClient(b.url, { lastSeq: start });
    later(() => onB.socket.close());
    await onB.ready;
    // from the replay, or from the rooms if node B's feed had not read it yet when the console came
    await waitFor(() => onB.changes.some((c) => c.event.id === missed.body.event.id), 10_000, 'the change made while away');
    const live = await api<EventCreated>(a.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await at(4), { description: '重连之后' }) });
    await waitFor(() => onB.changes.some((c) => c.seq === live.body.seq), 10_000, 'the live change after the catch-up');
    const seqs = seqsOf(onB.changes);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });
});
