import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import { api, intakeAt } from '../integration/harness.js';
import { ConsoleModel, expectedView, heldView, viewDifferences } from './support/console-model.js';
import { IntakeClient, markerOf } from './support/intake-client.js';
import { LONG, runSeed, sleep, waitUntil, type Prng } from './support/prng.js';
import { serverForFile, signIn } from './support/server-process.js';
import { readStore } from './support/store-checks.js';
import { TcpProxy } from './support/tcp-proxy.js';

/**
 * Network cuts (docs/RELIABILITY.md): consoles reach the server through a TCP proxy the test
 * controls and keep their live copy of the cases as the console does, while intakes keep arriving
 * directly at the server. The proxy blackholes (connections stay open, nothing passes; a cut
 * longer than the server's ping interval + timeout, 20 s, is noticed by the client's ping
 * timeout) or resets every connection; the server is restarted during the run. At the end each
 * console holds exactly the cases and the last seq the database holds.
 */
interface Cut {
  kind: 'blackhole' | 'reset';
  seconds: number;
  /** The server is restarted (SIGKILL or SIGTERM) in the middle of this cut, or while the link is up after it. */
  restart?: { signal: 'SIGKILL' | 'SIGTERM'; during: boolean };
}

function plan(rng: Prng): Cut[] {
  const kind = (): Cut['kind'] => (rng.next() < 0.5 ? 'blackhole' : 'reset');
  if (!LONG) {
    // a few seconds each, and one blackhole past the ping timeout
    return [
      { kind: 'blackhole', seconds: rng.int(2, 5) },
      { kind: 'reset', seconds: rng.int(2, 5), restart: { signal: 'SIGKILL', during: false } },
      { kind: 'blackhole', seconds: rng.int(22, 26) },
      { kind: kind(), seconds: rng.int(2, 5) },
    ];
  }
  // 5–120 s, the two ends included, in a seeded order; a clean and a hard restart, one of them mid-cut
  const seconds = [5, 120, ...Array.from({ length: 8 }, () => rng.int(5, 120))];
  for (let i = seconds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [seconds[i], seconds[j]] = [seconds[j]!, seconds[i]!];
  }
  return seconds.map((s, i) => ({
    kind: i === 3 ? 'blackhole' : kind(),
    seconds: s,
    ...(i === 3 ? { restart: { signal: 'SIGKILL' as const, during: true } } : {}),
    ...(i === 7 ? { restart: { signal: 'SIGTERM' as const, during: false } } : {}),
  }));
}

const CONSOLES = ['demo-dispatcher', 'demo-dispatcher', 'demo-duty'];
/** Only a hung run fails on these. */
const CATCH_UP_TIMEOUT_MS = 180_000;

const { folder, server, later } = serverForFile('network-cuts');

