/**
 * The product under measurement, in a process of its own: the real server (createServer, the
 * composition root `npm run server` uses) over a copy of the demo county, with its per-session
 * and per-address rate limits raised so that the limiter runs but is not what is measured.
 * Driven over IPC by the benchmarks:
 *   `payloads { after, count }`   the changes after a seq as the live feed sends them (full view);
 *   `publish { count, intervalMs }` publishes that many case changes on the bus, as the case writer
 *                                  does after a commit (the fan-out path: bus → rooms → sockets);
 *   `devices`                      one field-worker account and session per team (field devices);
 *   `memory { gc }`                process.memoryUsage(), after a full collection when asked;
 *   `loopDelay { start }`          starts measuring the event loop's delay, or stops and reports it
 *                                  (tells a stalled server from a slow probe).
 * Usage: node --expose-gc --import tsx bench/children/product-server.ts DATA_DIR
 */
import { createHash, randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventChangedPayload } from '../../shared/contracts/socket.js';
import { createServer } from '../../server/src/app.js';
import { databaseFile, defaultConfig } from '../../server/src/config.js';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { seedDemoUsers } from '../../server/src/modules/auth/demo-users.js';
import { Store } from '../../server/src/db/store.js';
import { EventsRepo } from '../../server/src/modules/events/events.repo.js';
import { eventView } from '../../server/src/modules/events/event-view.js';
import { TeamsRepo } from '../../server/src/modules/teams/teams.repo.js';
import type { Role, Scope } from '../../shared/contracts/auth.js';
import { paced } from '../support.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: product-server.ts DATA_DIR');

const UNLIMITED = 1_000_000_000;
const db = openDatabase(databaseFile(dataDir));
const handles = await createServer({
  db,
  clock: systemClock,
  config: defaultConfig({
    port: 0,
    dataDir,
    demo: true,
    logLevel: 'warn',
    rateLimit: { perMinute: UNLIMITED, anonymousPerMinute: UNLIMITED, loginPerMinute: UNLIMITED },
  }),
});
await seedDemoUsers(handles.store, handles.users, handles.auth);
const url = await handles.listen();
const events = new EventsRepo(Store.onSqlite(db));

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A session for a user, written as a login writes it (the token's SHA-256 is the session id):
 * thousands of devices are not logged in through argon2 and the login limit one by one.
 */
async function sessionFor(userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await handles.users.insertSession({ id: sha256(token), userId, at: now.toISOString(), expiresAt: new Date(now.getTime() + 12 * 3600_000).toISOString(), sourceIp: null, client: 'bench' });
  return token;
}

const dispatcher = await handles.users.byUsername('demo-dispatcher');
if (!dispatcher) throw new Error('no demo-dispatcher: the data folder was not started with --demo');

/** The changes after `after`, as a console in the full view receives them. */
async function payloads(after: number, count: number): Promise<EventChangedPayload[]> {
  const out: EventChangedPayload[] = [];
  for (let at = after; out.length < count; ) {
    const batch = await events.changesAfter(at, Math.min(1_000, count - out.length));
    if (batch.length === 0) break;
    for (const c of batch) out.push({ seq: c.seq, event: eventView(c.event, true), kind: c.kind } as EventChangedPayload);
    at = batch[batch.length - 1]!.seq;
  }
  return out;
}

/** What a fan-out publishes: the latest changes of the county, over and over, under fresh seqs. */
const published = await payloads((await events.lastSeq()) - 1_000, 1_000);
let nextSeq = (await events.lastSeq()) + 1;

function publishOne(): { seq: number; at: number } {
  const template = published[nextSeq % published.length]!;
  const seq = nextSeq++;
  const at = performance.timeOrigin + performance.now();
  handles.bus.publish('case:changed', { ...template, seq });
  return { seq, at };
}

const publish = (count: number, intervalMs: number) => paced(count, intervalMs, publishOne);

/** One field-worker account per team, with a session: each device reports for its own team. */
async function devices(): Promise<Array<{ token: string; teamId: string; lon: number; lat: number }>> {
  const at = new Date().toISOString();
  const teams = await new TeamsRepo(handles.store).list();
  return handles.users.store.inTransaction(async () => {
    const out: Array<{ token: string; teamId: string; lon: number; lat: number }> = [];
    for (const [i, team] of teams.entries()) {
      const id = `bench-device-${team.id}`;
      if (!(await handles.users.byId(id))) {
        const scope: Scope = handles.users.scopeOf(team.townId ? [team.townId] : null);
        const roles: Role[] = ['field_worker'];
        // never logged into: the hash is not a password's
        await handles.users.insert({ id, username: `bench-device-${i}`, displayName: `压测终端 ${i}`, passwordHash: 'bench:no-login', roles, scope, demo: false, teamId: team.id, at });
      }
      out.push({ token: await sessionFor(id), teamId: team.id, lon: team.location.lon, lat: team.location.lat });
    }
    return out;
  });
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });

process.on('message', (m: { id: number; type: string; after?: number; count?: number; intervalMs?: number; gc?: boolean; start?: boolean }) => {
  const answer = (body: Record<string, unknown>) => process.send!({ id: m.id, ...body });
  void (async () => {
    try {
      switch (m.type) {
        case 'payloads':
          return answer({ payloads: payloads(m.after!, m.count!) });
        case 'publish':
          return answer({ sent: await publish(m.count!, m.intervalMs ?? 0) });
        case 'devices':
          return answer({ devices: await devices() });
        case 'memory':
          if (m.gc) globalThis.gc?.();
          return answer({ memory: process.memoryUsage() });
        case 'loopDelay':
          if (m.start) {
            loopDelay.reset();
            loopDelay.enable();
            return answer({});
          }
          loopDelay.disable();
          return answer({ p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
        default:
          return answer({ error: `unknown request ${m.type}` });
      }
    } catch (err) {
      answer({ error: String((err as Error).stack ?? err) });
    }
  })();
});

const stop = async () => {
  await handles.close();
  db.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

process.send!({ type: 'ready', url, pid: process.pid, seq: events.lastSeq(), token: await sessionFor(dispatcher.id) });
