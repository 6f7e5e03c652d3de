import { workflowSettingsSchema, type WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { WARN_AT_FRACTION } from '../../../../shared/domain/case-state.js';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/working-calendar.js';
import type { Db } from '../../db/connection.js';

/**
 * Workflow settings until someone changes them: the default working calendar, duplicates
 * within 100 m and 24 h of an open case of the same item (or at the same unified address),
 * and a warning at 80 % of a step's time.
 */
export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  calendar: DEFAULT_CALENDAR,
  duplicates: { radiusMeters: 100, windowHours: 24, sameAddress: true, sameMicroGrid: false },
  warnAtFraction: WARN_AT_FRACTION,
};

const WORKFLOW_KEY = 'workflow';

/**
 * Settings edited through the API, stored as JSON per key. Reads are cached and re-read when
 * the stored row changes (its `updated_at`), so a rolled-back write never sticks.
 */
export class SettingsRepo {
  private cache: { updatedAt: string | null; value: WorkflowSettings } | null = null;

  constructor(private readonly db: Db) {}

  /** The workflow settings in force: the stored ones, or the defaults when none were saved. */
  workflow(): WorkflowSettings {
    const row = this.db.prepare('SELECT value, updated_at FROM settings WHERE key = ?').get(WORKFLOW_KEY) as { value: string; updated_at: string } | undefined;
    const updatedAt = row?.updated_at ?? null;
    if (this.cache && this.cache.updatedAt === updatedAt) return this.cache.value;
    const value = row ? workflowSettingsSchema.parse(JSON.parse(row.value)) : DEFAULT_WORKFLOW_SETTINGS;
    this.cache = { updatedAt, value };
    return value;
  }

  /** Stores the workflow settings. Call inside a transaction. */
  saveWorkflow(value: WorkflowSettings, at: string, by: string | null): void {
    this.db
      .prepare('INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by')
      .run(WORKFLOW_KEY, JSON.stringify(value), at, by);
    this.cache = null;
  }
}
