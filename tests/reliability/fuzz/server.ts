import { Writable } from 'node:stream';
import { INTAKE_CHANNELS, type IntakeChannel } from '../../../shared/contracts/auth.js';
import { DEFAULT_AUTH_CONFIG, DEFAULT_PUBLIC_REPORT_LIMITS } from '../../../server/src/config.js';
import type { Clock } from '../../../server/src/core/clock.js';
import { demoChannelKey } from '../../../server/src/modules/auth/demo-users.js';
import { DEMO_PASSWORD, loginAs, startTestServer, type TestServer } from '../../integration/harness.js';

/** Cases per entry: a short run in `npm test`, thousands with GRIDCOMMAND_RELIABILITY=long. */
export const LONG = process.env.GRIDCOMMAND_RELIABILITY === 'long';

/**
 * The base seed of every property (each entry adds its own offset): fixed, so a run is
 * reproducible; GRIDCOMMAND_FUZZ_SEED explores another part of the space. fast-check prints the
 * seed and the shrunk path of any failure.
 */
export const BASE_SEED = Number(process.env.GRIDCOMMAND_FUZZ_SEED ?? 14_014);

/** A stable number of a text (FNV-1a), to give each entry its own seed. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return (BASE_SEED + (h >>> 0)) | 0;
}

/**
 * The server's clock for the run: a fixed day that the fuzz moves forward by hand (a second per
 * case), so nothing depends on the date or hour the run happens at, and form tokens can be made
 * old enough without waiting.
 */
export class SteppingClock implements Clock {
  private at = Date.parse('2026-11-20T09:00:00+08:00');
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/**
 * What the server says went wrong beyond a refusal: log records at level ≥ 50 (error, fatal),
 * and this process's unhandled rejections and uncaught exceptions while the fuzz runs.
 */
export class Trouble {
  readonly errors: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as { level?: number };
          if ((record.level ?? 0) >= 50) this.errors.push(`log level ${record.level}: ${line.slice(0, 2000)}`);
        } catch {
          this.errors.push(`unparsable log line: ${line.slice(0, 500)}`);
        }
      }
      done();
    },
  });
  private readonly onRejection = (reason: unknown) => this.errors.push(`unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  private readonly onException = (err: Error) => this.errors.push(`uncaughtException: ${err.stack ?? err.message}`);

  listen(): void {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
  }
  stop(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }
  /** The trouble seen since `mark` (a length of `errors`). */
  since(mark: number): string[] {
    return this.errors.slice(mark);
  }
}

/** Who a fuzz request is made as: a session token, an API key, or nobody. */
export type Principal = { name: string; headers: Record<string, string> };

export const ANONYMOUS: Principal = { name: 'anonymous', headers: {} };

/** The demo accounts whose sessions the fuzz uses, one a role (demo-users.ts). */
const SESSION_USERS = ['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-field', 'demo-approver', 'demo-sysadmin', 'demo-secadmin', 'demo-auditor', 'demo-wall', 'demo-gateway', 'demo-town-dispatcher', 'demo-gridoffice'];

export interface FuzzServer {
  server: TestServer;
  clock: SteppingClock;
  trouble: Trouble;
  /** Every principal: demo sessions by username, channel keys as `key:<channel>`, and anonymous. */
  principals: Principal[];
  byName(name: string): Principal;
}

/**
 * The in-process server the fuzz runs against: the small demo county, the stepping clock, its log
 * watched for errors, and every limit that would answer 429 instead of running the handler set
 * out of reach (rate limits, login throttle and lockout, the resident page's limits), with
 * sessions that do not lapse during a long run.
 */
export async function startFuzzServer(): Promise<FuzzServer> {
  const clock = new SteppingClock();
  const trouble = new Trouble();
  const many = 1_000_000_000;
  const server = await startTestServer({
    clock,
    logStream: trouble.stream,
    config: {
      logLevel: 'warn',
      rateLimit: { perMinute: many, anonymousPerMinute: many, loginPerMinute: many },
      auth: { ...DEFAULT_AUTH_CONFIG, maxFailedAttempts: many, idleTimeoutMinutes: 10 * 365 * 24 * 60, sessionLifetimeHours: 10 * 365 * 24, loginThrottle: { perAddress: many, perUsername: many, windowMs: 60_000 } },
      publicReport: {
        ...DEFAULT_PUBLIC_REPORT_LIMITS,
        reportsPerMinute: many,
        reportsPerDay: many,
        uploadsPerMinute: many,
        uploadsPerDay: many,
        lookupsPerMinute: many,
        classifyPerMinute: many,
        readsPerMinute: many,
        maxFormAgeSeconds: 10 * 365 * 24 * 3600,
      },
    },
  });
  const principals: Principal[] = [];
  try {
    for (const username of SESSION_USERS) principals.push({ name: username, headers: { authorization: `Bearer ${await loginAs(server.url, username)}` } });
  } catch (err) {
    await server.stop();
    throw err;
  }
  for (const channel of INTAKE_CHANNELS) principals.push({ name: `key:${channel}`, headers: { 'x-api-key': demoChannelKey(channel as IntakeChannel, DEMO_PASSWORD) } });
  principals.push(ANONYMOUS);
  return {
    server,
    clock,
    trouble,
    principals,
    byName(name) {
      const p = principals.find((x) => x.name === name);
      if (!p) throw new Error(`no principal ${name}`);
      return p;
    },
  };
}
