import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig, DEFAULT_PORT } from '../config.js';
import { parseSyslogTarget } from '../modules/audit/syslog.js';
import { TrustProxyError, trustProxyOf } from '../http/client-address.js';
import { DEMO_ARG_OPTIONS, demoOptionsFrom, parseCli, UsageError } from './args.js';
import { databaseUrlOf } from './cli-store.js';
import { runServer } from './run-server.js';

const USAGE = `Usage: npm run server -- [--port P] [--host H] [--data DIR] [--db postgres://…] [--redis redis://…] [--demo] [audit anchor options] [demo county options]

  --port P      port to listen on (default ${DEFAULT_PORT})
  --host H      address to bind (default 127.0.0.1)
  --data DIR    data folder holding gridcommand.db (default ./data)
  --db URL      run on PostgreSQL (postgres://user[:password]@host[:port]/database; the password
                better in env PGPASSWORD or ~/.pgpass) instead of SQLite's gridcommand.db in --data
                (the default): migrated at start; several nodes share it with --redis
                (docs/POSTGRES.md). --data still holds the audit anchors, photos and briefings
  --demo        seed the demo county T县 into an empty database
  --redis URL   several server nodes on one database (redis://[:password@]host:port): broadcasts
                reach every node's consoles through Redis Streams and each node reads the others'
                case changes from the database (README, "Several server nodes")
  --forward-to URL  a county's own server: forward this county's cases to the city's server at URL
                (its change log, resumed from the city's cursor after any outage; README,
                "Several server nodes", and docs/DEPLOYMENT.md). The city's integration key for
                this county comes from --forward-key-file FILE or env GRIDCOMMAND_FORWARD_KEY,
                never from the command line
  --forward-key-file FILE  file holding that key (one line)
  --origin URL[,URL]  browser origins, besides the server's own, allowed to open the live feed
                and call the API cross-origin (e.g. https://gridcommand.county.gov.cn behind a
                reverse proxy); the server's own are loopback, the --host address and, with
                --host 0.0.0.0, each interface's address. Never taken from a request's Host.
  --login-per-minute N  sign-in attempts allowed per source address a minute (default 20): raise
                it when many desks reach the server through one gateway address
  --trust-proxy LIST  reverse proxies whose X-Forwarded-For is believed, comma-separated:
                addresses, CIDR ranges (10.0.0.0/8) and loopback, linklocal, uniquelocal
                (e.g. --trust-proxy 127.0.0.1 behind nginx on this host). Requests through them
                are limited and audited under the client's address; the header of any other
                peer is ignored. Default: none (every request is its TCP peer's address)
  --briefing-dir DIR  write each shift's briefing (交班简报) into DIR when the shift ends: JSON,
                XLSX, CSV and the map (SVG), named by the shift's times; reporters masked
  Audit anchors (the audit trail's head, signed, outside the database; see
  server/src/modules/audit/README.md):
  --anchors DIR          folder of the anchor file and public keys (default --data;
                         env GRIDCOMMAND_AUDIT_ANCHOR_DIR); best on other storage
  --anchor-key FILE      Ed25519 signing key, made on first start (default
                         audit-anchor.key in --data; env GRIDCOMMAND_AUDIT_ANCHOR_KEY_FILE)
  --anchor-syslog H:P    also send each anchor to this UDP syslog collector (RFC 5424;
                         env GRIDCOMMAND_AUDIT_SYSLOG; default off)
  Demo options (with --demo, used only when seeding; see npm run demo:seed -- --help):
  --preset city|zhejiang --cities N --counties N --seed N --towns N --villages N
  --grids N --micro-grids N --workers N --full-time-workers N --households-per-micro-grid N
  --days N --events-per-day N --as-of ISO
`;

const { values } = parseCli(
  {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    demo: { type: 'boolean' },
    origin: { type: 'string' },
    'login-per-minute': { type: 'string' },
    'trust-proxy': { type: 'string' },
    'briefing-dir': { type: 'string' },
    redis: { type: 'string' },
    db: { type: 'string' },
    'forward-to': { type: 'string' },
    'forward-key-file': { type: 'string' },
    anchors: { type: 'string' },
    'anchor-key': { type: 'string' },
    'anchor-syslog': { type: 'string' },
    ...DEMO_ARG_OPTIONS,
  },
  USAGE,
);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

