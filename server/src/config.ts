import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

// The server's settings and their defaults. This file sits below every module (modules read
// their part of the configuration from here), so it imports nothing of the server's own.

/**
 * How a node hears of case changes (modules/events/change-feed.ts): `push`, it holds the
 * database alone and relays each of its commits; `tail`, several nodes share the database and
 * each reads the change log after the last seq it relayed.
 */
export type ChangeFeedMode = 'push' | 'tail';

/** `dengbao`: GB/T 22239 (等保 2.0) rules, passwords expire; `asvs`: OWASP ASVS, they do not. */
export type PasswordProfile = 'dengbao' | 'asvs';

/**
 * Failed logins counted per source address and per username (known or not) over a sliding
 * window. The per-account lockout stops guessing one known account from anywhere; this stops
 * one address from trying many usernames, and many addresses from trying one username (known or
 * unknown alike, so the limit itself reveals nothing about which accounts exist).
 */
export interface LoginThrottleConfig {
  /** Failures from one address within the window before its logins are refused. */
  perAddress: number;
  /** Failures for one username within the window before its logins are refused. */
  perUsername: number;
  windowMs: number;
}

export interface AuthConfig {
  passwordProfile: PasswordProfile;
  maxFailedAttempts: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  sessionLifetimeHours: number;
  /** Failed logins per address and per username before further logins are refused for a while. */
  loginThrottle: LoginThrottleConfig;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  passwordProfile: 'dengbao',
  maxFailedAttempts: 5,
  lockoutMinutes: 10,
  idleTimeoutMinutes: 30,
  sessionLifetimeHours: 12,
  loginThrottle: { perAddress: 30, perUsername: 10, windowMs: 15 * 60_000 },
};

/** Where and how often the audit chain's head is anchored outside the database (modules/audit/README.md). */
export interface AuditAnchorConfig {
  /**
   * Folder of the anchor file and the public keys; null: the data folder. For real protection it
   * is storage the database's writer cannot rewrite (another mount, a WORM share).
   */
  dir: string | null;
  /** The signing key; null: `<data folder>/audit-anchor.key`. Kept out of backups. */
  keyFile: string | null;
  /** How often the head is anchored when it changed, ms. */
  intervalMs: number;
  /** `HOST:PORT` of a UDP syslog collector that gets a copy of every anchor; null: none. */
  syslog: string | null;
}

export const DEFAULT_ANCHOR_INTERVAL_MS = 60_000;

/** Anchor lines, one JSON object a line, appended and never rewritten. */
export const ANCHOR_FILE = 'audit-anchors.jsonl';
/** The public keys anchors were signed with (one JSON object a line); all the verifier needs. */
export const ANCHOR_PUBLIC_KEYS_FILE = 'audit-anchor.pub';
/** The signing key (Ed25519, PKCS#8 PEM, mode 0600); only the server reads it. */
export const ANCHOR_KEY_FILE = 'audit-anchor.key';

/**
 * Every backup taken of the data folder's database, one JSON object a line, appended by the
 * backup command: how the running server learns of the last backup (another process wrote it).
 */
