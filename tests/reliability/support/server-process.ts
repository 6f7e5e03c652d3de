import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { api, DEMO_PASSWORD, ROOT, SMALL_COUNTY_ARGS } from '../../integration/harness.js';
import type { LoginResponse } from '../../../shared/contracts/auth.js';

/** Sign-ins allowed per address a minute: the tests sign in a few times per restart, all from loopback. */
const LOGIN_PER_MINUTE = '100000';
/** Generous: only a hung start fails on it (tsx compiles the server on the first start). */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_KEPT_CHARS = 20_000;

/**
 * The real server as its own process (the CLI a user runs) on one data folder, which outlives
 * the process: start, SIGKILL, start again. Each start listens on a fresh port (port 0), so
 * callers read `url` after every start.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<unknown> | null = null;
  url = '';
  /** What the last process wrote, for the message of a failure. */
  output = '';
  starts = 0;

  /** `extraArgs`: more of the CLI's options (the failover test's `--redis URL`). */
  constructor(
    readonly dataDir: string,
    readonly extraArgs: readonly string[] = [],
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error('the server is not running');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<string> {
    if (this.child) throw new Error('the server is already running');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/src/cli/server.ts', '--port', '0', '--data', this.dataDir, '--demo', '--login-per-minute', LOGIN_PER_MINUTE, ...SMALL_COUNTY_ARGS, ...this.extraArgs],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.output = '';
    // the tail is enough to explain a failure, and a long soak must not hold every log line
    const keep = (c: Buffer) => (this.output = (this.output + c.toString()).slice(-OUTPUT_KEPT_CHARS));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = once(child, 'exit');
    this.url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${this.output}`)), START_TIMEOUT_MS);
      const onData = () => {
        const m = /console (http:\/\/\S+\/)/.exec(this.output);
        if (!m) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        ok(m[1]!);
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`server exited (${code ?? signal}) while starting:\n${this.output}`));
      });
    });
    this.starts++;
    return this.url;
  }

  /** Kills the process with `signal` and waits until it is gone; SIGKILL after a while if it lingers. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.child = null;
    this.url = '';
  }

  /** A clean stop (SIGTERM: the server closes sockets, checkpoints and closes SQLite). */
  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }

  /** VmRSS (bytes) and open file descriptors of the server process, from /proc. */
  usage(): { rssBytes: number; fds: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
    return { rssBytes: kb * 1024, fds: readdirSync(`/proc/${this.pid}/fd`).length };
  }
}

/** A data folder in the system's temporary folder; `remove` deletes it and everything in it. */
export function tempFolder(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `gridcommand-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new session of a demo user; sessions live in the database, so a token outlives restarts. */
export async function signIn(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await api<LoginResponse>(url, '/api/v1/auth/login', { method: 'POST', json: { username, password }, anonymous: true });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/**
 * A server process on a temporary folder of its own for this test file. After all the file's
 * tests: what was handed to `later` (last first), then the server is killed and the folder removed.
 */
export function serverForFile(prefix: string): { folder: { dir: string; remove(): void }; server: ServerProcess; later(fn: () => unknown): void } {
  const folder = tempFolder(prefix);
  const server = new ServerProcess(folder.dir);
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
    await server.kill();
    folder.remove();
  });
  return { folder, server, later: (fn) => void cleanup.push(fn) };
}
