import { DEFAULT_DEMO_PASSWORD } from '../modules/auth/demo-users.js';
import { parseSimulationStart } from '../modules/simulate/day-plan.js';
import { runSimulation } from '../modules/simulate/simulation.js';
import { parseCli } from './args.js';

const USAGE = `Usage: npm run simulate -- [--url http://127.0.0.1:8600] [--rate EVENTS_PER_HOUR] [--speed X] [--duration S] [--start TIME] [--seed N]

Drives a realistic day against a running GridCommand server in demo mode, through its real REST
and Socket.IO interfaces: reports on the daily curve from the usual channels, dispatch, teams
travelling and reporting positions, handling, verification and closing.

  --url        the server (default http://127.0.0.1:8600)
  --rate       average reports per hour over the day (default 8.3, about 200 a day)
  --speed      simulated seconds per real second (default 60: an hour in a minute)
  --duration   real seconds to run (default 0: until Ctrl+C)
  --start      the simulated time to start at, ISO 8601 (default: now); a day or a time without
               a zone is China Standard Time, e.g. 2026-11-23T09:00 — the hour sets how busy it is
  --seed       random seed (default 1)
The demo users' password is GRIDCOMMAND_DEMO_PASSWORD or the documented default.
`;

const { values } = parseCli(
  {
    url: { type: 'string', default: 'http://127.0.0.1:8600' },
    rate: { type: 'string', default: '8.3' },
    speed: { type: 'string', default: '60' },
    duration: { type: 'string', default: '0' },
    start: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
  USAGE,
);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const num = (name: string, raw: string | undefined, min: number, max: number): number => {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    process.stderr.write(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}\n\n${USAGE}`);
    process.exit(2);
  }
  return v;
};
const start = values.start === undefined ? new Date() : parseSimulationStart(values.start);
if (!start) {
  process.stderr.write(`--start must be an ISO 8601 day or time, got ${JSON.stringify(values.start)}\n\n${USAGE}`);
  process.exit(2);
}
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());

try {
  await runSimulation({
    url: values.url!,
    ratePerHour: num('rate', values.rate, 0, 100_000),
    speed: num('speed', values.speed, 0.1, 10_000),
    durationSec: num('duration', values.duration, 0, 7 * 24 * 3600),
    start,
    seed: num('seed', values.seed, 0, 2 ** 31),
    password: process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    signal: controller.signal,
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
} catch (err) {
  process.stderr.write(`simulate: ${(err as Error).message}\n`);
  process.exit(1);
}
