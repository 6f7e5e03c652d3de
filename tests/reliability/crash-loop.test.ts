import { afterAll, describe, expect, it } from 'vitest';
import { api, intakeAt } from '../integration/harness.js';
import { IntakeClient, markerOf } from './support/intake-client.js';
import { LONG, runSeed, sleep } from './support/prng.js';
import { ServerProcess, signIn, tempFolder } from './support/server-process.js';
import { readStore, verifyAudit } from './support/store-checks.js';

/**
 * Crash loop (docs/RELIABILITY.md): clients keep reporting intakes with Idempotency-Keys while
 * the server is killed with SIGKILL at moments a seeded generator picks and started again on the
 * same data folder; every request that was not acknowledged is retried with its key. Afterwards
 * every acknowledged intake is stored exactly once, nothing retried is stored twice, SQLite's
 * integrity check passes, the change log has no gap and the audit chain verifies.
 */
const CYCLES = LONG ? 120 : 8;
const CLIENTS = 4;
/** How long the server runs before the next kill, ms (from the moment it accepts connections). */
const UPTIME_MS: [number, number] = [0, 1800];

const folder = tempFolder('crash-loop');
const server = new ServerProcess(folder.dir);
const clients: IntakeClient[] = [];
afterAll(async () => {
  for (const c of clients) c.abandon();
  await server.kill();
  folder.remove();
});

describe('crash loop', () => {
  it(`stores every acknowledged intake exactly once across ${CYCLES} SIGKILLs`, async () => {
    const rng = runSeed('crash-loop');
    const started = Date.now();
    await server.start();
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => signIn(server.url, 'demo-dispatcher')));
    const { body: catalog } = await api<{ items: Array<{ code: string; defaultUrgency: 'P0' | 'P1' | 'P2' | 'P3' }> }>(server.url, '/api/v1/catalog', { token: tokens[0] });
    const { body: geo } = await api<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid', { token: tokens[0] });
    const places = geo.features.map((f) => f.properties);

    // null while the server is down: a client then waits instead of knocking on a dead port
    let live: string | null = server.url;
    for (const [i, token] of tokens.entries()) {
      const own = rng.fork(`client-${i}`);
      const client = new IntakeClient({
        name: `c${i}`,
        url: () => live,
        token,
        rng: own,
        paceMs: [20, 80],
        body: (key) => {
          const place = own.pick(places);
          const item = own.pick(catalog.items);
          return intakeAt(item.code, { lon: place.labelLon, lat: place.labelLat }, { urgency: item.defaultUrgency, description: `崩溃循环测试上报 ${markerOf(key)}` });
        },
      });
      clients.push(client);
      client.start();
    }

    const killedMidRequest: number[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      await sleep(rng.range(...UPTIME_MS));
      killedMidRequest.push(clients.filter((c) => c.inFlight !== null).length);
      await server.kill('SIGKILL');
      live = null;
      await server.start();
      live = server.url;
    }
    // The last server runs until every client's last intake is acknowledged.
    await Promise.all(clients.map((c) => c.finish()));
    await server.stop();

    const failures = clients.flatMap((c) => c.failures);
    const acked = new Map(clients.flatMap((c) => [...c.acked]));
    const sent = new Set(clients.flatMap((c) => [...c.sent]));
    const outcomes = [...acked.values()];
    const store = await readStore(folder.dir, /\[intake ([^\]]+)\]/);
    const audit = await verifyAudit(folder.dir);
    console.log(
      `[crash-loop] ${CYCLES} SIGKILL cycles in ${((Date.now() - started) / 1000).toFixed(0)} s: ${acked.size} intakes acknowledged ` +
        `(${outcomes.filter((o) => o.retries > 0).length} after retries, ${outcomes.filter((o) => o.replayed).length} answered as replays of a stored attempt), ` +
        `${killedMidRequest.reduce((a, b) => a + b, 0)} requests in flight at the kills, ` +
        `change log #${store.changes.first}–#${store.changes.last}; ` +
        `lost ${[...acked.keys()].filter((k) => !store.intakes.has(k)).length}, duplicated ${[...store.intakes.values()].filter((ids) => ids.length > 1).length}`,
    );

    expect(failures).toEqual([]);
    expect(store.integrity).toBe('ok');
    // gap-free: the log starts at 1 and holds every number up to its last
    expect(store.changes.first).toBe(1);
    expect(store.changes.count).toBe(store.changes.last);
    expect(store.eventsOutOfStep).toBe(0);
    // each acknowledged intake: present once, as the event its answer named, under its key
    const wrong = [...acked].filter(([key, o]) => store.intakes.get(key)?.length !== 1 || store.intakes.get(key)![0] !== o.eventId || store.keys.get(key) !== o.eventId);
    expect(wrong.map(([key, o]) => ({ key, answered: o.eventId, stored: store.intakes.get(key) ?? [], keyedTo: store.keys.get(key) }))).toEqual([]);
    // nothing sent is stored twice, and nothing is stored that was not sent
    expect([...store.intakes].filter(([, ids]) => ids.length > 1)).toEqual([]);
    expect([...store.intakes.keys()].filter((k) => !sent.has(k))).toEqual([]);
    expect(acked.size).toBe(sent.size);
    expect(audit.code, audit.output).toBe(0);
    expect(audit.output).toMatch(/audit chain intact/);
  });
});
