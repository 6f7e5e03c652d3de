import { afterAll, describe, expect, it } from 'vitest';
import { openStore, Store } from '../../server/src/db/store.js';
import Database from 'better-sqlite3';
import { databaseFile } from '../../server/src/config.js';
import { api, intakeAt } from '../integration/harness.js';
import { startTestPostgres, type TestPostgres } from '../integration/postgres.js';
import { startTestRedis, type TestRedis } from '../integration/redis.js';
import { ConsoleModel, expectedView, heldView, viewDifferences } from './support/console-model.js';
import { IntakeClient, markerOf } from './support/intake-client.js';
import { LONG, runSeed, sleep, waitUntil } from './support/prng.js';
import { ServerProcess, signIn, tempFolder } from './support/server-process.js';
import { readStoreOf } from './support/store-checks.js';
import { TcpProxy } from './support/tcp-proxy.js';

/**
 * Failover (issue 15, docs/RELIABILITY.md): two server nodes, each its own process started by the
 * CLI with `--redis` on one database, behind TCP proxies that send each new connection to the first
 * node that accepts it. Consoles (socket.io with reconnection and the console's lastSeq handshake)
 * and intake clients (Idempotency-Key, retried until acknowledged) all go through the proxies,
 * most of them preferring one node. Under load, the node holding most connections is killed
 * (SIGKILL). Afterwards every acknowledged intake is stored once, every console received every
 * change after its start seq (duplicates only counted) and holds what the database holds, and
 * the surviving node served on. The switchover times are printed, not asserted.
 *
 * Run twice: the nodes on one PostgreSQL database (`--db`, how a city deploys them) and on one
 * SQLite file of one host (`--data`); only NODE_ARGS and where the checks read differ.
 */