/** `--origin`: comma-separated `scheme://host[:port]` origins, exactly as browsers send them. */
function originsOf(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw.split(',').map((o) => {
    let url: URL;
    try {
      url = new URL(o.trim());
    } catch {
      throw new UsageError(`--origin: "${o}" is not a URL`);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== o.trim()) throw new UsageError(`--origin: "${o}" must be an origin like https://host:port (no path)`);
    return url.origin;
  });
}

/** `--redis`: a redis:// or rediss:// URL. */
function redisUrlOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--redis: "${raw}" is not a URL (redis://host:port)`);
  }
  if (!['redis:', 'rediss:'].includes(url.protocol)) throw new UsageError(`--redis: "${url.protocol}" is not redis: or rediss: (redis://host:port)`);
  return raw;
}

/** `--forward-to` with its key: the key from a file or the environment, never from the command line. */
function forwardOf(rawUrl: string | undefined, keyFile: string | undefined): ReturnType<typeof defaultConfig>['forward'] {
  if (rawUrl === undefined) {
    if (keyFile !== undefined) throw new UsageError('--forward-key-file needs --forward-to');
    return null;
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`--forward-to: "${rawUrl}" is not a URL (https://city-server/)`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new UsageError(`--forward-to: "${url.protocol}" is not http: or https:`);
  let key: string;
  if (keyFile !== undefined) {
    try {
      key = readFileSync(resolve(keyFile), 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--forward-key-file: cannot read ${keyFile} (${(err as Error).message})`);
    }
  } else {
    key = (process.env.GRIDCOMMAND_FORWARD_KEY ?? '').trim();
  }
  if (!key) throw new UsageError('--forward-to needs the city\'s API key: --forward-key-file FILE or env GRIDCOMMAND_FORWARD_KEY');
  if (key.length > 200 || /\s/.test(key)) throw new UsageError('the forwarding key must be one line of at most 200 characters');
  return { ...DEFAULT_FORWARD, url: url.toString(), key };
}

const DEFAULT_FORWARD = { batch: 200, retryMinMs: 1_000, retryMaxMs: 60_000, tickMs: 5_000 };

try {
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got "${values.port}")`);
  const demoOptions = values.demo ? demoOptionsFrom(values) : null;
  const base = defaultConfig({ port, host: values.host ?? '127.0.0.1', dataDir: resolve(values.data ?? 'data'), demo: Boolean(values.demo) });
  const auditAnchor = {
    ...base.auditAnchor,
    ...(values.anchors !== undefined ? { dir: resolve(values.anchors) } : {}),
    ...(values['anchor-key'] !== undefined ? { keyFile: resolve(values['anchor-key']) } : {}),
    ...(values['anchor-syslog'] !== undefined ? { syslog: values['anchor-syslog'] } : {}),
  };
  if (auditAnchor.syslog !== null) {
    try {
      parseSyslogTarget(auditAnchor.syslog);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const loginRaw = values['login-per-minute'];
  const loginPerMinute = loginRaw === undefined ? base.rateLimit.loginPerMinute : Number(loginRaw);
  if (!/^\d+$/.test(loginRaw ?? '1') || !Number.isSafeInteger(loginPerMinute) || loginPerMinute < 1) {
    throw new UsageError(`--login-per-minute must be a whole number ≥ 1 (got "${String(loginRaw)}")`);
  }
  let trustProxy: string[] = [];
  try {
    if (values['trust-proxy'] !== undefined) trustProxy = trustProxyOf(values['trust-proxy']);
  } catch (err) {
    throw err instanceof TrustProxyError ? new UsageError(`--${err.message}`) : err;
  }
  const config = {
    ...base,
    trustProxy,
    auditAnchor,
    rateLimit: { ...base.rateLimit, loginPerMinute },
    allowedOrigins: [...base.allowedOrigins, ...originsOf(values.origin)],
    briefingDir: values['briefing-dir'] === undefined ? null : resolve(values['briefing-dir']),
    database: values.db === undefined ? null : databaseUrlOf(values.db),
    ...(values.redis !== undefined ? { redis: redisUrlOf(values.redis), changeFeed: { ...base.changeFeed, mode: 'tail' as const } } : {}),
    forward: forwardOf(values['forward-to'], values['forward-key-file']),
  };
  const { url } = await runServer(config, demoOptions);
  process.stdout.write(`GridCommand server listening: console ${url}  API ${url}api/v1/health\n`);
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
