import closeWithGrace from 'close-with-grace';
import { createServer, type ServerHandles } from '../app.js';
import { databaseFile, type ServerConfig } from '../config.js';
import { openDatabase, type Db } from '../db/connection.js';
import { copySqliteToPostgres } from '../db/copy-to-postgres.js';
import { migratePostgres } from '../db/postgres-schema.js';
import { openStore, type Store } from '../db/store.js';
import { systemClock } from '../core/clock.js';
import type { DemoOptions } from '../modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../modules/demo/seed.js';
import { INTAKE_CHANNELS } from '../../../shared/contracts/auth.js';
import { DEFAULT_DEMO_PASSWORD, demoChannelKey, seedDemoUsers } from '../modules/auth/demo-users.js';
import { seedDemoWorkforce } from '../modules/demo/demo-workforce.js';

export interface RunningServer {
  url: string;
  handles: ServerHandles;
  /** SQLite's connection; null on PostgreSQL (`config.database`). */
  db: Db | null;
  stop(): Promise<void>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function seeded(summary: ReturnType<typeof seedDemo>): string {
  return (
    `Seeded ${summary.towns} towns, ${summary.villages} villages, ${summary.grids} grids, ${summary.microGrids} micro-grids, ` +
    `${summary.households} households, ${summary.workers} workers, ${summary.teams} teams, ${summary.events} events in ${summary.ms} ms.`
  );
}

/**
 * The database the server runs on: SQLite's file in the data folder, or PostgreSQL (migrated
 * here, under its advisory lock, so several nodes starting at once migrate it once). The demo
 * county is generated on SQLite (in memory) and copied into an empty PostgreSQL database.
 */
async function openDatabaseOf(config: ServerConfig, demoOptions: DemoOptions | null): Promise<{ db: Db | null; store: Store | null }> {
  if (config.database === null) {
    const db = openDatabase(databaseFile(config.dataDir));
    if (demoOptions && !isSeeded(db)) {
      say(`Seeding the demo county into ${config.dataDir} (seed ${demoOptions.seed})…`);
      say(seeded(seedDemo(db, demoOptions)));
    }
    return { db, store: null };
  }
  const store = openStore(config.database);
  try {
    await migratePostgres(store);
    if (demoOptions && !(await store.get('SELECT 1 AS one FROM regions LIMIT 1'))) {
      say(`Seeding the demo county into PostgreSQL (seed ${demoOptions.seed}): generated on SQLite in memory, then copied…`);
      const scratch = openDatabase(':memory:');
      try {
        say(seeded(seedDemo(scratch, demoOptions)));
        const copied = await copySqliteToPostgres(scratch, store, {
          onProgress: (p) => {
            if (p.rows === p.total && p.total > 0) say(`  ${p.table}: ${p.total} rows`);
          },
        });
        say(`Copied ${copied.totalRows} rows into PostgreSQL in ${Math.round(copied.ms)} ms.`);
      } finally {
        scratch.close();
      }
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  return { db: null, store };
}

/**
 * Opens the database, seeds the demo county when asked and the database is empty, starts
 * the server and arranges a graceful shutdown on SIGINT/SIGTERM: stop accepting, close
 * sockets and HTTP, then checkpoint and close SQLite.
 */
export async function runServer(config: ServerConfig, demoOptions: DemoOptions | null): Promise<RunningServer> {
  // Output piped to a log process that dies (EPIPE) must not take the server down with it: the
  // server keeps serving; its audit trail and database are where the record is, not the log.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const { db, store } = await openDatabaseOf(config, demoOptions);
  const handles = await createServer({ db: db ?? store!, clock: systemClock, config: { ...config, demo: demoOptions !== null } });
  if (demoOptions) {
    const created = await seedDemoUsers(handles.store, handles.users, handles.auth);
    // the training history and the demo field account's worker record need the demo accounts
    await seedDemoWorkforce(handles.store);
    if (created > 0) {
      process.stdout.write(
        `Created ${created} demo users (demo-dispatcher, demo-duty, … see README); password: ${process.env.GRIDCOMMAND_DEMO_PASSWORD ? 'from GRIDCOMMAND_DEMO_PASSWORD' : `the documented default ${DEFAULT_DEMO_PASSWORD}`}.\n`,
      );
    }
    // documented like the demo password: the demo's channel integrations can be tried at once
    process.stdout.write(`Demo intake keys (X-API-Key; see README): ${INTAKE_CHANNELS.map((c) => `${c} ${demoChannelKey(c)}`).join(', ')}.\n`);
  } else if ((await handles.users.count()) === 0) {
    process.stdout.write('No users yet: create the first one with `npm run admin -- create-user --username NAME --role secadmin`.\n');
  }
  const url = await handles.listen();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await handles.close();
    if (db) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    } else {
      await store!.close();
    }
  };
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) handles.app.log.error({ err }, 'shutting down after an error');
    else handles.app.log.info({ signal }, 'shutting down');
    await stop();
  });
  return { url, handles, db, stop };
}
