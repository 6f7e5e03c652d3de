/**
 * Row 4: 50 consoles reconnecting at once, each 10,000 changes behind (a network blip in a
 * command room), on the real server with the demo county.
 * `/health` is requested every 10 ms from a worker thread (its own event loop, so the bench's
 * socket traffic does not delay the probe), open loop: a request is sent every 10 ms whether or
 * not the last one was answered, so a stalled server shows as many slow answers, not one.
 * Baseline: `/health` on the same server, idle, just before the storm. Product: `/health` from
 * the storm's start until the last console got `sync:ready`. Memory: the server's RSS sampled
 * every 25 ms from /proc; the peak growth over the idle level is stated. The server's own
 * event-loop delay (monitorEventLoopDelay) during the storm is noted beside the probe's figure. The time until all 50
 * consoles caught up is stated against a bare Socket.IO server sending the same payloads.
 */
import { Worker } from 'node:worker_threads';
import { Cleanup, median, percentile, sampleRss, sleep, wallNow, type Benchmark, type Sample } from '../support.js';
import { LightSocket } from '../light-socket.js';
import { productPayloads, startBaseline, startProduct, type Side } from './sides.js';
import { BEHIND } from './replay.js';

const CONSOLES = 50;
const PROBE_EVERY_MS = 10;

/** The probe: plain JavaScript evaluated in a worker; posts `{ t, ms }` for every answer (ms = -1: failed). */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const results = [];
let stopping = false;
let inFlight = 0;
const tick = () => {
  if (stopping) return;
  const t = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  inFlight++;
  fetch(workerData.url).then((r) => r.arrayBuffer().then(() => r.ok)).then(
    (ok) => results.push({ t, ms: ok ? performance.now() - t0 : -1, error: ok ? undefined : 'status' }),
    (err) => results.push({ t, ms: -1, error: String(err && err.cause ? err.cause.code || err.cause.message : err) }),
  ).finally(() => { inFlight--; });
  setTimeout(tick, workerData.everyMs);
};
tick();
parentPort.on('message', () => {
  stopping = true;
  const wait = () => (inFlight > 0 ? setTimeout(wait, 5) : parentPort.postMessage(results));
  wait();
});
`;

function probe(url: string): { stop(): Promise<Array<{ t: number; ms: number; error?: string }>> } {
  const worker = new Worker(PROBE, { eval: true, workerData: { url: new URL('/api/v1/health', url).href, everyMs: PROBE_EVERY_MS } });
  return {
    async stop() {
      const results = new Promise<Array<{ t: number; ms: number; error?: string }>>((done) => worker.once('message', done));
      worker.postMessage('stop');
      const r = await results;
      await worker.terminate();
      return r;
    },
  };
}

/** 50 light consoles at once, each `lastSeq` behind; resolves when every one got `sync:ready`. */
async function storm(side: Side, lastSeq: number): Promise<{ ms: number; received: number }> {
  let received = 0;
  let ready = 0;
  const t0 = wallNow();
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((ok) => (allReady = ok));
  const sockets = Array.from(
    { length: CONSOLES },
    () =>
      new LightSocket({
        url: side.ready.url,
        auth: side.ready.token ? { token: side.ready.token, lastSeq } : {},
        onEvent: (name) => {
          if (name === 'event:changed') received++;
          else if (name === 'sync:ready' && ++ready === CONSOLES) allReady();
        },
      }),
  );
  try {
    const timeout = sleep(180_000).then(() => {
      throw new Error(`storm: ${ready} of ${CONSOLES} consoles ready after 180 s`);
    });
    await Promise.race([done, timeout]);
    return { ms: wallNow() - t0, received };
  } finally {
    for (const s of sockets) s.close();
  }
}

export const stormBench: Benchmark = {
  key: 'storm',
  title: '50 consoles reconnecting at once, each 10,000 behind',
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const product = await startProduct(ctx.county, cleanup);
      const lastSeq = product.ready.seq - BEHIND;
      const payloads = await productPayloads(product, lastSeq, BEHIND);
      // warm the change log's pages and the replay's code with one console
      await storm({ ...product, ready: { ...product.ready } }, product.ready.seq - 1_000);

      const health = probe(product.ready.url);
      const rss = sampleRss(product.pid, 25);
      await sleep(ctx.quick ? 2_000 : 4_000);
      await product.ask({ type: 'loopDelay', start: true });
      const stormStart = wallNow();
      const product50 = await storm(product, lastSeq);
      const stormEnd = wallNow();
      const loop = await product.ask<{ p50: number; p99: number; max: number }>({ type: 'loopDelay' });
      await sleep(500);
      const probes = await health.stop();
      const memory = rss.stop();

      const idle = probes.filter((p) => p.t < stormStart);
      const during = probes.filter((p) => p.t >= stormStart && p.t <= stormEnd);
      const failed = during.filter((p) => p.ms < 0).length;
      const why = [...new Set(during.flatMap((p) => (p.error ? [p.error] : [])))].join(', ');
      const ms = (ps: typeof probes) => ps.map((p) => (p.ms < 0 ? Number.POSITIVE_INFINITY : p.ms));
      const idleRss = median(memory.filter((m) => m.t < stormStart).map((m) => m.mb));
      const peakRss = Math.max(...memory.filter((m) => m.t >= stormStart).map((m) => m.mb));
      if (product50.received !== CONSOLES * BEHIND) throw new Error(`storm: ${product50.received} changes received, expected ${CONSOLES * BEHIND}`);

      const baseline = await startBaseline(cleanup);
      await baseline.ask({ type: 'payloads', payloads });
      await baseline.ask({ type: 'replayOnConnect', on: true });
      const raw50 = await storm(baseline, 0);

      const samples: Sample[] = [
        {
          id: 'storm.health.p99',
          measure: `/health p99 while ${CONSOLES} consoles replay ${BEHIND.toLocaleString('en-US')} changes each (raw: same server idle)`,
          unit: 'ms',
          baseline: percentile(ms(idle), 99),
          product: percentile(ms(during), 99),
          target: { kind: 'max', value: 50 },
          note: `${during.length} probes during the storm (max ${Math.max(...ms(during)).toFixed(0)} ms${failed ? `, ${failed} failed: ${why}` : ''}), ${idle.length} idle; the server's event-loop delay during the storm p99 ${loop.p99.toFixed(0)} ms, max ${loop.max.toFixed(0)} ms`,
        },
        {
          id: 'storm.catchup',
          measure: `${CONSOLES} consoles × ${BEHIND.toLocaleString('en-US')} changes: all caught up (raw: bare Socket.IO, same payloads)`,
          unit: 'ms',
          baseline: raw50.ms,
          product: product50.ms,
          target: { kind: 'stated' },
        },
        {
          id: 'storm.rss',
          measure: `server RSS growth during the storm, peak over idle`,
          unit: 'MB',
          // no raw counterpart: the idle level is in the note
          baseline: Number.NaN,
          product: peakRss - idleRss,
          target: { kind: 'stated' },
          note: `idle RSS ${idleRss.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB`,
        },
      ];
      return samples;
    } finally {
      await cleanup.run();
    }
  },
};
