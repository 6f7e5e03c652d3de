import type { RetentionSettings, ShiftSchedule } from '../../../../shared/contracts/settings.js';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { who, type AuditSink, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { SettingsRepo } from './settings.repo.js';

/**
 * The audit view of workflow settings: everything as is, except the long day lists of the
 * calendar, which are given as their length (the change itself is in `changedDays`), so a
 * record stays small whatever the calendar holds.
 */
function auditView(s: WorkflowSettings) {
  const { holidays, workdays, ...calendar } = s.calendar;
  return { ...s, calendar: { ...calendar, holidays: holidays.length, workdays: workdays.length } };
}

function dayChanges(before: readonly string[], after: readonly string[]) {
  const was = new Set(before);
  const is = new Set(after);
  return { added: after.filter((d) => !was.has(d)), removed: before.filter((d) => !is.has(d)) };
}

/** Workflow settings (working calendar, duplicate rule, warning point), shifts and retention: every change audited. */
export class SettingsService {
  constructor(private readonly deps: { store: Store; repo: SettingsRepo; audit: AuditSink; clock: Clock }) {}

  async updateWorkflow(actor: Principal, value: WorkflowSettings, ctx: RequestContext): Promise<WorkflowSettings> {
    const { store, repo, audit, clock } = this.deps;
    // the audit repository is not on the store yet: on SQLite it joins this transaction
    await store.inTransaction(async () => {
      const before = await repo.workflow();
      await repo.saveWorkflow(value, clock.now().toISOString(), actor.user.id);
      await audit.append({
        ...who(actor),
        ...ctx,
        action: 'settings:change',
        result: 'success',
        objectType: 'settings',
        objectId: 'workflow',
        details: {
          before: auditView(before),
          after: auditView(value),
          changedDays: { holidays: dayChanges(before.calendar.holidays, value.calendar.holidays), workdays: dayChanges(before.calendar.workdays, value.calendar.workdays) },
        },
      });
    });
    return repo.workflow();
  }

  /** Replaces the shift schedule (already checked by its contract); audited with before and after. */
  async updateShifts(actor: Principal, value: ShiftSchedule, ctx: RequestContext): Promise<ShiftSchedule> {
    const { store, repo, audit, clock } = this.deps;
    await store.inTransaction(async () => {
      const before = await repo.shifts();
      await repo.saveShifts(value, clock.now().toISOString(), actor.user.id);
      await audit.append({ ...who(actor), ...ctx, action: 'settings:change', result: 'success', objectType: 'settings', objectId: 'shifts', details: { before, after: value } });
    });
    return repo.shifts();
  }

  /** Replaces the retention settings; the next pruning run uses them. Audited with before and after. */
  async updateRetention(actor: Principal, value: RetentionSettings, ctx: RequestContext): Promise<RetentionSettings> {
    const { store, repo, audit, clock } = this.deps;
    await store.inTransaction(async () => {
      const before = await repo.retention();
      await repo.saveRetention(value, clock.now().toISOString(), actor.user.id);
      await audit.append({ ...who(actor), ...ctx, action: 'settings:change', result: 'success', objectType: 'settings', objectId: 'retention', details: { before, after: value } });
    });
    return repo.retention();
  }
}
