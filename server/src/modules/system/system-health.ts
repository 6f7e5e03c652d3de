import { existsSync, statSync } from 'node:fs';
import type { SystemHealthResponse } from '../../../../shared/contracts/system.js';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import type { Clock } from '../../core/clock.js';
import { lastBackup } from '../../db/backup.js';
import type { Store } from '../../db/store.js';
import type { AuditAnchorWriter } from '../audit/audit-anchor-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import type { RetentionPruner } from './retention-pruner.js';

export interface SystemHealthDeps {
  store: Store;
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
  const { store, clock } = deps;
  const now = clock.now();
  const count = async (sql: string) => (await store.get<{ rows: number; oldest: string | null }>(sql))!;
  const head = await deps.audit.head();
  const anchor = deps.anchor.lastAnchor();
  // per status over the status index: no scan of the events themselves
  const byStatus = await store.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM events GROUP BY status');
  const open = new Set<string>(OPEN_STATUSES);
  const events = { n: byStatus.reduce((sum, r) => sum + r.n, 0), open: byStatus.reduce((sum, r) => sum + (open.has(r.status) ? r.n : 0), 0) };
  const intake = await count('SELECT COUNT(*) AS rows, MIN(created_at) AS oldest FROM idempotency_keys');
  const actions = await count('SELECT COUNT(*) AS rows, MIN(created_at) AS oldest FROM action_idempotency');
  const seq = (await store.get<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM event_changes'))!.seq;
  const positions = await count('SELECT COUNT(*) AS rows, MIN(at) AS oldest FROM team_positions');
  const oldestKey = [intake.oldest, actions.oldest].filter((d): d is string => d !== null).sort()[0] ?? null;
  return {
    version: deps.version,
    serverTime: now.toISOString(),
    startedAt: deps.startedAt.toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now.getTime() - deps.startedAt.getTime()) / 1000)),
    demo: deps.demo,
    node: process.version,
    database: {
      ...(await storage(deps)),
      seq,
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
      positions,
      idempotencyKeys: { rows: intake.rows + actions.rows, oldest: oldestKey },
      lastRun: deps.pruner.lastRun(),
    },
  };
}

/**
 * The database's size on disk: SQLite's file, its write-ahead log and the free pages inside it;
 * on PostgreSQL the database's size (its write-ahead log is the cluster's, not the database's).
 */
async function storage(deps: SystemHealthDeps): Promise<{ fileBytes: number; walBytes: number; freeBytes: number }> {
  const db = deps.store.sqliteConnection;
  if (!db) {
    const size = await deps.store.get<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
    return { fileBytes: size?.bytes ?? 0, walBytes: 0, freeBytes: 0 };
  }
  const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
  return { fileBytes: fileBytes(deps.databaseFile), walBytes: fileBytes(`${deps.databaseFile}-wal`), freeBytes: pragma('freelist_count') * pragma('page_size') };
}
