/**
 * Row 5: restart on the county data → accepting connections and replaying.
 * Product: the server as a user starts it (`node --import tsx server/src/cli/server.ts --data DIR
 * --port 0 --demo`, as the tests spawn it) on a copy of the demo county that has run before. It is
 * started once, a dispatcher logs in, it is stopped (SIGTERM, a clean shutdown), and then timed:
 * from spawn to a console, holding the session from before the restart, connected with `lastSeq`
 * 1,000 changes behind and at `sync:ready`.
 * Baseline: spawn of a bare script (bench/children/raw-restart.ts) that opens the same database
 * file and listens with a bare Socket.IO server, to the same handshake and the same 1,000 changes.
 * Stated beside it: the first start of a county whose server was down while its cases' deadlines
 * passed (the catch-up sweeps; also creates the demo users), spawn to listening.
 */
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from '../../server/src/modules/auth/demo-users.js';
import { Cleanup, copyCounty, spawnScript, type Benchmark } from '../support.js';
import { consoleToReady } from './replay.js';
import { inTurn } from './sides.js';

const BEHIND = 1_000;
const LISTENING = /console (http:\/\/\S+\/)/;
const PASSWORD = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;

function serverArgs(dataDir: string): string[] {
  return ['server/src/cli/server.ts', '--port', '0', '--data', dataDir, '--demo'];
}

/** Spawns, waits for the listening line, connects a console; ms from spawn to `sync:ready` (and to listening). */
async function timedStart(args: string[], auth: Record<string, unknown>, cleanup: Cleanup): Promise<{ ms: number; listenMs: number; received: number }> {
  const t0 = performance.now();
  const server = spawnScript(args, LISTENING, cleanup);
  const { match, at } = await server.started;
  const { received } = await consoleToReady(match[1]!, auth, 60_000);
  const ms = performance.now() - t0;
  await server.stop();
  return { ms, listenMs: at - t0, received };
}

export const restartBench: Benchmark = {
  key: 'restart',
  title: 'restart on the county data → accepting connections and replaying',
  async run(ctx) {
    const cleanup = new Cleanup();
    try {
      const data = copyCounty(ctx.county.started, cleanup);
      // the run before the restart: a dispatcher logs in, the console knows the last seq
      const before = spawnScript(serverArgs(data), LISTENING, cleanup);
      const url = (await before.started).match[1]!;
      const login = await fetch(new URL('/api/v1/auth/login', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-dispatcher', password: PASSWORD }) });
      if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
      const { token } = (await login.json()) as { token: string };
      const { seq } = (await (await fetch(new URL('/api/v1/health', url))).json()) as { seq: number };
      await before.stop();

      const lastSeq = seq - BEHIND;
      const r = await inTurn(
        ctx.run,
        () => timedStart(['bench/children/raw-restart.ts', join(data, 'gridcommand.db')], { lastSeq }, cleanup),
        () => timedStart(serverArgs(data), { token, lastSeq }, cleanup),
      );
      if (r.product.received < BEHIND || r.baseline.received < BEHIND) throw new Error(`restart: replayed ${r.product.received} (product), ${r.baseline.received} (raw), expected ≥ ${BEHIND}`);

      const downData = copyCounty(ctx.county.seeded, cleanup);
      const t0 = performance.now();
      const firstStart = spawnScript(serverArgs(downData), LISTENING, cleanup, 300_000);
      const { at } = await firstStart.started;
      await firstStart.stop();
      return [
        {
          id: 'restart.ready',
          measure: `restart on the county → console ${BEHIND.toLocaleString('en-US')} behind at sync:ready (raw: bare script on the same file)`,
          unit: 'ms',
          baseline: r.baseline.ms,
          product: r.product.ms,
          target: { kind: 'max', value: 2_000 },
          note: `spawn → listening: raw ${r.baseline.listenMs.toFixed(0)} ms, product ${r.product.listenMs.toFixed(0)} ms`,
        },
        {
          id: 'restart.first-start',
          measure: 'first start after the county was down while its deadlines passed, spawn → listening (raw: the restart above)',
          unit: 'ms',
          baseline: r.product.listenMs,
          product: at - t0,
          target: { kind: 'stated' },
          note: 'the first start also creates the demo users (argon2)',
        },
      ];
    } finally {
      await cleanup.run();
    }
  },
};