export const BACKUP_LOG_FILE = 'backups.jsonl';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /**
   * PostgreSQL (`--db postgres://…`, docs/POSTGRES.md) instead of SQLite's file in `dataDir`
   * (null, the default). The data folder still holds the audit anchors, attachments and briefings.
   */
  database: string | null;
  /** Demo mode: the database was (or will be) seeded with the demo county. */
  demo: boolean;
  /** Folder of the built console (served at `/`). */
  staticDir: string;
  /** A client further behind than this many changes refetches instead of replaying. */
  replayLimit: number;
  /** Changes a replay sends in one step (it waits for a slow link between steps). */
  replayBatch: number;
  /**
   * Milliseconds of one turn of the event loop that the replays of reconnecting consoles may
   * take, together, before requests, pings and live pushes run (modules/events/replay-pump.ts).
   */
  replayTurnMs: number;
  /**
   * What the server holds for a socket that does not read (http/socket-send-budget.ts): over
   * `packets` waiting with nothing taken for `stallMs`, or over `hardLimitPackets`, it is cut and
   * catches up from the database when it reconnects.
   */
  sendBudget: { packets: number; stallMs: number; hardLimitPackets: number; sweepMs: number };
  /**
   * How the node hears of case changes (modules/events/change-feed.ts): `push` when it holds the
   * database alone; `tail` when several nodes share it, reading the change log after each of its
   * commits, on another node's word, and every `pollMs`.
   */
  changeFeed: { mode: ChangeFeedMode; pollMs: number };
  /**
   * Redis of several server nodes (`--redis redis://…`, http/socket-nodes.ts): broadcasts reach
   * the other nodes' sockets and commits nudge their change feeds; null for one server.
   */
  redis: string | null;
  /**
   * This node's name among the nodes of one database (the holder of a lease, in the audit trail);
   * by default `host:pid:random`, new at every start.
   */
  nodeId: string;
  /**
   * Several nodes (changeFeed.mode `tail`): the timed duties (deadlines, alerts sweep, retention,
   * automatic briefing, audit anchors) run on the one node holding their lease
   * (modules/system/node-duties.ts). It holds it `ttlMs` past its last renewal and renews every
   * `renewMs`; a node that stops renewing is replaced within `ttlMs + renewMs`.
   */
  leases: { ttlMs: number; renewMs: number };
  /**
   * A county's own server forwards its cases to the city's (`--forward-to URL`, the key from
   * `--forward-key-file` or GRIDCOMMAND_FORWARD_KEY; modules/forwarding/forwarder.ts): `batch`
   * changes a request, retries waiting `retryMinMs` doubling to `retryMaxMs`, and a look for
   * unsent changes every `tickMs`. Null: it forwards nothing.
   */
  forward: { url: string; key: string; batch: number; retryMinMs: number; retryMaxMs: number; tickMs: number } | null;
  /** Largest JSON body accepted, bytes. */
  bodyLimit: number;
  logLevel: string;
  auth: AuthConfig;
  /**
   * Requests a minute: `perMinute` per verified session or API key, `anonymousPerMinute` per
   * source address for everything else, `loginPerMinute` login attempts per address.
   */
  rateLimit: { perMinute: number; anonymousPerMinute: number; loginPerMinute: number };
  /** Identical denials within this window are audited once, then as one record with their count. */
  denialWindowMs: number;
  /**
   * Extra browser origins allowed to open a socket and call the API cross-origin, e.g. the
   * packaged Electron console or `http://10.1.2.3:8600` behind NAT. The server's own origins
   * (loopback, the listen address, every interface when listening on all) always are.
   */
  allowedOrigins: string[];
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (`--trust-proxy`; docs/DEPLOYMENT.md,
   * "Client addresses"): addresses, CIDR ranges and the keywords `loopback`, `linklocal`,
   * `uniquelocal` (http/client-address.ts). A request from one of them is counted, limited and
   * audited under the client address it forwarded; from anyone else the header is ignored.
   * Empty (the default): nothing is trusted, every request is its TCP peer's.
   */
  trustProxy: string[];
  /** How often the deadline monitor looks for steps past their warning point or deadline, ms. */
  deadlineSweepMs: number;
  /** A team holding a case that neither reported a position nor acted for this many minutes raises `team_silent`. */
  teamSilentMinutes: number;
  /** Largest photo upload (`POST /api/v1/attachments`), bytes. */
  attachmentMaxBytes: number;
  /** The resident page's public routes (`/api/v1/public/*`): limits per source address (docs/RESIDENT-REPORT.md). */
  publicReport: PublicReportLimits;
  /**
   * Longest time a request (headers and body) may take to arrive, ms; then 408 and the connection
   * closes, so a client that declares more body than it sends cannot hold a connection forever.
   * Node applies one value to every route, so it must fit the largest body: an 8 MiB photo over a
   * weak mobile link (about 0.6 Mbit/s in 120 s; the field app sends photos scaled to ~1.5 MB).
   */
  requestTimeoutMs: number;
  /**
   * Positions (team reports, action positions) are accepted up to this far outside the county's
   * bounding box, km: GPS error and teams working just across the border, but not (0, 0).
   */
  positionMarginKm: number;
  /** Where and how often the audit chain's head is anchored outside the database (modules/audit/README.md). */
  auditAnchor: AuditAnchorConfig;
  /**
   * A folder the server writes each shift's briefing into when the shift ends (JSON, XLSX, CSV
   * and the map picture, named by the shift's times; reporters masked); null: none.
   */
  briefingDir: string | null;
}

