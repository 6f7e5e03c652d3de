import type { RetentionSettings } from './settings.js';

/** What one run of the retention job deleted (rows), with the cut-off instants it used. */
export interface RetentionRun {
  at: string;
  /** Rows older than these instants were deleted. */
  cutoffs: { positions: string; idempotencyKeys: string };
  deleted: { positions: number; intakeKeys: number; actionKeys: number };
  /** Set when the run failed part-way (what it deleted before stays deleted). */
  error: string | null;
}

/** The last backup the backup command recorded in the data folder (`backups.jsonl`). */
export interface LastBackup {
  at: string;
  /** Where the backup file was written (absolute path on the server host). */
  file: string;
  bytes: number;
  sha256: string;
  /** The last change sequence the copy holds. */
  lastSeq: number;
}

/**
 * `GET /api/v1/system/health` (system administrator, `system:read`): how the server and its
 * data are doing, for the system administrator's screen. Every figure is read when asked.
 */
export interface SystemHealthResponse {
  version: string;
  serverTime: string;
  startedAt: string;
  uptimeSeconds: number;
  demo: boolean;
  node: string;
  database: {
    /** The database file, bytes. */
    fileBytes: number;
    /** The write-ahead log (`-wal`) beside it, bytes; folded into the file at checkpoints. */
    walBytes: number;
    /** Free pages inside the file (space a VACUUM would give back), bytes. */
    freeBytes: number;
    /** Highest committed change sequence. */
    seq: number;
    events: number;
    openEvents: number;
  };
  /** Socket.IO connections open now (consoles, walls, field phones). */
  sockets: number;
  /** Null when no backup was recorded in this data folder. */
  lastBackup: LastBackup | null;
  audit: {
    /** Records in the trail (also the last seq: the chain has no gaps). */
    records: number;
    /** The last anchor written outside the database, null before the first. */
    lastAnchorAt: string | null;
    anchoredSeq: number | null;
    /** Records written since the last anchor (anchored every minute when the head moved). */
    unanchored: number;
    /** Where the anchors go: the anchor file and, when configured, a syslog collector. */
    anchorFile: string;
    syslog: string | null;
  };
  retention: {
    settings: RetentionSettings;
    /** Rows kept now, and the oldest of them. */
    positions: { rows: number; oldest: string | null };
    idempotencyKeys: { rows: number; oldest: string | null };
    lastRun: RetentionRun | null;
  };
}