const ROUNDS = LONG ? 5 : 1;
/** Load before each kill, and after it before the next round, ms. */
const LOAD_BEFORE_MS: [number, number] = LONG ? [6000, 12000] : [2000, 4000];
const LOAD_AFTER_MS = LONG ? 8000 : 3000;
/** Consoles and intake clients on the proxy that prefers the first node, and on the one that prefers the second. */
const MAJORITY = { consoles: 3, intakes: 3 };
const MINORITY = { consoles: 1, intakes: 1 };
/** Only a hung run fails on these. */
const SWITCH_TIMEOUT_MS = 60_000;
const CATCH_UP_TIMEOUT_MS = 120_000;

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe.each(['postgres', 'sqlite'] as const)('failover between two server nodes on %s', (kind) => {
  it(`keeps every console and intake whole when the busier node is killed (${ROUNDS} kill${ROUNDS > 1 ? 's' : ''})`, async () => {
    const rng = runSeed(kind === 'sqlite' ? 'failover' : `failover-${kind}`);
    const started = Date.now();
    const folder = tempFolder(`failover-${kind}`);
    cleanup.push(() => folder.remove());
    const redis: TestRedis = await startTestRedis();
    cleanup.push(() => redis.stop());
    let cluster: TestPostgres | null = null;
    let database: string | null = null;
    if (kind === 'postgres') {
      cluster = await startTestPostgres();
      cleanup.push(() => cluster!.stop());
      database = await cluster.createDatabase();
    }
    const NODE_ARGS = ['--redis', redis.url, ...(database ? ['--db', database] : [])];
    const nodes = [new ServerProcess(folder.dir, NODE_ARGS), new ServerProcess(folder.dir, NODE_ARGS)];
    cleanup.push(() => Promise.all(nodes.map((n) => n.kill())));
    // one after the other: the first seeds the empty database, the second finds it seeded
    for (const n of nodes) await n.start();
    const port = (n: ServerProcess) => Number(new URL(n.url).port);
    // each proxy's order of preference; a restarted node keeps its place under its new port
    const proxies = [await TcpProxy.start([port(nodes[0]!), port(nodes[1]!)]), await TcpProxy.start([port(nodes[1]!), port(nodes[0]!)])];
    cleanup.push(() => Promise.all(proxies.map((p) => p.close())));
    const retarget = () => {
      proxies[0]!.retarget([port(nodes[0]!), port(nodes[1]!)]);
      proxies[1]!.retarget([port(nodes[1]!), port(nodes[0]!)]);
    };

    // `at`: the node a client is on. A new connection goes to its proxy's first choice; one that
    // is open stays on its node until that node dies, and then moves to the other.
    const consoles: Array<{ model: ConsoleModel; proxy: number; startSeq: number; at: number }> = [];
    for (const [proxy, n] of [MAJORITY.consoles, MINORITY.consoles].entries()) {
      for (let i = 0; i < n; i++) {
        const model = new ConsoleModel(`console-${proxy}.${i}`, proxies[proxy]!.url, await signIn(nodes[0]!.url, 'demo-dispatcher'));
        cleanup.push(() => model.stop());
        consoles.push({ model, proxy, startSeq: 0, at: proxy });
      }
    }
    await Promise.all(consoles.map((c) => c.model.start()));
    for (const c of consoles) c.startSeq = c.model.feed.seq;

    const token0 = await signIn(nodes[0]!.url, 'demo-dispatcher');
    const { body: catalog } = await api<{ items: Array<{ code: string; defaultUrgency: 'P0' | 'P1' | 'P2' | 'P3' }> }>(nodes[0]!.url, '/api/v1/catalog', { token: token0 });
    const { body: geo } = await api<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>(nodes[0]!.url, '/api/v1/geo/microgrid', { token: token0 });
    const intakes: Array<{ client: IntakeClient; proxy: number; at: number }> = [];
    for (const [proxy, n] of [MAJORITY.intakes, MINORITY.intakes].entries()) {
      for (let i = 0; i < n; i++) {
        const name = `p${proxy}c${i}`;
        const own = rng.fork(name);
        const client = new IntakeClient({
          name,
          url: () => proxies[proxy]!.url,
          token: await signIn(nodes[0]!.url, 'demo-dispatcher'),
          rng: own,
          paceMs: [20, 80],
          body: (key) => {
            const item = own.pick(catalog.items);
            const place = own.pick(geo.features).properties;
            return intakeAt(item.code, { lon: place.labelLon, lat: place.labelLat }, { urgency: item.defaultUrgency, description: `故障切换测试上报 ${markerOf(key)}` });
          },
        });
        cleanup.push(() => client.abandon());
        intakes.push({ client, proxy, at: proxy });
        client.start();
      }
    }

    interface Round {
      victim: number;
      /** Open proxied connections per node at the kill. */
      links: number[];
      killedAt: number;
      /** ms from the kill to the first acknowledged intake sent after it, per client that preferred the victim. */
      intake: number[];
      /** ms from the kill to the console's next `sync:ready`, per console that was on the victim. */
      console: number[];
      switched: string[];
    }
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await sleep(rng.range(...LOAD_BEFORE_MS));
      // the node most connections are on: with both proxies preferring their own node at first, the first
      const links = nodes.map((n) => proxies.reduce((sum, p) => sum + (p.linksByUpstream().get(port(n)) ?? 0), 0));
      const victim = links[0]! >= links[1]! ? 0 : 1;
      const survivor = 1 - victim;
      const syncsBefore = consoles.map((c) => c.model.syncs.length);
      const connectsBefore = consoles.map((c) => c.model.stats.connects);
      const lostBefore = consoles.map((c) => [...c.model.disconnects.values()].reduce((a, b) => a + b, 0));
      const killedAt = Date.now();
      await nodes[victim]!.kill('SIGKILL');
      // each proxy now sends new connections to the survivor (the victim's port refuses them)
      const moved = consoles.filter((c) => c.at === victim);
      const movedIntakes = intakes.filter((i) => i.at === victim);
      const firstAckAfter = (c: IntakeClient) => Math.min(...[...c.acked.values()].filter((o) => o.sentAt >= killedAt).map((o) => o.ackedAt));
      const syncedAgain = (c: (typeof consoles)[number]) => c.model.syncs.length > syncsBefore[consoles.indexOf(c)]!;
      await waitUntil(
        () => movedIntakes.every((i) => Number.isFinite(firstAckAfter(i.client))) && moved.every((c) => c.model.connected && syncedAgain(c)),
        SWITCH_TIMEOUT_MS,
        () => `every client back after the kill of node ${victim}\n${consoles.map((c) => c.model.describe()).join('\n')}\n${proxies.map((p) => p.describe()).join('\n')}\n${nodes[survivor]!.output}`,
      );
      rounds.push({
        victim,
        links,
        killedAt,
        intake: movedIntakes.map((i) => firstAckAfter(i.client) - killedAt),
        console: moved.map((c) => c.model.syncs[syncsBefore[consoles.indexOf(c)]!]!.at - killedAt),
        switched: moved.map((c) => c.model.name),
      });
      // the consoles that were on the killed node lost their socket and came back; the others kept theirs (counts, not times)
      for (const [i, c] of consoles.entries()) {
        if (c.at === victim) expect(c.model.stats.connects, c.model.name).toBeGreaterThan(connectsBefore[i]!);
        else expect([...c.model.disconnects.values()].reduce((a, b) => a + b, 0), `${c.model.name} on the surviving node`).toBe(lostBefore[i]!);
      }
      for (const c of [...moved, ...movedIntakes]) c.at = survivor;
      await sleep(LOAD_AFTER_MS);
      if (r < ROUNDS - 1) {
        // the victim comes back (a new port) and takes new connections of the proxy that prefers it
        await nodes[victim]!.start();
        retarget();
      }
    }

    // Intakes stop, each acknowledged; then every console must be at the database's last seq.
    await Promise.all(intakes.map((i) => i.client.finish()));
    const survivorUrl = nodes.find((n) => n.running)!.url;
    // the survivor keeps serving, through either proxy
    for (const p of proxies) expect((await api(p.url, '/api/v1/health', { anonymous: true })).status).toBe(200);
    const sqlite = database ? null : new Database(databaseFile(folder.dir), { readonly: true, fileMustExist: true });
    const db = sqlite ? Store.onSqlite(sqlite) : openStore(database!);
    cleanup.push(() => (sqlite ? sqlite.close() : db.close()));
    const lastSeq = (await db.get<{ seq: number }>('SELECT MAX(seq) AS seq FROM event_changes'))!.seq;
    await waitUntil(
      () => consoles.every((c) => c.model.caughtUpTo(lastSeq) || c.model.problems.length > 0),
      CATCH_UP_TIMEOUT_MS,
      () => `every console at seq ${lastSeq}\n${consoles.map((c) => c.model.describe()).join('\n')}`,
    );
    const expected = expectedView(await db.all<{ id: string; seq: number; status: string; reported_at: string }>('SELECT id, seq, status, reported_at FROM events'), lastSeq, Date.now());

    const clients = intakes.map((i) => i.client);
    const acked = new Map(clients.flatMap((c) => [...c.acked]));
    const sent = new Set(clients.flatMap((c) => [...c.sent]));
    const store = await readStoreOf(database ? { postgres: database } : { dataDir: folder.dir }, /\[intake ([^\]]+)\]/);
    const perConsole = consoles.map((c) => {
      const got = new Set(c.model.received);
      const missing: number[] = [];
      for (let s = c.startSeq + 1; s <= lastSeq; s++) if (!got.has(s)) missing.push(s);
      return {
        name: c.model.name,
        missing,
        duplicates: c.model.received.length - got.size,
        early: c.model.received.filter((s) => s <= c.startSeq).length,
        beyond: c.model.received.filter((s) => s > lastSeq).length,
      };
    });
    const afterKill = [...acked.values()].filter((o) => o.sentAt >= rounds[0]!.killedAt).length;
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
    console.log(
      `[failover on ${kind}] ${ROUNDS} kill(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
        rounds
          .map(
            (r, i) =>
              `round ${i + 1}: killed node ${r.victim} holding ${r.links[r.victim]} of ${r.links[0]! + r.links[1]!} proxied connections; ` +
              `first intake after the kill ${Math.min(...r.intake).toFixed(0)} ms, per client ${fmt(r.intake)}; consoles' sync:ready on the survivor ${fmt(r.console)} [${r.switched.join(', ')}]`,
          )
          .join('; ') +
        `; ${acked.size} intakes acknowledged (${afterKill} sent after the first kill, ${[...acked.values()].filter((o) => o.retries > 0).length} after retries, ` +
        `${[...acked.values()].filter((o) => o.replayed).length} answered as replays), lost ${[...acked.keys()].filter((k) => !store.intakes.has(k)).length}, ` +
        `duplicated ${[...store.intakes.values()].filter((ids) => ids.length > 1).length}; change log #${store.changes.first}–#${store.changes.last}; ` +
        `proxies: ${proxies.map((p) => JSON.stringify(p.stats)).join(' ')}; ` +
        perConsole
          .map((p, i) => `${p.name}: from seq ${consoles[i]!.startSeq}, ${consoles[i]!.model.received.length} received, ${p.missing.length} missing, ${p.duplicates} raw duplicates, ${consoles[i]!.model.stats.connects} connects, ${consoles[i]!.model.stats.resets} resyncs`)
          .join('; ') +
        `; survivor ${survivorUrl}`,
    );

    // intakes: each acknowledged one stored once, as the event its answer named, under its key
    expect(clients.flatMap((c) => c.failures)).toEqual([]);
    const wrong = [...acked].filter(([key, o]) => store.intakes.get(key)?.length !== 1 || store.intakes.get(key)![0] !== o.eventId || store.keys.get(key) !== o.eventId);
    expect(wrong.map(([key, o]) => ({ key, answered: o.eventId, stored: store.intakes.get(key) ?? [], keyedTo: store.keys.get(key) }))).toEqual([]);
    expect([...store.intakes].filter(([, ids]) => ids.length > 1)).toEqual([]);
    expect([...store.intakes.keys()].filter((k) => !sent.has(k))).toEqual([]);
    expect(acked.size).toBe(sent.size);
    // the survivor took intakes after the kill
    expect(afterKill).toBeGreaterThan(0);
    expect(store.integrity).toBe('ok');
    expect([store.changes.first, store.changes.count]).toEqual([1, store.changes.last]);
    expect(store.eventsOutOfStep).toBe(0);
    // consoles: every change after the console's start seq arrived on its socket (duplicates are
    // dropped by seq and only counted), none from before it, none beyond the log; and its view is the database's
    for (const [i, c] of consoles.entries()) {
      const p = perConsole[i]!;
      expect(c.model.problems, p.name).toEqual([]);
      expect(c.model.stats.resets, `${p.name}: resyncs`).toBe(0);
      expect({ missing: p.missing, early: p.early, beyond: p.beyond }, p.name).toEqual({ missing: [], early: 0, beyond: 0 });
      const held = heldView(c.model);
      expect(held.seq, p.name).toBe(lastSeq);
      expect(viewDifferences(held, expected), p.name).toEqual({ missing: [], extra: [], stale: [] });
    }
    // every round moved someone: the consoles that were on the killed node
    for (const r of rounds) expect(r.switched.length).toBeGreaterThan(0);
  });
});
