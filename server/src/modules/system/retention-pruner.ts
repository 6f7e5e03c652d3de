import type { RetentionRun } from '../../../../shared/contracts/system.js';
import type { Clock } from '../../core/clock.js';
import { oneRunAtATime, Ticker } from '../../core/ticker.js';
import type { Store } from '../../db/store.js';
import type { AuditSink } from '../auth/auth.service.js';
import type { SettingsRepo } from '../settings/settings.repo.js';

const DAY_MS = 86_400_000;
/** The job runs hourly: retention is counted in days, so an hour late deletes nothing that matters. */
export const RETENTION_INTERVAL_MS = 3_600_000;
/**
 * Rows deleted per transaction. Every case change waits for the one writer, so a large first
 * prune (after retention was shortened) runs as many short transactions, never one long one.
 */
const BATCH = 2_000;

/**
 * Deletes what is kept only for a while (the retention settings): team positions older than
 * `positionTrailDays` (a team's last position lives on its own row and stays) and Idempotency-Keys
 * of intakes and case actions older than `idempotencyKeyDays`. The audit trail is never pruned:
 * the database refuses it, and this job has no statement that could. Each run that deleted
 * anything, or failed, is audited (`system:retention`).
 */
export class RetentionPruner {
  private last: RetentionRun | null = null;
  private readonly ticker: Ticker;

  constructor(
    private readonly deps: { store: Store; settings: SettingsRepo; audit: AuditSink; clock: Clock; intervalMs?: number; onError: (err: unknown) => void },
  ) {
    // the settings are read from the store: a run's failure goes to onError as a throw would, and
    // a tick that finds a run still going skips
    this.ticker = new Ticker(
      oneRunAtATime(() => this.pruneNow(), deps.onError),
      deps.intervalMs ?? RETENTION_INTERVAL_MS,
      deps.onError,
    );
  }

  /** Prunes once at start (catching up after downtime), then every interval. */
  start(): void {
    this.ticker.start({ now: true });
  }

  stop(): void {
    this.ticker.stop();
  }

  /** What the last run did, null before the first. */
  lastRun(): RetentionRun | null {
    return this.last;
  }

  /** Runs the job now with the settings and clock of now; returns (and keeps) what it did. */
  async pruneNow(): Promise<RetentionRun> {
    const { store, settings, clock, audit } = this.deps;
    const now = clock.now();
    const retention = await settings.retention();
    const cutoffs = {
      positions: new Date(now.getTime() - retention.positionTrailDays * DAY_MS).toISOString(),
      idempotencyKeys: new Date(now.getTime() - retention.idempotencyKeyDays * DAY_MS).toISOString(),
    };
    const deleted = { positions: 0, intakeKeys: 0, actionKeys: 0 };
    let error: string | null = null;
    try {
      deleted.positions = await drain(store, 'DELETE FROM team_positions WHERE id IN (SELECT id FROM team_positions WHERE at < ? LIMIT ?)', cutoffs.positions);
      deleted.intakeKeys = await drain(store, 'DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys WHERE created_at < ? LIMIT ?)', cutoffs.idempotencyKeys);
      deleted.actionKeys = await drain(store, 'DELETE FROM action_idempotency WHERE key IN (SELECT key FROM action_idempotency WHERE created_at < ? LIMIT ?)', cutoffs.idempotencyKeys);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const run: RetentionRun = { at: now.toISOString(), cutoffs, deleted, error };
    this.last = run;
    if (error || deleted.positions + deleted.intakeKeys + deleted.actionKeys > 0) {
      await audit.record({
        username: 'system',
        action: 'system:retention',
        result: error ? 'failure' : 'success',
        reason: error ? 'prune_failed' : null,
        objectType: 'retention',
        objectId: null,
        details: { settings: retention, cutoffs, deleted, ...(error ? { error } : {}) },
      });
    }
    if (error) this.deps.onError(new Error(`retention pruning failed: ${error}`));
    return run;
  }
}

/** Runs a batched DELETE (`cutoff`, batch size) until it deletes nothing more; returns the rows deleted. */
async function drain(store: Store, sql: string, cutoff: string): Promise<number> {
  let total = 0;
  for (;;) {
    const { changes } = await store.inTransaction(() => store.run(sql, cutoff, BATCH));
    total += changes;
    if (changes < BATCH) return total;
  }
}
