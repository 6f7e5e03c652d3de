import type { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/contracts/events.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import type { SyncResetPayload } from '../../shared/contracts/socket.js';
import { api, cleanupAfterAll, connectClient, intakeAt, pointInCounty, someItemCode, spawnServer, startTestServer, tempDataDir, waitFor } from './harness.js';

const { later } = cleanupAfterAll();

async function postMany(url: string, n: number, tag: string): Promise<EventCreated[]> {
  const itemCode = await someItemCode(url);
  const out: EventCreated[] = [];
  for (let i = 0; i < n; i++) {
    const p = await pointInCounty(url, i * 7);
    const res = await api<EventCreated>(url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: p.lon, lat: p.lat }, { description: `${tag} ${i}` }) });
    expect(res.status).toBe(201);
    out.push(res.body);
  }
  return out;
}

describe('replay by lastSeq', () => {
  it('sends every change after lastSeq from the database, in order, then live ones', async () => {
    const server = await startTestServer();
    later(() => server.stop());
    const start = (await api<HealthResponse>(server.url, '/api/v1/health')).body.seq;
    const missed = await postMany(server.url, 6, '离线期间');

    const client = connectClient(server.url, { lastSeq: start });
    const ready = await client.ready;
    expect(ready).toEqual({ seq: start + 6, replayed: 6 });
    expect(client.changes.map((c) => c.seq)).toEqual(missed.map((m) => m.seq));
    expect(client.changes.map((c) => c.event.id)).toEqual(missed.map((m) => m.id));

    const [live] = await postMany(server.url, 1, '实时');
    await waitFor(() => client.changes.length === 7, 10_000, 'the live change');
    expect(client.changes[6]!.seq).toBe(live!.seq);
    client.socket.close();
  });

  it('replays a long backlog a batch at a time, letting other work run in between, complete and in order', async () => {
    // batches of 20 over the seeded county's history (some 300 changes): many batches
    // one step a turn (replayTurnMs 0): a turn ends as soon as it has sent a batch
    const server = await startTestServer({ config: { replayBatch: 20, replayTurnMs: 0 } });
    later(() => server.stop());
    const seq = (await api<HealthResponse>(server.url, '/api/v1/health')).body.seq;
    const behind = Math.min(seq, 300);
    expect(behind).toBeGreaterThan(100);
    // The server runs in this process: count the event loop's turns, and note the turn of each
    // replayed change and of sync:ready as the server emits them. One synchronous replay would
    // emit them all in one turn, holding every other request and socket until it ended.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turns: { first?: number; ready?: number } = {};
    // before the server's own connection handler, which starts the replay
    (server.handles.io.of('/') as unknown as EventEmitter).prependListener('connection', (socket: { emit: (...args: unknown[]) => boolean }) => {
      const emit = socket.emit.bind(socket);
      socket.emit = (name: unknown, ...rest: unknown[]) => {
        if (name === 'event:changed') turns.first ??= turn;
        if (name === 'sync:ready') turns.ready = turn;
        return emit(name, ...rest);
      };
    });

    const client = connectClient(server.url, { lastSeq: seq - behind });
    const ready = await client.ready;
    ticking = false;
    expect(ready).toEqual({ seq, replayed: behind });
    expect(client.changes.map((c) => c.seq)).toEqual(Array.from({ length: behind }, (_, i) => seq - behind + 1 + i));
    // 15 batches: the replay spanned many turns (one synchronous replay spans none)
    expect(turns.ready! - turns.first!).toBeGreaterThanOrEqual(10);
    client.socket.close();
  });

  it('replays to many reconnecting consoles at once, each complete and in order, while requests are answered', async () => {
    const server = await startTestServer({ config: { replayBatch: 20, replayTurnMs: 0 } });
    later(() => server.stop());
    const seq = (await api<HealthResponse>(server.url, '/api/v1/health')).body.seq;
    const behind = Math.min(seq, 300);
    // a network blip: ten consoles come back at once, each `behind` changes behind
    const consoles = Array.from({ length: 10 }, () => connectClient(server.url, { lastSeq: seq - behind }));
    for (const c of consoles) later(() => c.socket.close());
    let replaying = true;
    const allReady = Promise.all(consoles.map((c) => c.ready));
    void allReady.then(() => (replaying = false));
    // /health asked again and again while the replays run: answers come between their steps
    while (replaying) {
      const res = await api<HealthResponse>(server.url, '/api/v1/health');
      expect(res.status).toBe(200);
    }
    await allReady;
    for (const c of consoles) expect(c.changes.map((x) => x.seq)).toEqual(Array.from({ length: behind }, (_, i) => seq - behind + 1 + i));
  });

  it('asks a client too far behind to refetch, and one ahead of the server too', async () => {
    const server = await startTestServer({ config: { replayLimit: 3 } });
    later(() => server.stop());
    const start = (await api<HealthResponse>(server.url, '/api/v1/health')).body.seq;
    await postMany(server.url, 4, '积压');

    for (const [lastSeq, reason] of [
      [start, 'replay_window_exceeded'],
      [start + 1000, 'ahead_of_server'],
    ] as const) {
      const client = connectClient(server.url, { lastSeq });
      const reset = new Promise<SyncResetPayload>((ok) => client.socket.once('sync:reset', ok));
      await client.ready;
      expect(await reset).toEqual({ seq: start + 4, reason });
      expect(client.changes).toHaveLength(0);
      client.socket.close();
    }
  });

  it('refuses a handshake whose lastSeq is not a sequence number', async () => {
    const server = await startTestServer();
    later(() => server.stop());
    for (const lastSeq of ['abc', -1, 1.5]) {
      const client = connectClient(server.url, { lastSeq });
      await expect(client.ready).rejects.toMatchObject({ message: 'invalid_auth', data: { code: 'invalid_auth' } });
      client.socket.close();
    }
  });

  it('replays across a server restart, from the database', async () => {
    const data = tempDataDir();
    later(() => data.remove());
    const first = await spawnServer(data.dir);
    const start = (await api<HealthResponse>(first.url, '/api/v1/health')).body.seq;
    const client = connectClient(first.url, { lastSeq: start });
    await client.ready;
    const before = await postMany(first.url, 3, '重启前');
    await waitFor(() => client.changes.length === 3, 10_000, 'pushes before the restart');
    client.socket.close();
    const lastSeen = client.changes.at(-1)!.seq;

    expect(await first.stop()).toBe(0);
    const second = await spawnServer(data.dir);
    later(() => second.stop());
    const after = await postMany(second.url, 4, '重启后');

    const back = connectClient(second.url, { lastSeq: lastSeen });
    expect((await back.ready).replayed).toBe(4);
    expect(back.changes.map((c) => c.event.id)).toEqual(after.map((a) => a.id));
    expect(back.changes.map((c) => c.seq)).toEqual(after.map((a) => a.seq));
    expect(after[0]!.seq).toBe(before.at(-1)!.seq + 1);
    back.socket.close();

    const fromStart = connectClient(second.url, { lastSeq: start });
    expect((await fromStart.ready).replayed).toBe(7);
    fromStart.socket.close();
  });
});
