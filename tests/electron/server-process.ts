import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../..');

/** The demo county used by tests/integration: seeds in well under a second. */
const SMALL_COUNTY_ARGS = [
  '--seed', '7', '--towns', '3', '--villages', '8', '--grids', '24', '--micro-grids', '100', '--workers', '60',
  '--full-time-workers', '24', '--households-per-micro-grid', '4', '--days', '2', '--events-per-day', '30',
  '--as-of', '2026-11-02T00:00:00+08:00',
];

export interface RunningServer {
  /** Console URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  stop(): Promise<void>;
}

/**
 * The companion server as `npm run server` starts it (its own process, a fresh data folder, demo
 * county), serving the console built into out/renderer.
 */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gridcommand-electron-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/src/cli/server.ts', '--port', String(port), '--data', dataDir, '--demo', ...SMALL_COUNTY_ARGS],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`${url}api/v1/health`, () => child.exitCode !== null, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return { url, stop };
}

export interface ForeignSite {
  url: string;
  /** Requests the site received; any at all means the shell let the console reach it. */
  readonly hits: number;
  stop(): Promise<void>;
}

/** A second origin on loopback that counts requests: the target of escape attempts. */
export async function startForeignSite(): Promise<ForeignSite> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.end('<!doctype html><title>foreign</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get hits() {
      return hits;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitForHealth(url: string, hasExited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the server exited before it became healthy');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer ${url} within ${timeoutMs} ms`);
}