/** Limits of the public routes of the resident page, per source address. */
export interface PublicReportLimits {
  /** Reports a minute, and a China day. */
  reportsPerMinute: number;
  reportsPerDay: number;
  /** Photo uploads a minute, and a day. */
  uploadsPerMinute: number;
  uploadsPerDay: number;
  /** Status lookups a minute (tokens carry 192 random bits: this keeps enumeration visibly hopeless). */
  lookupsPerMinute: number;
  /** Classifier calls a minute (the page asks as the resident pauses typing). */
  classifyPerMinute: number;
  /** Form tokens, the item list and map layers, each a minute. */
  readsPerMinute: number;
  /** A report sent sooner than this after its form token was issued is refused (a person needs longer). */
  minFillSeconds: number;
  /** A form token older than this is refused; the page fetches a new one. */
  maxFormAgeSeconds: number;
}

export const DEFAULT_PUBLIC_REPORT_LIMITS: PublicReportLimits = {
  reportsPerMinute: 3,
  reportsPerDay: 10,
  uploadsPerMinute: 20,
  uploadsPerDay: 60,
  lookupsPerMinute: 30,
  classifyPerMinute: 40,
  readsPerMinute: 60,
  minFillSeconds: 8,
  maxFormAgeSeconds: 2 * 3600,
};

export const DEFAULT_PORT = 8600;

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataDir: resolve('data'),
    database: null,
    demo: false,
    staticDir: resolve(import.meta.dirname, '../../out/renderer'),
    replayLimit: 10_000,
    replayBatch: 100,
    replayTurnMs: 5,
    // ~1 KB a change: 2,000 waiting ≈ 2 MB per socket; a reader that went silent is cut within ~6 s
    sendBudget: { packets: 2_000, stallMs: 5_000, hardLimitPackets: 20_000, sweepMs: 1_000 },
    changeFeed: { mode: 'push', pollMs: 250 },
    redis: null,
    nodeId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    leases: { ttlMs: 15_000, renewMs: 5_000 },
    forward: null,
    bodyLimit: 64 * 1024,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    auth: DEFAULT_AUTH_CONFIG,
    rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 20 },
    denialWindowMs: 60_000,
    // the packaged Electron console's own origin (electron/main/app-url.ts)
    allowedOrigins: ['app://gridcommand'],
    trustProxy: [],
    deadlineSweepMs: 15_000,
    teamSilentMinutes: 30,
    attachmentMaxBytes: 8 * 1024 * 1024,
    publicReport: DEFAULT_PUBLIC_REPORT_LIMITS,
    requestTimeoutMs: 120_000,
    positionMarginKm: 5,
    briefingDir: null,
    auditAnchor: {
      dir: process.env.GRIDCOMMAND_AUDIT_ANCHOR_DIR || null,
      keyFile: process.env.GRIDCOMMAND_AUDIT_ANCHOR_KEY_FILE || null,
      intervalMs: DEFAULT_ANCHOR_INTERVAL_MS,
      syslog: process.env.GRIDCOMMAND_AUDIT_SYSLOG || null,
    },
    ...overrides,
  };
}

export const databaseFile = (dataDir: string) => resolve(dataDir, 'gridcommand.db');
