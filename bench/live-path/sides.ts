/**
 * The two sides every live-path benchmark measures in the same run: the product (the real server
 * over a copy of the demo county, bench/children/product-server.ts) and the raw baseline (a bare
 * Socket.IO server, bench/children/raw-server.ts), each in a process of its own.
 */
import type { EventChangedPayload } from '../../shared/contracts/socket.js';
import { copyCounty, startChild, type Child, type Cleanup, type County } from '../support.js';

export interface Ready {
  url: string;
  pid: number;
  /** The product's last change seq (0 for the baseline). */
  seq: number;
  /** A session of the demo dispatcher (county scope, full view); '' for the baseline. */
  token: string;
}

export type Side = Child & { ready: Ready };

export const startProduct = (county: County, cleanup: Cleanup): Promise<Side> =>
  startChild<Ready>('bench/children/product-server.ts', [copyCounty(county.started, cleanup)], cleanup);

export const startBaseline = (cleanup: Cleanup): Promise<Side> => startChild<Ready>('bench/children/raw-server.ts', [], cleanup);

/** The changes after `after` as the product's live feed sends them to a dispatcher. */
export async function productPayloads(product: Side, after: number, count: number): Promise<EventChangedPayload[]> {
  return (await product.ask<{ payloads: EventChangedPayload[] }>({ type: 'payloads', after, count })).payloads;
}

export type Sent = Array<{ seq: number; at: number }>;

/** Asks a side to publish `count` changes, `intervalMs` apart (0: in one burst); their seqs and send times. */
export async function publish(side: Side, count: number, intervalMs: number): Promise<Sent> {
  return (await side.ask<{ sent: Sent }>({ type: 'publish', count, intervalMs })).sent;
}

/** Two things in the order this run gives them: the product first on even runs, the baseline first on odd. */
export async function inTurn<B, P>(run: number, baseline: () => Promise<B>, product: () => Promise<P>): Promise<{ baseline: B; product: P }> {
  if (run % 2 === 0) {
    const p = await product();
    return { product: p, baseline: await baseline() };
  }
  const b = await baseline();
  return { baseline: b, product: await product() };
}

/** A GET of the product's API with the dispatcher's session. */
export async function getJson<T>(side: Side, path: string): Promise<T> {
  const res = await fetch(new URL(path, side.ready.url), { headers: { authorization: `Bearer ${side.ready.token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
