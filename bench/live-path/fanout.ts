/**
 * Row 2: fan-out of case changes to 50 / 200 / 1,000 / 3,400 sockets.
 * Product: consoles authenticated as the demo dispatcher (county scope, full view) on the real
 * server; changes published on its bus exactly as the case writer publishes them after a commit
 * (`bus.publish('case:changed', …)` → the event socket's subscriber → rooms → sockets), with the
 * county's own latest changes as payloads. Publishing through the bus, not through intakes,
 * keeps the intake's cost (row 1) out of this row: an intake publishes at most ~1,000 changes a
 * second here, which would measure the intake, not the fan-out.
 * Baseline: a bare Socket.IO server's `io.emit` of the same payloads to as many sockets.
 * Both sides: the same light clients (bench/light-socket.ts), connected in batches; one burst
 * published as fast as the server can (deliveries/s = sockets × changes ÷ time to the last
 * delivery), then 20 changes a second, each delivery's latency from publish to arrival.
 */
import { Cleanup, cpuSeconds, inBatches, percentile, sleep, wallNow, type Benchmark, type Sample } from '../support.js';
import { LightSocket, seqOf } from '../light-socket.js';
import { inTurn, productPayloads, publish, startBaseline, startProduct, type Sent, type Side } from './sides.js';

export const FANOUT_SIZES = [50, 200, 1_000, 3_400];
const RATE_PER_SECOND = 20;

interface Measured {
  deliveriesPerSecond: number;
  p99: number;
  p50: number;
  missing: number;
  serverCpu: number;
  benchCpu: number;
}

/** Counts `event:changed` deliveries across all sockets; records arrival times while asked. */
class Deliveries {
  count = 0;
  private target = Number.POSITIVE_INFINITY;
  private reached: (() => void) | null = null;
  lastAt = 0;
  recording: { seqs: Float64Array; at: Float64Array; n: number } | null = null;

  onEvent = (name: string, data: Buffer) => {
    if (name !== 'event:changed') return;
    this.count++;
    this.lastAt = wallNow();
    const r = this.recording;
    if (r && r.n < r.seqs.length) {
      r.seqs[r.n] = seqOf(data);
      r.at[r.n++] = this.lastAt;
    }
    if (this.count >= this.target) {
      this.target = Number.POSITIVE_INFINITY;
      this.reached?.();
    }
  };

  /** Resolves when `n` more deliveries arrived, or after `timeoutMs` (false). */
  next(n: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((done) => {
      const timer = setTimeout(() => {
        this.reached = null;
        this.target = Number.POSITIVE_INFINITY;
        done(false);
      }, timeoutMs);
      this.reached = () => {
        clearTimeout(timer);
        this.reached = null;
        done(true);
      };
      this.target = this.count + n;
    });
  }
}

async function measure(side: Side, sockets: number, quick: boolean): Promise<Measured> {
  const deliveries = new Deliveries();
  const auth = side.ready.token ? { token: side.ready.token } : {};
  const clients = await inBatches(
    Array.from({ length: sockets }, (_, i) => i),
    100,
    async () => {
      const s = new LightSocket({ url: side.ready.url, auth, onEvent: deliveries.onEvent });
      await s.connected;
      return s;
    },
  );
  try {
    // the product's console is live (joined its rooms) once it got `sync:ready`
    await sleep(300);
    // warm-up: code compiled, buffers grown
    const warm = Math.min(20, Math.ceil(20_000 / sockets));
    const warmed = deliveries.next(warm * sockets, 60_000);
    await publish(side, warm, 0);
    await warmed;
    await sleep(200);

    const total = quick ? 20_000 : 100_000;
    const burst = Math.min(1_000, Math.max(10, Math.round(total / sockets)));
    const cpu0 = { server: cpuSeconds(side.pid), bench: process.cpuUsage() };
    const t0 = wallNow();
    const all = deliveries.next(burst * sockets, 180_000);
    await publish(side, burst, 0);
    if (!(await all)) throw new Error(`burst: only ${deliveries.count} deliveries in 180 s`);
    const elapsed = (deliveries.lastAt - t0) / 1000;
    const benchCpu = process.cpuUsage(cpu0.bench);
    const serverCpu = (cpuSeconds(side.pid) - cpu0.server) / elapsed;
    await sleep(300);

    const changes = RATE_PER_SECOND * (quick ? 3 : 10);
    deliveries.recording = { seqs: new Float64Array(changes * sockets), at: new Float64Array(changes * sockets), n: 0 };
    const arrived = deliveries.next(changes * sockets, changes * (1000 / RATE_PER_SECOND) + 60_000);
    const sent: Sent = await publish(side, changes, 1000 / RATE_PER_SECOND);
    await arrived;
    const r = deliveries.recording;
    deliveries.recording = null;
    const sentAt = new Map(sent.map((s) => [s.seq, s.at]));
    const latencies: number[] = [];
    for (let i = 0; i < r.n; i++) {
      const at = sentAt.get(r.seqs[i]!);
      if (at !== undefined) latencies.push(r.at[i]! - at);
    }
    return {
      deliveriesPerSecond: (burst * sockets) / elapsed,
      p99: percentile(latencies, 99),
      p50: percentile(latencies, 50),
      missing: changes * sockets - latencies.length,
      serverCpu,
      benchCpu: (benchCpu.user + benchCpu.system) / 1e6 / elapsed,
    };
  } finally {
    for (const c of clients) c.close();
    // let the server notice the closed sockets before the next size connects
    await sleep(500);
  }
}

export const fanoutBench: Benchmark = {
  key: 'fanout',
  title: 'fan-out to 50 / 200 / 1,000 / 3,400 sockets vs raw io.emit',
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const product = await startProduct(ctx.county, cleanup);
      const baseline = await startBaseline(cleanup);
      await baseline.ask({ type: 'payloads', payloads: await productPayloads(product, product.ready.seq - 1_000, 1_000) });
      const samples: Sample[] = [];
      for (const sockets of FANOUT_SIZES) {
        ctx.log(`  ${sockets} sockets`);
        const r = await inTurn(
          ctx.run,
          () => measure(baseline, sockets, ctx.quick),
          () => measure(product, sockets, ctx.quick),
        );
        const cpu = `server CPU during the burst: raw ${Math.round(r.baseline.serverCpu * 100)} %, product ${Math.round(r.product.serverCpu * 100)} % of a core; clients ${Math.round(r.baseline.benchCpu * 100)} / ${Math.round(r.product.benchCpu * 100)} %`;
        const missing = r.product.missing + r.baseline.missing > 0 ? `; deliveries not seen in time: raw ${r.baseline.missing}, product ${r.product.missing}` : '';
        samples.push(
          {
            id: `fanout.deliveries.${sockets}`,
            measure: `fan-out to ${sockets.toLocaleString('en-US')} sockets: deliveries/s (burst)`,
            unit: '/s',
            baseline: r.baseline.deliveriesPerSecond,
            product: r.product.deliveriesPerSecond,
            target: { kind: 'ratio-min', value: 0.7 },
            note: cpu,
          },
          {
            id: `fanout.p99.${sockets}`,
            measure: `fan-out to ${sockets.toLocaleString('en-US')} sockets: p99 latency at ${RATE_PER_SECOND} changes/s`,
            unit: 'ms',
            baseline: r.baseline.p99,
            product: r.product.p99,
            target: { kind: 'ratio-max', value: 1.5 },
            note: `p50 raw ${r.baseline.p50.toFixed(1)} ms, product ${r.product.p50.toFixed(1)} ms${missing}`,
          },
        );
      }
      return samples;
    } finally {
      await cleanup.run();
    }
  },
};
