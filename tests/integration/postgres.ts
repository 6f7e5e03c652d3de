import { execFile, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres } from '../../server/src/db/postgres-schema.js';
import type Database from 'better-sqlite3';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, type Store } from '../../server/src/db/store.js';

/**
 * A throwaway PostgreSQL cluster for a test run, from Debian's `postgresql` package (tests/preflight.ts
 * installs it): initdb into a temporary folder, a server on a free port of 127.0.0.1 with its
 * socket in that folder, trust authentication, the C.UTF-8 locale GridCommand needs
 * (postgres-schema.ts), and a fresh database per test from a template migrated once. Stopped and
 * deleted at the end; a run that dies first (an interrupted vitest kills its workers without their
 * afterAll) leaves a watcher process behind that does it.
 */

const run = promisify(execFile);

/** Where Debian puts the server binaries: /usr/lib/postgresql/<major>/bin, the newest major first. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error('PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql (the store tests start a throwaway cluster)');
  }
  return join(root, newest, 'bin');
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the brief window before the server binds is accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /**
   * A new database: a copy of the template migrated once (`migrated`, the default), or an empty
   * one with the right locale (to test migratePostgres itself). Returns its URL.
   */
  createDatabase(options?: { migrated?: boolean }): Promise<string>;
  /** Milliseconds taken: initdb + start, the template's migration. */
  readonly timings: { startMs: number; templateMs: number | null };
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'gridcommand-pg-'));
  const data = join(dir, 'data');
  // initdb and pg_ctl refuse to run as root (CI runs as root): run them as Debian's postgres user
  const asRoot = process.getuid?.() === 0;
  const command = (tool: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]) as [string, string[]];
  const tool = async (name: string, args: string[]) => {
    const [file, argv] = command(name, args);
    try {
      await run(file, argv, { cwd: dir });
    } catch (err) {
      const log = existsSync(join(dir, 'pg.log')) ? `\n${readFileSync(join(dir, 'pg.log'), 'utf8').slice(-2000)}` : '';
      throw new Error(`${name} failed: ${(err as { stderr?: string }).stderr || (err as Error).message}${log}`);
    }
  };
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root needs the postgres user (apt-get install -y postgresql creates it)');
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }

  // a server runs while its pid file exists (also one that pg_ctl gave up waiting for)
  const running = () => existsSync(join(data, 'postmaster.pid'));
  // A run that dies before stop(), even by SIGKILL, must not leave a server and its folder behind:
  // a detached shell waits for this process to end, then stops the cluster and deletes it.
  const [ctl, ctlArgs] = command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const watcher = spawn(
    'sh',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; [ -f ${quote(join(data, 'postmaster.pid'))} ] && ${[ctl, ...ctlArgs].map(quote).join(' ')}; rm -rf ${quote(dir)}`],
    { detached: true, stdio: 'ignore' },
  );
  watcher.unref();

  const stop = async () => {
    try {
      if (running()) await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      // its work is done; the watcher is ours, ended by its pid
      if (watcher.pid !== undefined && watcher.exitCode === null) process.kill(watcher.pid);
    }
  };

  let port: number;
  try {
    // --no-sync and fsync=off: a throwaway cluster has nothing to keep across a power cut
    await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
    // another run on the machine may take the free port before the server binds it: try a new one
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await tool('pg_ctl', ['-D', data, '-l', join(dir, 'pg.log'), '-o', options, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const startMs = performance.now() - started;

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  const timings: { startMs: number; templateMs: number | null } = { startMs, templateMs: null };
  let template: Promise<void> | null = null;
  const migrateTemplate = async () => {
    const t = performance.now();
    await admin('CREATE DATABASE gc_template');
    const store = openStore(url('gc_template'));
    try {
      await migratePostgres(store);
    } finally {
      await store.close();
    }
    timings.templateMs = performance.now() - t;
  };
  let made = 0;

  return {
    url,
    timings,
    stop,
    async createDatabase(options = {}) {
      const name = `t_${++made}`;
      if (options.migrated === false) {
        await admin(`CREATE DATABASE ${name}`);
      } else {
        template ??= migrateTemplate();
        await template;
        await admin(`CREATE DATABASE ${name} TEMPLATE gc_template`);
      }
      return url(name);
    },
  };
}

/** One cluster for the test file that calls this: started before its tests, stopped after them. */
export function usePostgres(): { readonly cluster: TestPostgres } {
  let cluster: TestPostgres | null = null;
  beforeAll(async () => {
    cluster = await startTestPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error('usePostgres: the cluster is started in beforeAll');
      return cluster;
    },
  };
}

let databasesMade = 0;

/**
 * A fresh migrated database on the run's cluster (pg-global-setup.ts), copied from its template:
 * `admin` is the cluster's maintenance database URL. Returns the new database's URL.
 */
export async function createTestDatabase(admin: string): Promise<string> {
  const name = `it_${process.pid}_${++databasesMade}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE gc_template`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh database of the cluster holding a copy of the SQLite database `db` (the parity tests'
 * second side), closed by `later`.
 */
export async function postgresCopy(cluster: TestPostgres, db: Database.Database, later: (fn: () => unknown) => void): Promise<Store> {
  const post = openStore(await cluster.createDatabase());
  later(() => post.close());
  await copySqliteToPostgres(db, post);
  return post;
}
