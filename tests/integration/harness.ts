import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createServer, type ServerHandles } from '../../server/src/app.js';
import { databaseFile, defaultConfig, type ServerConfig } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { openStore, type Store } from '../../server/src/db/store.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { createTestDatabase } from './postgres.js';
import { systemClock, type Clock } from '../../server/src/core/clock.js';
import { isSeeded, seedDemo, type DemoOptions } from '../../server/src/modules/demo/seed.js';
import { DEFAULT_DEMO_PASSWORD, seedDemoUsers } from '../../server/src/modules/auth/demo-users.js';
import { seedDemoWorkforce } from '../../server/src/modules/demo/demo-workforce.js';
import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { EventIntake } from '../../shared/contracts/events.js';
import type { ClientToServerEvents, EventChangedPayload, ServerToClientEvents } from '../../shared/contracts/socket.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A small county: seeds in well under a second, still every level and every table. */
export const SMALL_COUNTY: DemoOptions = {
  seed: 7,
  towns: 3,
  villages: 8,
  grids: 24,
  microGrids: 100,
  workers: 60,
  fullTimeWorkers: 24,
  householdsPerMicroGrid: 4,
  days: 2,
  eventsPerDay: 30,
  asOf: new Date('2026-11-20T00:00:00+08:00'),
};

/**
 * The same county for a server spawned as its own process (on the wall clock), seeded as of an
 * earlier day: every deadline of its history has passed long before any run, so no deadline
 * crossing can add a change while a test counts them, whatever day or hour it runs.
 */
export const SMALL_COUNTY_ARGS = [
  '--seed', '7', '--towns', '3', '--villages', '8', '--grids', '24', '--micro-grids', '100', '--workers', '60',
  '--full-time-workers', '24', '--households-per-micro-grid', '4', '--days', '2', '--events-per-day', '30', '--as-of', '2026-11-02T00:00:00+08:00',
];

/**
 * What a test file cleans up after all its tests, last registered first: servers to stop,
 * sockets to close, and the temporary data folders that `tempDir()` makes.
 */
