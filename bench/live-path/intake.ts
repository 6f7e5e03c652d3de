/**
 * Row 1: durable intakes a second at 8 concurrent clients against raw autocommit inserts.
 * Product: 8 clients in this process, each posting `POST /api/v1/events` back to back with its own
 * Idempotency-Key and the demo dispatcher's session, to the real server in its own process; an
 * intake counts when its 201 arrived (the server answers after the commit that holds the case).
 * Baseline: better-sqlite3 in this process, WAL, synchronous=FULL, one INSERT per transaction
 * (autocommit), sequential, of a row holding the case as the change log stores it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Cleanup, cpuSeconds, percentile, type Benchmark, type Sample } from '../support.js';
import { getJson, inTurn, productPayloads, startProduct, type Side } from './sides.js';

const CLIENTS = 8;

function rawInserts(dir: string, row: { eventId: string; kind: string; snapshot: string }, seconds: number): number {
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE changes (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, snapshot TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO changes (event_id, kind, at, snapshot) VALUES (?, ?, ?, ?)');
    const until = performance.now() + seconds * 1000;
    let n = 0;
    const start = performance.now();
    while (performance.now() < until) {
      insert.run(row.eventId, row.kind, new Date().toISOString(), row.snapshot);
      n++;
    }
    return n / ((performance.now() - start) / 1000);
  } finally {
    db.close();
  }
}

async function productIntakes(product: Side, seconds: number): Promise<{ perSecond: number; p50: number; p99: number; cpuMsPerIntake: number; failed: Map<number, number> }> {
  const catalog = await getJson<{ items: Array<{ code: string }> }>(product, '/api/v1/catalog');
  const grids = await getJson<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>(product, '/api/v1/geo/microgrid');
  const points = grids.features.map((f) => ({ lon: f.properties.labelLon, lat: f.properties.labelLat }));
  const itemCode = catalog.items[0]!.code;
  const url = new URL('/api/v1/events', product.ready.url);
  const failed = new Map<number, number>();
  let counting = false;
  let done = 0;
  const times: number[] = [];
  let stopAt = 0;
  let i = 0;
  const client = async () => {
    while (performance.now() < stopAt) {
      const n = i++;
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${product.ready.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          itemCode,
          description: `压测上报 ${n}：小区东门垃圾桶满溢，暴露垃圾约两平方米`,
          location: points[(n * 37) % points.length],
          source: 'grid_patrol',
          urgency: 'P2',
          reporter: { name: '王建国', phone: '13905710001' },
        }),
      });
      await res.arrayBuffer();
      if (!counting) continue;
      if (res.status === 201) {
        done++;
        times.push(performance.now() - t0);
      } else failed.set(res.status, (failed.get(res.status) ?? 0) + 1);
    }
  };
  // a second of warm-up (connections, compiled code), then the measured span
  stopAt = performance.now() + 1000;
  await Promise.all(Array.from({ length: CLIENTS }, client));
  counting = true;
  const cpu0 = cpuSeconds(product.pid);
  const start = performance.now();
  stopAt = start + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const perSecond = done / ((performance.now() - start) / 1000);
  return { perSecond, p50: percentile(times, 50), p99: percentile(times, 99), cpuMsPerIntake: ((cpuSeconds(product.pid) - cpu0) * 1000) / done, failed };
}

export const intakeBench: Benchmark = {
  key: 'intake',
  title: 'durable intakes at 8 concurrent clients vs raw autocommit inserts',
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const seconds = ctx.quick ? 3 : 8;
      const product = await startProduct(ctx.county, cleanup);
      const [created] = (await productPayloads(product, product.ready.seq - 2_000, 2_000)).filter((p) => p.kind === 'reported');
      if (!created) throw new Error('no reported change in the county');
      const row = { eventId: created.event.id, kind: created.kind ?? 'reported', snapshot: JSON.stringify(created.event) };
      const dir = cleanup.tempDir();
      const r = await inTurn(
        ctx.run,
        async () => rawInserts(dir, row, seconds),
        () => productIntakes(product, seconds),
      );
      const errors = [...r.product.failed].map(([status, n]) => `${n}× ${status}`).join(', ');
      const sample: Sample = {
        id: 'intake.durable',
        measure: `durable intakes/s, ${CLIENTS} concurrent clients (raw: autocommit INSERTs, WAL, synchronous=FULL)`,
        unit: '/s',
        baseline: r.baseline,
        product: r.product.perSecond,
        target: { kind: 'ratio-min', value: 0.5 },
        note: `intake latency at ${CLIENTS} clients p50 ${r.product.p50.toFixed(1)} ms, p99 ${r.product.p99.toFixed(1)} ms; server CPU ${r.product.cpuMsPerIntake.toFixed(2)} ms an intake${errors ? `; refused: ${errors}` : ''}`,
      };
      return [sample];
    } finally {
      await cleanup.run();
    }
  },
};
