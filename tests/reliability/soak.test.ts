import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/contracts/socket.js';
import { api, ROOT, waitFor } from '../integration/harness.js';
import { ConsoleModel, expectedView, heldView, viewDifferences } from './support/console-model.js';
import { LONG, runSeed, sleep, waitUntil } from './support/prng.js';
import { serverForFile, signIn } from './support/server-process.js';

/**
 * Soak (docs/RELIABILITY.md): the simulator drives a day at 10× its default speed against a
 * spawned server while consoles and field devices stay connected; the server's resident memory
 * and open file descriptors are sampled from /proc. They must stay bounded: the second half's
 * peak within a stated factor and slack of the first half's (sizes, not times), and at the end
 * every console still holds exactly what the database holds.
 */
const DURATION_S = LONG ? 30 * 60 : 60;
const SAMPLE_MS = LONG ? 10_000 : 1_000;
/** The simulator's default speed is 60 (an hour a minute); the soak runs at 10× that. */
const SPEED = 600;
const CONSOLES = 3;
const DEVICES = 3;
const DEVICE_REPORT_MS = 2_000;
/**
 * A user's session ends after 30 idle minutes and socket traffic is not activity; a console at
 * work reads the API now and then, which this models for the long run.
 */
const ACTIVITY_MS = 5 * 60_000;
/** Second half's peak ≤ first half's × RSS_FACTOR + RSS_SLACK; fds ≤ first half's + FD_SLACK. */
const RSS_FACTOR = 1.25;
const RSS_SLACK_BYTES = 48 * 2 ** 20;
const FD_SLACK = 8;

const { folder, server, later } = serverForFile('soak');

/** Runs the simulator CLI to its end; its exit status and last lines. */
function simulate(url: string, seed: number): { done: Promise<{ code: number | null; output: string }>; stop(): void } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/src/cli/simulate.ts', '--url', url, '--speed', String(SPEED), '--duration', String(DURATION_S), '--start', '2026-11-23T08:00', '--seed', String(seed)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  return {
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, output }))),
    stop: () => void (child.exitCode === null && child.kill('SIGKILL')),
  };
}

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

describe('soak', () => {
  it(`keeps the server's memory and handles bounded under the simulator at ${SPEED / 60}× for ${DURATION_S} s`, { timeout: (DURATION_S + 15 * 60) * 1000 }, async () => {
    const rng = runSeed('soak');
    await server.start();

    const consoleTokens = await Promise.all(Array.from({ length: CONSOLES }, () => signIn(server.url, 'demo-dispatcher')));
    const consoles = consoleTokens.map((token, i) => new ConsoleModel(`console#${i}`, server.url, token));
    for (const c of consoles) later(() => c.stop());
    await Promise.all(consoles.map((c) => c.start()));

    const { body: geo } = await api<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid', { token: consoleTokens[0] });
    const positions = { ok: 0, refused: [] as string[] };
    const deviceTokens = await Promise.all(Array.from({ length: DEVICES }, () => signIn(server.url, 'demo-field')));
    const devices = deviceTokens.map((token) => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true });
      const own = rng.fork(token);
      const timer = setInterval(() => {
        const place = own.pick(geo.features).properties;
        socket.emit('team:position', { lon: place.labelLon, lat: place.labelLat, accuracy: 12 }, (ack) => {
          if (ack.ok) positions.ok++;
          else positions.refused.push(ack.error.code);
        });
      }, DEVICE_REPORT_MS);
      later(() => {
        clearInterval(timer);
        socket.disconnect();
      });
      return socket;
    });
    await waitFor(() => devices.every((d) => d.connected), 30_000, 'the devices to connect');

    const activity = setInterval(() => {
      // only the session's activity matters here; a read that fails shows up in the checks below
      for (const token of deviceTokens) api(server.url, '/api/v1/teams', { token }).catch(() => undefined);
      for (const token of consoleTokens) api(server.url, '/api/v1/events?pageSize=1', { token }).catch(() => undefined);
    }, ACTIVITY_MS);
    later(() => clearInterval(activity));

    const samples: Array<{ rssBytes: number; fds: number }> = [];
    const sim = simulate(server.url, rng.int(1, 2 ** 30));
    later(() => sim.stop());
    let simulating = true;
    const finished = sim.done.finally(() => (simulating = false));
    while (simulating) {
      samples.push(server.usage());
      await Promise.race([sleep(SAMPLE_MS), finished]);
    }
    const { code, output } = await finished;

    const db = new Database(databaseFile(folder.dir), { readonly: true, fileMustExist: true });
    later(() => db.close());
    const lastSeq = (db.prepare('SELECT MAX(seq) AS seq FROM event_changes').get() as { seq: number }).seq;
    await waitUntil(() => consoles.every((c) => c.caughtUpTo(lastSeq) || c.problems.length > 0), 120_000, () => `every console at seq ${lastSeq}\n${consoles.map((c) => c.describe()).join('\n')}`);
    const expected = expectedView(db.prepare('SELECT id, seq, status, reported_at FROM events').all() as Array<{ id: string; seq: number; status: string; reported_at: string }>, lastSeq, Date.now());

    const half = Math.floor(samples.length / 2);
    const peak = (xs: typeof samples, k: 'rssBytes' | 'fds') => Math.max(...xs.map((s) => s[k]));
    const first = { rss: peak(samples.slice(0, half), 'rssBytes'), fds: peak(samples.slice(0, half), 'fds') };
    const second = { rss: peak(samples.slice(half), 'rssBytes'), fds: peak(samples.slice(half), 'fds') };
    const summary = /simulated [^\n]*/.exec(output)?.[0] ?? output.slice(-500);
    console.log(
      `[soak] ${DURATION_S} s at speed ${SPEED}, ${samples.length} samples: RSS start ${MiB(samples[0]!.rssBytes)}, first-half peak ${MiB(first.rss)}, second-half peak ${MiB(second.rss)} ` +
        `(bound ${MiB(first.rss * RSS_FACTOR + RSS_SLACK_BYTES)}); fds start ${samples[0]!.fds}, first-half peak ${first.fds}, second-half peak ${second.fds}; ` +
        `${positions.ok} device positions; last seq ${lastSeq}; simulator: ${summary}`,
    );

    expect(code, output.slice(-2000)).toBe(0);
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(second.rss).toBeLessThanOrEqual(first.rss * RSS_FACTOR + RSS_SLACK_BYTES);
    expect(second.fds).toBeLessThanOrEqual(first.fds + FD_SLACK);
    expect(positions.refused).toEqual([]);
    expect(positions.ok).toBeGreaterThan(0);
    for (const c of consoles) {
      expect(c.problems, c.name).toEqual([]);
      const held = heldView(c);
      expect(held.seq, c.name).toBe(expected.seq);
      expect(viewDifferences(held, expected), c.name).toEqual({ missing: [], extra: [], stale: [] });
    }
  });
});
