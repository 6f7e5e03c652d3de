import type { z } from 'zod';
import { retentionSettingsSchema, shiftScheduleSchema, type RetentionSettings, type ShiftSchedule } from '../../../../shared/contracts/settings.js';
import { DEFAULT_TRAINING_SETTINGS, trainingSettingsSchema, type TrainingSettings } from '../../../../shared/contracts/training.js';
import { workflowSettingsSchema, type WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { WARN_AT_FRACTION } from '../../../../shared/domain/case-state.js';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/working-calendar.js';
import type { Store } from '../../db/store.js';

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

/** Two twelve-hour-ish shifts, as county command centres commonly run: 白班 08:30–17:30, 夜班 17:30–08:30. */
export const DEFAULT_SHIFT_SCHEDULE: ShiftSchedule = {
  shifts: [
    { name: '白班', nameEn: 'Day shift', start: '08:30', end: '17:30', lead: null },
    { name: '夜班', nameEn: 'Night shift', start: '17:30', end: '08:30', lead: null },
  ],
};

/**
 * Positions are personal data (where a worker was): kept 120 days, long enough for any review of
 * a case's handling and for a quarter's assessment (德能勤绩), whose patrol figures are read from
 * them until the period is closed (docs/WORKFORCE.md). Idempotency keys: 30 days, far beyond any phone's offline outbox.
 */
export const DEFAULT_RETENTION: RetentionSettings = { positionTrailDays: 120, idempotencyKeyDays: 30 };

/** The settings stored under one key: their schema and their value until someone saves one. */
interface SettingsKind<T> {
  key: string;
  schema: z.ZodType<T>;
  defaults: T;
}

const WORKFLOW: SettingsKind<WorkflowSettings> = { key: 'workflow', schema: workflowSettingsSchema, defaults: DEFAULT_WORKFLOW_SETTINGS };
const SHIFTS: SettingsKind<ShiftSchedule> = { key: 'shifts', schema: shiftScheduleSchema, defaults: DEFAULT_SHIFT_SCHEDULE };
const RETENTION: SettingsKind<RetentionSettings> = { key: 'retention', schema: retentionSettingsSchema, defaults: DEFAULT_RETENTION };
/** Grid workers' yearly training hours (issue 16): 24 h a year until the county's grid office sets another. */
const TRAINING: SettingsKind<TrainingSettings> = { key: 'training', schema: trainingSettingsSchema, defaults: DEFAULT_TRAINING_SETTINGS };

interface SettingsRow {
  value: string;
  updated_at: string;
}

/**
 * Settings edited through the API, stored as JSON per key, on the store. Reads are cached and
 * re-read when the stored row changes (its `updated_at`), so a rolled-back write never sticks.
 */
export class SettingsRepo {
  private readonly cache = new Map<string, { updatedAt: string | null; value: unknown }>();

  constructor(private readonly store: Store) {}

  /** The workflow settings in force: the stored ones, or the defaults when none were saved. */
  async workflow(): Promise<WorkflowSettings> {
    return this.cached(WORKFLOW, await this.row(WORKFLOW));
  }

  /** Stores the workflow settings. Call inside a store transaction. */
  async saveWorkflow(value: WorkflowSettings, at: string, by: string | null): Promise<void> {
    await this.save(WORKFLOW, value, at, by);
  }

  /** The command centre's shifts in force. */
  async shifts(): Promise<ShiftSchedule> {
    return this.cached(SHIFTS, await this.row(SHIFTS));
  }

  /** Stores the shift schedule. Call inside a store transaction. */
  async saveShifts(value: ShiftSchedule, at: string, by: string | null): Promise<void> {
    await this.save(SHIFTS, value, at, by);
  }

  /** How long trails and idempotency keys are kept. */
  async retention(): Promise<RetentionSettings> {
    return this.cached(RETENTION, await this.row(RETENTION));
  }

  /** Stores the retention settings. Call inside a store transaction. */
  async saveRetention(value: RetentionSettings, at: string, by: string | null): Promise<void> {
    await this.save(RETENTION, value, at, by);
  }

  /** The grid workers' yearly training requirement in force. */
  async training(): Promise<TrainingSettings> {
    return this.cached(TRAINING, await this.row(TRAINING));
  }

  /** Stores the training requirement. Call inside a store transaction. */
  async saveTraining(value: TrainingSettings, at: string, by: string | null): Promise<void> {
    await this.save(TRAINING, value, at, by);
  }

  private row<T>(kind: SettingsKind<T>): Promise<SettingsRow | undefined> {
    return this.store.get<SettingsRow>('SELECT value, updated_at FROM settings WHERE key = ?', kind.key);
  }

  /** The value of a stored row (the defaults without one), parsed once per `updated_at`. */
  private cached<T>(kind: SettingsKind<T>, row: SettingsRow | undefined): T {
    const updatedAt = row?.updated_at ?? null;
    const cached = this.cache.get(kind.key);
    if (cached && cached.updatedAt === updatedAt) return cached.value as T;
    const value = row ? kind.schema.parse(JSON.parse(row.value)) : kind.defaults;
    this.cache.set(kind.key, { updatedAt, value });
    return value;
  }

  private async save<T>(kind: SettingsKind<T>, value: T, at: string, by: string | null): Promise<void> {
    await this.store.run(
      'INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      kind.key,
      JSON.stringify(value),
      at,
      by,
    );
    this.cache.delete(kind.key);
  }
}
