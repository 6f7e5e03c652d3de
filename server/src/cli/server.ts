import { resolve } from 'node:path';
import { defaultConfig, DEFAULT_PORT } from '../config.js';
import { DEMO_ARG_OPTIONS, demoOptionsFrom, parseCli, UsageError } from './args.js';
import { runServer } from './run-server.js';

const USAGE = `Usage: npm run server -- [--port P] [--host H] [--data DIR] [--demo] [demo county options]

  --port P      port to listen on (default ${DEFAULT_PORT})
  --host H      address to bind (default 127.0.0.1)
  --data DIR    data folder holding gridcommand.db (default ./data)
  --demo        seed the demo county T县 into an empty database
  Demo county options (with --demo, used only when seeding): --seed N --towns N --villages N
  --grids N --micro-grids N --workers N --full-time-workers N --households-per-micro-grid N
  --days N --events-per-day N --as-of ISO
`;

const { values } = parseCli(
  { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, demo: { type: 'boolean' }, ...DEMO_ARG_OPTIONS },
  USAGE,
);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got "${values.port}")`);
  const demoOptions = values.demo ? demoOptionsFrom(values) : null;
  const config = defaultConfig({ port, host: values.host ?? '127.0.0.1', dataDir: resolve(values.data ?? 'data'), demo: Boolean(values.demo) });
  const { url } = await runServer(config, demoOptions);
  process.stdout.write(`GridCommand server listening: console ${url}  API ${url}api/v1/health\n`);
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
