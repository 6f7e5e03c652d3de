import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/contracts/events.js';
import { databaseFile } from '../../server/src/config.js';
import { api, cleanupAfterAll, connectClient, intakeAt, pointInCounty, someItemCode, startTestServer, TEST_DB, waitFor } from './harness.js';

const { later } = cleanupAfterAll();

describe('intakes arriving together (group commit)', () => {
  // SQLite only: it proves each case durable before its push by a synchronous read of a second
  // connection to the file inside the bus listener; a read of PostgreSQL cannot be made there
  // (the listener cannot wait), and the announcement after the commit is the same afterCommit
  // hook on both stores.
  it.skipIf(TEST_DB === 'postgres')('are each durable before their 201 and their push; one refused inside the group changes nothing and does not hold up the others', async () => {
    const server = await startTestServer();
    later(() => server.stop());
    // a second connection to the file sees only what is committed: what a restart would find
    const committed = new Database(databaseFile(server.dataDir), { readonly: true });
    later(() => committed.close());
    const stored = (id: string) => committed.prepare('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;
    const notStoredWhenAnnounced: string[] = [];
    later(server.handles.bus.subscribe('case:changed', ({ event }) => {
      if (!stored(event.id)) notStoredWhenAnnounced.push(event.id);
    }));

    const itemCode = await someItemCode(server.url);
    const start = (await api<{ seq: number }>(server.url, '/api/v1/health')).body.seq;
    const console_ = connectClient(server.url, { lastSeq: start });
    await console_.ready;
    later(() => console_.socket.close());

    // An earlier intake under a key; in the burst the same key comes back with another body
    // (refused inside the unit of work: 422, after the group has begun).
    const { lon, lat } = await pointInCounty(server.url, 0);
    const p0 = { lon, lat };
    const first = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', headers: { 'idempotency-key': 'burst-key' }, json: intakeAt(itemCode, p0, { description: '先报' }) });
    expect(first.status).toBe(201);
    const before = (committed.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

    const points = await Promise.all(Array.from({ length: 24 }, (_, i) => pointInCounty(server.url, i * 3 + 1)));
    const burst = await Promise.all([
      ...points.map((p, i) =>
        api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', headers: { 'idempotency-key': `burst-${i}` }, json: intakeAt(itemCode, { lon: p.lon, lat: p.lat }, { description: `同时上报 ${i}` }) }).then((res) => {
          // the answer arrives only once the case is on disk
          if (res.status === 201) expect(stored(res.body.id)).toBe(true);
          return res;
        }),
      ),
      api(server.url, '/api/v1/events', { method: 'POST', headers: { 'idempotency-key': 'burst-key' }, json: intakeAt(itemCode, p0, { description: '换了内容' }) }),
    ]);
    expect(burst.map((r) => r.status)).toEqual([...points.map(() => 201), 422]);
    expect((burst.at(-1)!.body as { error: { code: string } }).error.code).toBe('idempotency_conflict');
    expect((committed.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(before + 24);

    // every push came after its commit, in seq order without a gap, once each
    const created = burst.slice(0, 24).map((r) => r.body as EventCreated);
    const last = (await api<{ seq: number }>(server.url, '/api/v1/health')).body.seq;
    await waitFor(() => console_.changes.at(-1)?.seq === last, 20_000, 'the pushes');
    expect(notStoredWhenAnnounced).toEqual([]);
    const seqs = console_.changes.map((c) => c.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => start + 1 + i));
    for (const c of created) expect(console_.changes.some((x) => x.event.id === c.id)).toBe(true);
  });
});
