import { existsSync, statSync } from 'node:fs';
import type { SystemHealthResponse } from '../../../../shared/contracts/system.js';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import type { Clock } from '../../core/clock.js';
import { lastBackup } from '../../db/backup.js';
import type { Db } from '../../db/connection.js';
import type { AuditAnchorWriter } from '../audit/audit-anchor-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import type { RetentionPruner } from './retention-pruner.js';

export interface SystemHealthDeps {
  db: Db;
  /** The database file (its `-wal` lies beside it). */
  databaseFile: string;
  /** The data folder, where the backup command records its backups. */
  dataDir: string;
  clock: Clock;
  startedAt: Date;
  version: string;
  demo: boolean;
  audit: Pick<AuditRepo, 'head'>;
  anchor: Pick<AuditAnchorWriter, 'lastAnchor' | 'paths' | 'syslogTarget'>;
  settings: SettingsRepo;
  pruner: Pick<RetentionPruner, 'lastRun'>;
  /** Socket.IO connections open now. */
  sockets: () => number;
}

const fileBytes = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** Reads, when asked, how the server and its data are doing (`GET /api/v1/system/health`). */
export async function systemHealth(deps: SystemHealthDeps): Promise<SystemHealthResponse> {
  const { db, clock } = deps;
  const now = clock.now();
  const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
  const count = (sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as { rows: number; oldest: string | null };
  const head = deps.audit.head();
  const anchor = deps.anchor.lastAnchor();
  // per status over the status index: no scan of the events themselves
  const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM events GROUP BY status').all() as Array<{ status: string; n: number }>;
  const open = new Set<string>(OPEN_STATUSES);
  const events = { n: byStatus.reduce((sum, r) => sum + r.n, 0), open: byStatus.reduce((sum, r) => sum + (open.has(r.status) ? r.n : 0), 0) };
  const intake = count('SELECT COUNT(*) AS rows, MIN(created_at) AS oldest FROM idempotency_keys');
  const actions = count('SELECT COUNT(*) AS rows, MIN(created_at) AS oldest FROM action_idempotency');
  const oldestKey = [intake.oldest, actions.oldest].filter((d): d is string => d !== null).sort()[0] ?? null;
  return {
    version: deps.version,
    serverTime: now.toISOString(),
    startedAt: deps.startedAt.toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now.getTime() - deps.startedAt.getTime()) / 1000)),
    demo: deps.demo,
    node: process.version,
    database: {
      fileBytes: fileBytes(deps.databaseFile),
      walBytes: fileBytes(`${deps.databaseFile}-wal`),
      freeBytes: pragma('freelist_count') * pragma('page_size'),
      seq: (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM event_changes').get() as { seq: number }).seq,
      events: events.n,
      openEvents: events.open,
    },
    sockets: deps.sockets(),
    lastBackup: lastBackup(deps.dataDir),
    audit: {
      records: head.seq,
      lastAnchorAt: anchor?.at ?? null,
      anchoredSeq: anchor?.seq ?? null,
      unanchored: Math.max(0, head.seq - (anchor?.seq ?? 0)),
      anchorFile: deps.anchor.paths.anchorFile,
      syslog: deps.anchor.syslogTarget,
    },
    retention: {
      settings: await deps.settings.retention(),
      positions: count('SELECT COUNT(*) AS rows, MIN(at) AS oldest FROM team_positions'),
      idempotencyKeys: { rows: intake.rows + actions.rows, oldest: oldestKey },
      lastRun: deps.pruner.lastRun(),
    },
  };
}
