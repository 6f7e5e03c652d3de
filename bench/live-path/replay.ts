/**
 * Row 3: 10,000 missed changes replayed to one console.
 * Product: a console (socket.io-client, the console's own library) connects to the real server on
 * the demo county with `lastSeq` 10,000 changes behind; timed from the connect call to
 * `sync:ready`, after every change arrived (the server reads the change log in batches, scopes
 * and views each change, and waits for the socket to drain between batches).
 * Baseline: a bare Socket.IO server that emits the same 10,000 payloads (the product's own,
 * already in memory) to a connecting socket, then `sync:ready`; the same client.
 * A replay of 1,000 first on each side warms both up (it is not counted).
 */
import { io } from 'socket.io-client';
import { Cleanup, type Benchmark } from '../support.js';
import { inTurn, productPayloads, startBaseline, startProduct, type Side } from './sides.js';

export const BEHIND = 10_000;

/** Connects a console and times it to `sync:ready`; the number of changes it received on the way. */
export async function consoleToReady(url: string, auth: Record<string, unknown>, timeoutMs = 120_000): Promise<{ ms: number; received: number }> {
  const t0 = performance.now();
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
  let received = 0;
  socket.on('event:changed', () => received++);
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no sync:ready in ${timeoutMs / 1000} s (${received} changes received)`)), timeoutMs);
      socket.once('sync:ready', () => {
        clearTimeout(timer);
        ok();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        fail(err);
      });
    });
    return { ms: performance.now() - t0, received };
  } finally {
    socket.close();
  }
}

/** A console of `side` connecting with `lastSeq`, timed to `sync:ready`. */
const replayTo = (side: Side, lastSeq: number) => consoleToReady(side.ready.url, side.ready.token ? { token: side.ready.token, lastSeq } : {});

export const replayBench: Benchmark = {
  key: 'replay',
  title: '10,000 missed changes replayed to one console',
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const product = await startProduct(ctx.county, cleanup);
      const baseline = await startBaseline(cleanup);
      const lastSeq = product.ready.seq - BEHIND;
      const payloads = await productPayloads(product, lastSeq, BEHIND);
      await baseline.ask({ type: 'payloads', payloads: payloads.slice(0, 1_000) });
      await baseline.ask({ type: 'replayOnConnect', on: true });
      await replayTo(baseline, 0);
      await replayTo(product, product.ready.seq - 1_000);
      await baseline.ask({ type: 'payloads', payloads });
      const r = await inTurn(
        ctx.run,
        () => replayTo(baseline, lastSeq),
        () => replayTo(product, lastSeq),
      );
      if (r.product.received !== BEHIND || r.baseline.received !== BEHIND) {
        throw new Error(`replay received ${r.product.received} (product) and ${r.baseline.received} (raw) changes, expected ${BEHIND}`);
      }
      return [
        {
          id: 'replay.10000',
          measure: `${BEHIND.toLocaleString('en-US')} missed changes replayed to one console (connect → sync:ready)`,
          unit: 'ms',
          baseline: r.baseline.ms,
          product: r.product.ms,
          target: { kind: 'max', value: 1_000 },
          note: `payloads ${Math.round(JSON.stringify(payloads).length / payloads.length)} bytes each on average`,
        },
      ];
    } finally {
      await cleanup.run();
    }
  },
};
