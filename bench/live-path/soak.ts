/**
 * Row 6: 3,400 field devices reporting positions every 10 s, plus 50 consoles, for 10 minutes
 * (--quick: 1): the server's memory stated and flat.
 * Product: the real server on the demo county; one field-worker account per team (567), each with
 * a session; device i reports for team i mod 567 (about six phones a team, as the county has
 * 3,361 grid workers) with `team:position` and its ack, the reports spread evenly over each 10 s.
 * The devices are on the live feed like the field app (their town's rooms, `team:moved` each
 * second); 50 dispatcher consoles hear every team move. Memory: RSS from /proc and the V8 heap
 * after a forced full collection (`--expose-gc`), sampled through the run.
 * Flat: the least-squares slope of the post-GC heap over the second half of the run is at most
 * 0.5 MB/min (30 MB an hour; a leak of ~25 bytes a report would exceed it). RSS is stated (start,
 * end, max, slope): it includes the allocator's and SQLite's caches, which grow in steps.
 * Baseline: a bare Socket.IO server acknowledging the same reports from as many sockets, for
 * 2 minutes (--quick: 30 s): the same figures.
 */
import { Cleanup, inBatches, percentile, rssMb, slope, sleep, wallNow, type Benchmark, type Sample } from '../support.js';
import { LightSocket } from '../light-socket.js';
import { startBaseline, startProduct, type Side } from './sides.js';

const DEVICES = 3_400;
const CONSOLES = 50;
const REPORT_EVERY_MS = 10_000;
export const FLAT_MB_PER_MINUTE = 0.5;

interface Device {
  token: string;
  teamId: string;
  lon: number;
  lat: number;
}

interface SoakResult {
  memory: Array<{ minute: number; rss: number; heap: number }>;
  ackP99: number;
  reports: number;
  refused: number;
  consoleMessages: number;
}

async function soak(side: Side, devices: Device[] | null, minutes: number): Promise<SoakResult> {
  let consoleMessages = 0;
  const phones = await inBatches(
    Array.from({ length: DEVICES }, (_, i) => i),
    100,
    async (i) => {
      const s = new LightSocket({ url: side.ready.url, auth: devices ? { token: devices[i % devices.length]!.token } : {} });
      await s.connected;
      return s;
    },
  );
  const consoles = await inBatches(
    Array.from({ length: CONSOLES }, (_, i) => i),
    50,
    async () => {
      const s = new LightSocket({ url: side.ready.url, auth: side.ready.token ? { token: side.ready.token } : {}, onEvent: () => consoleMessages++ });
      await s.connected;
      return s;
    },
  );
  const acks: number[] = [];
  let reports = 0;
  let refused = 0;
  const start = performance.now();
  const report = (i: number) => {
    const d = devices?.[i % devices.length];
    // a walk around the team's base: 0.002° ≈ 200 m
    const jitter = () => (Math.random() - 0.5) * 0.004;
    const payload = { lon: (d?.lon ?? 119.9) + jitter(), lat: (d?.lat ?? 29.1) + jitter(), accuracy: 10 };
    const t0 = performance.now();
    reports++;
    void phones[i]!.emitWithAck('team:position', payload).then((ack) => {
      acks.push(performance.now() - t0);
      if (!ack.includes('"ok":true')) refused++;
    });
  };
  let sent = 0;
  const ticker = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / REPORT_EVERY_MS) * DEVICES);
    for (; sent < due; sent++) report(sent % DEVICES);
  }, 20);

  const memory: SoakResult['memory'] = [];
  const every = Math.max(5_000, (minutes * 60_000) / 40);
  try {
    for (;;) {
      const { memory: m } = await side.ask<{ memory: NodeJS.MemoryUsage }>({ type: 'memory', gc: true });
      const minute = (performance.now() - start) / 60_000;
      memory.push({ minute, rss: rssMb(side.pid), heap: m.heapUsed / 2 ** 20 });
      if (minute >= minutes) break;
      await sleep(Math.min(every, (minutes - minute) * 60_000 + 10));
    }
  } finally {
    clearInterval(ticker);
    const settle = wallNow();
    while (acks.length < reports && wallNow() - settle < 10_000) await sleep(50);
    for (const s of [...phones, ...consoles]) s.close();
    await sleep(500);
  }
  return { memory, ackP99: percentile(acks, 99), reports, refused, consoleMessages };
}

function flatness(r: SoakResult, minutes: number) {
  const second = r.memory.filter((m) => m.minute >= minutes / 2);
  const first = r.memory[0]!;
  const last = r.memory.at(-1)!;
  return {
    heapSlope: slope(second.map((m) => ({ x: m.minute, y: m.heap }))),
    rssSlope: slope(second.map((m) => ({ x: m.minute, y: m.rss }))),
    rss: { start: first.rss, end: last.rss, max: Math.max(...r.memory.map((m) => m.rss)) },
    heap: { start: first.heap, end: last.heap, max: Math.max(...r.memory.map((m) => m.heap)) },
  };
}

export const soakBench: Benchmark = {
  key: 'soak',
  title: '3,400 devices reporting every 10 s + 50 consoles: memory over time',
  once: true,
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const minutes = ctx.soakMinutes;
      const baselineMinutes = Math.min(minutes, ctx.quick ? 0.5 : 2);
      const baseline = await startBaseline(cleanup);
      ctx.log(`  raw baseline, ${baselineMinutes} min`);
      const raw = await soak(baseline, null, baselineMinutes);
      await baseline.stop();
      const product = await startProduct(ctx.county, cleanup);
      const { devices } = await product.ask<{ devices: Device[] }>({ type: 'devices' });
      ctx.log(`  product, ${minutes} min`);
      const got = await soak(product, devices, minutes);
      const b = flatness(raw, baselineMinutes);
      const p = flatness(got, minutes);
      const mb = (x: number) => `${x.toFixed(1)} MB`;
      const label = `${DEVICES.toLocaleString('en-US')} devices every 10 s + ${CONSOLES} consoles, ${minutes} min (raw: ${baselineMinutes} min)`;
      const samples: Sample[] = [
        {
          id: 'soak.heap.slope',
          measure: `${label}: server heap after GC, slope over the 2nd half`,
          unit: 'MB/min',
          baseline: b.heapSlope,
          product: p.heapSlope,
          target: { kind: 'max', value: FLAT_MB_PER_MINUTE },
          note: `heap after GC: start ${mb(p.heap.start)}, end ${mb(p.heap.end)}, max ${mb(p.heap.max)} (raw ${mb(b.heap.start)} → ${mb(b.heap.end)})`,
        },
        {
          id: 'soak.rss.end',
          measure: `${label}: server RSS at the end`,
          unit: 'MB',
          baseline: b.rss.end,
          product: p.rss.end,
          target: { kind: 'stated' },
          note: `RSS start ${mb(p.rss.start)}, end ${mb(p.rss.end)}, max ${mb(p.rss.max)}, slope over the 2nd half ${p.rssSlope.toFixed(2)} MB/min (raw ${mb(b.rss.start)} → ${mb(b.rss.end)}, ${b.rssSlope.toFixed(2)} MB/min)`,
        },
        {
          id: 'soak.ack.p99',
          measure: `${label}: position report → ack, p99`,
          unit: 'ms',
          baseline: raw.ackP99,
          product: got.ackP99,
          target: { kind: 'stated' },
          note: `${got.reports} reports (${got.refused} refused), consoles received ${got.consoleMessages} pushes`,
        },
      ];
      return samples;
    } finally {
      await cleanup.run();
    }
  },
};