export function cleanupAfterAll(): { later(fn: () => unknown): void; tempDir(): string } {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  return {
    later: (fn) => void cleanups.push(fn),
    tempDir() {
      const d = tempDataDir();
      cleanups.push(() => d.remove());
      return d.dir;
    },
  };
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gridcommand-it-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const DEMO_PASSWORD = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;

/**
 * The token each test server's requests carry unless a test says otherwise: the demo
 * dispatcher's (county scope, unmasked). Tests of access control pass their own.
 */
const defaultTokens = new Map<string, string>();

export async function login(base: string, username: string, password = DEMO_PASSWORD) {
  return api<LoginResponse>(base, '/api/v1/auth/login', { method: 'POST', json: { username, password }, anonymous: true });
}

export async function loginAs(base: string, username: string): Promise<string> {
  const res = await login(base, username);
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export interface TestServer {
  url: string;
  /** The demo dispatcher's session token. */
  token: string;
  dataDir: string;
  /** SQLite's connection (SQLite only: a test that reads or writes rows directly on both stores uses `store`). */
  db: Db;
  /** The server's store: raw reads and writes of a test on either database (`await server.store.get(sql, …)`). */
  store: Store;
  /** The command line tools' options naming this server's database: `--data DIR` or `--db postgres://…`. */
  databaseArgs: string[];
  /** The PostgreSQL database's URL (a test's second connection to it); null on SQLite. */
  postgresUrl: string | null;
  handles: ServerHandles;
  stop(): Promise<void>;
}

/**
 * The database the integration tests run on: SQLite (the default) or PostgreSQL
 * (GRIDCOMMAND_TEST_DB=postgres, the vitest project `integration-pg`, whose global setup starts one
 * throwaway cluster for the run).
 */
export const TEST_DB: 'sqlite' | 'postgres' = process.env.GRIDCOMMAND_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** On PostgreSQL, the database of each data folder a test server ran on (a restart finds its data again). */
const postgresOf = new Map<string, string>();

/**
 * SQLite's connection where a test must not use it: on PostgreSQL the file is only where the
 * county was seeded before its copy, so a read of it would be stale and a write lost. Any use
 * throws, naming what to use instead.
 */
function sqliteOnly(): Db {
  return new Proxy({} as Db, {
    get(_target, key) {
      throw new Error(`server.db.${String(key)}: this test server runs on PostgreSQL; read and write rows through server.store (or mark the test "SQLite only")`);
    },
  });
}

/**
 * The real server, in this process, on a free port, over a real SQLite file, or, with
 * GRIDCOMMAND_TEST_DB=postgres, a real PostgreSQL database holding a copy of the same seeded county.
 */
export async function startTestServer(opts: { dataDir?: string; config?: Partial<ServerConfig>; clock?: Clock; logStream?: NodeJS.WritableStream } = {}): Promise<TestServer> {
  const owned = opts.dataDir ? null : tempDataDir();
  const dataDir = opts.dataDir ?? owned!.dir;
  const db = openDatabase(databaseFile(dataDir));
  if (!isSeeded(db)) seedDemo(db, SMALL_COUNTY);
  let postgres: Store | null = null;
  let pgUrl: string | null = null;
  if (TEST_DB === 'postgres') {
    const known = postgresOf.get(dataDir);
    pgUrl = known ?? (await createTestDatabase(inject('gridcommandPostgres')));
    postgres = openStore(pgUrl);
    if (!known) {
      await copySqliteToPostgres(db, postgres);
      postgresOf.set(dataDir, pgUrl);
    }
  }
  const handles = await createServer({
    db: postgres ?? db,
    clock: opts.clock ?? systemClock,
    logStream: opts.logStream,
    // The deadline monitor sweeps once at start; tests that need more call `deadlines.sweep()` or set
    // a shorter interval, so the real clock cannot add changes between two reads of a test.
    config: defaultConfig({ port: 0, dataDir, logLevel: opts.logStream ? 'trace' : 'silent', demo: true, deadlineSweepMs: 3_600_000, ...opts.config }),
  });
  await seedDemoUsers(handles.store, handles.users, handles.auth, DEMO_PASSWORD);
  await seedDemoWorkforce(handles.store);
  const url = await handles.listen();
  const token = await loginAs(url, 'demo-dispatcher');
  defaultTokens.set(new URL(url).origin, token);
  return {
    url,
    dataDir,
    db: postgres ? sqliteOnly() : db,
    store: handles.store,
    databaseArgs: pgUrl ? ['--db', pgUrl, '--data', dataDir] : ['--data', dataDir],
    postgresUrl: pgUrl,
    handles,
    token,
    async stop() {
      await handles.close();
      await postgres?.close();
      db.close();
      owned?.remove();
    },
  };
}

/** The real server as its own process, started by the same CLI a user runs. */
export async function spawnServer(dataDir: string, port = 0): Promise<{ url: string; child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/server.ts', '--port', String(port), '--data', dataDir, '--demo', ...SMALL_COUNTY_ARGS], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /console (http:\/\/\S+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  defaultTokens.set(new URL(url).origin, await loginAs(url, 'demo-dispatcher'));
  return {
    url,
    child,
    stop: () =>
      new Promise((done) => {
        child.once('exit', (code) => done(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Runs one of the real command-line tools (server/src/cli/<script>.ts) the way `npm run` does,
 * killed after `timeoutMs`: its exit code, output and time taken.
 */
export function runCli(script: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `server/src/cli/${script}.ts`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${script} did not finish in ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A Socket.IO client that records every pushed change. */
export function connectClient(url: string, authIn: Record<string, unknown>): { socket: TestSocket; changes: EventChangedPayload[]; ready: Promise<{ seq: number; replayed: number }> } {
  const auth = 'token' in authIn ? authIn : { token: defaultTokens.get(new URL(url).origin), ...authIn };
  const socket: TestSocket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
  const changes: EventChangedPayload[] = [];
  socket.on('event:changed', (c) => changes.push(c));
  const ready = new Promise<{ seq: number; replayed: number }>((ok, fail) => {
    socket.once('sync:ready', ok);
    socket.once('connect_error', fail);
  });
  return { socket, changes, ready };
}

export async function waitFor<T>(check: () => T | undefined | false | PromiseLike<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A REST call. It carries the server's default token unless `token` is given, `anonymous` is
 * set, or the caller set its own Authorization header.
 */
export async function api<T = unknown>(
  base: string,
  path: string,
  init: RequestInit & { json?: unknown; token?: string; anonymous?: boolean } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers = new Headers(init.headers);
  const token = init.token ?? (init.anonymous ? undefined : defaultTokens.get(new URL(base).origin));
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(new URL(path, base), { ...init, headers, body });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: (text && json ? JSON.parse(text) : text || null) as T, headers: res.headers };
}

/** A point inside some micro-grid of the running county (its label anchor). */
export async function pointInCounty(base: string, index = 0): Promise<{ lon: number; lat: number; microGridId: string; gridId: string }> {
  const { body } = await api<{ features: Array<{ properties: { id: string; parentId: string; labelLon: number; labelLat: number } }> }>(base, '/api/v1/geo/microgrid');
  const f = body.features[index % body.features.length]!.properties;
  return { lon: f.labelLon, lat: f.labelLat, microGridId: f.id, gridId: f.parentId };
}

/** The code of an item of the running server's catalog. */
export async function someItemCode(base: string): Promise<string> {
  const { body } = await api<{ items: Array<{ code: string }> }>(base, '/api/v1/catalog');
  return body.items[0]!.code;
}

export function intakeAt(itemCode: string, location: EventIntake['location'], overrides: Partial<EventIntake> = {}): EventIntake {
  return {
    itemCode,
    description: '小区东门垃圾桶满溢，暴露垃圾约两平方米',
    location,
    source: 'grid_patrol',
    urgency: 'P2',
    reporter: { name: '王建国', phone: '13905710001' },
    ...overrides,
  };
}