describe('network cuts', () => {
  it('brings every console back to exactly the server’s cases and seq after blackholes, resets and a restart', async () => {
    const rng = runSeed('network-cuts');
    const started = Date.now();
    await server.start();
    const proxy = await TcpProxy.start(Number(new URL(server.url).port));
    later(() => proxy.close());

    const consoles = await Promise.all(CONSOLES.map(async (user, i) => new ConsoleModel(`${user}#${i}`, proxy.url, await signIn(server.url, user))));
    for (const c of consoles) later(() => c.stop());
    await Promise.all(consoles.map((c) => c.start()));

    const reporters = await Promise.all([0, 1].map(() => signIn(server.url, 'demo-duty')));
    const { body: catalog } = await api<{ items: Array<{ code: string; defaultUrgency: 'P0' | 'P1' | 'P2' | 'P3' }> }>(server.url, '/api/v1/catalog', { token: reporters[0] });
    const { body: geo } = await api<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid', { token: reporters[0] });
    let live: string | null = server.url;
    const intakes = reporters.map((token, i) => {
      const own = rng.fork(`reporter-${i}`);
      return new IntakeClient({
        name: `r${i}`,
        url: () => live,
        token,
        rng: own,
        paceMs: [100, 400],
        body: (key) => {
          const item = own.pick(catalog.items);
          const place = own.pick(geo.features).properties;
          return intakeAt(item.code, { lon: place.labelLon, lat: place.labelLat }, { urgency: item.defaultUrgency, description: `断网测试上报 ${markerOf(key)}` });
        },
      });
    });
    for (const c of intakes) {
      later(() => c.abandon());
      c.start();
    }

    const restart = async (signal: 'SIGKILL' | 'SIGTERM') => {
      live = null;
      await server.kill(signal);
      await server.start();
      proxy.retarget(Number(new URL(server.url).port));
      live = server.url;
    };
    const cuts = plan(rng);
    console.log(`[network-cuts] plan: ${cuts.map((c) => `${c.kind} ${c.seconds} s${c.restart ? ` + ${c.restart.signal} restart${c.restart.during ? ' during it' : ''}` : ''}`).join(', ')}`);
    for (const cut of cuts) {
      await sleep(rng.range(2000, 5000));
      if (cut.kind === 'blackhole') proxy.blackhole();
      else proxy.reset();
      if (cut.restart?.during) {
        await sleep((cut.seconds * 1000) / 2);
        await restart(cut.restart.signal);
        await sleep((cut.seconds * 1000) / 2);
      } else {
        await sleep(cut.seconds * 1000);
      }
      proxy.heal();
      if (cut.restart && !cut.restart.during) {
        await sleep(rng.range(1000, 3000));
        await restart(cut.restart.signal);
      }
    }

    // Intakes stop, every one acknowledged; then each console must catch up to the last seq.
    await Promise.all(intakes.map((c) => c.finish()));
    const db = new Database(databaseFile(folder.dir), { readonly: true, fileMustExist: true });
    later(() => db.close());
    const lastSeq = (db.prepare('SELECT MAX(seq) AS seq FROM event_changes').get() as { seq: number }).seq;
    await waitUntil(() => consoles.every((c) => c.caughtUpTo(lastSeq) || c.problems.length > 0), CATCH_UP_TIMEOUT_MS, () => `every console at seq ${lastSeq}; proxy ${proxy.describe()}\n${consoles.map((c) => c.describe()).join('\n')}`);
    const now = Date.now();
    const expected = expectedView(db.prepare('SELECT id, seq, status, reported_at FROM events').all() as Array<{ id: string; seq: number; status: string; reported_at: string }>, lastSeq, now);

    const acked = intakes.reduce((n, c) => n + c.acked.size, 0);
    // the intakes themselves, across the restarts: each acknowledged one stored once, no gap
    const store = await readStore(folder.dir, /\[intake ([^\]]+)\]/);
    const wrongIntakes = intakes.flatMap((c) => [...c.acked].filter(([key, o]) => store.intakes.get(key)?.join() !== o.eventId).map(([key]) => key));
    console.log(
      `[network-cuts] ${cuts.length} cuts in ${((Date.now() - started) / 1000).toFixed(0)} s, ${server.starts} server starts, ${acked} intakes acknowledged ` +
        `(lost ${wrongIntakes.filter((k) => !store.intakes.has(k)).length}, duplicated ${[...store.intakes.values()].filter((ids) => ids.length > 1).length}), last seq ${lastSeq}; ` +
        `proxy: ${proxy.stats.accepted} connections, ${proxy.stats.reset} reset, ${proxy.stats.refused} refused; ` +
        consoles
          .map((c) => `${c.name}: ${c.stats.connects} connects (lost: ${[...c.disconnects].map(([why, n]) => `${why} ×${n}`).join(', ')}), ${c.stats.replayed} replayed, ${c.stats.resets} resyncs, ${c.feed.events.size} cases`)
          .join('; '),
    );
    expect(intakes.flatMap((c) => c.failures)).toEqual([]);
    expect(wrongIntakes).toEqual([]);
    expect(store.intakes.size).toBe(acked);
    expect(store.integrity).toBe('ok');
    expect([store.changes.first, store.changes.count]).toEqual([1, lastSeq]);
    for (const c of consoles) {
      expect(c.problems, c.name).toEqual([]);
      const held = heldView(c);
      expect(held.seq, c.name).toBe(expected.seq);
      // the differences, not two maps of a thousand cases
      expect(viewDifferences(held, expected), c.name).toEqual({ missing: [], extra: [], stale: [] });
      // the cuts reached it: it lost its socket and came back
      expect(c.stats.connects, c.name).toBeGreaterThan(1);
    }
    expect(expected.events.size).toBeGreaterThan(acked);
  });
});
