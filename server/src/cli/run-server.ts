import closeWithGrace from 'close-with-grace';
import { createServer, type ServerHandles } from '../app.js';
import { databaseFile, type ServerConfig } from '../config.js';
import { openDatabase, type Db } from '../db/connection.js';
import { systemClock } from '../core/clock.js';
import type { DemoOptions } from '../modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../modules/demo/seed.js';
import { INTAKE_CHANNELS } from '../../../shared/contracts/auth.js';
import { DEFAULT_DEMO_PASSWORD, demoChannelKey, seedDemoUsers } from '../modules/auth/demo-users.js';

export interface RunningServer {
  url: string;
  handles: ServerHandles;
  db: Db;
  stop(): Promise<void>;
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
  const db = openDatabase(databaseFile(config.dataDir));
  if (demoOptions && !isSeeded(db)) {
    process.stdout.write(`Seeding the demo county into ${config.dataDir} (seed ${demoOptions.seed})…\n`);
    const summary = seedDemo(db, demoOptions);
    process.stdout.write(
      `Seeded ${summary.towns} towns, ${summary.villages} villages, ${summary.grids} grids, ${summary.microGrids} micro-grids, ` +
        `${summary.households} households, ${summary.workers} workers, ${summary.teams} teams, ${summary.events} events in ${summary.ms} ms.\n`,
    );
  }
  const handles = await createServer({ db, clock: systemClock, config: { ...config, demo: demoOptions !== null } });
  if (demoOptions) {
    const created = await seedDemoUsers(db, handles.users, handles.auth);
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
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  };
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) handles.app.log.error({ err }, 'shutting down after an error');
    else handles.app.log.info({ signal }, 'shutting down');
    await stop();
  });
  return { url, handles, db, stop };
}
