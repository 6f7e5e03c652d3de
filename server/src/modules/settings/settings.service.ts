import type { RetentionSettings, ShiftSchedule } from '../../../../shared/contracts/settings.js';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import type { Clock } from '../../core/clock.js';
import { inTransaction, type Db } from '../../db/connection.js';
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
  constructor(private readonly deps: { db: Db; repo: SettingsRepo; audit: AuditSink; clock: Clock }) {}

  updateWorkflow(actor: Principal, value: WorkflowSettings, ctx: RequestContext): WorkflowSettings {
    const { db, repo, audit, clock } = this.deps;
    inTransaction(db, () => {
      const before = repo.workflow();
      repo.saveWorkflow(value, clock.now().toISOString(), actor.user.id);
      audit.append({
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
  updateShifts(actor: Principal, value: ShiftSchedule, ctx: RequestContext): ShiftSchedule {
    const { db, repo, audit, clock } = this.deps;
    inTransaction(db, () => {
      const before = repo.shifts();
      repo.saveShifts(value, clock.now().toISOString(), actor.user.id);
      audit.append({ ...who(actor), ...ctx, action: 'settings:change', result: 'success', objectType: 'settings', objectId: 'shifts', details: { before, after: value } });
    });
    return repo.shifts();
  }

  /** Replaces the retention settings; the next pruning run uses them. Audited with before and after. */
  updateRetention(actor: Principal, value: RetentionSettings, ctx: RequestContext): RetentionSettings {
    const { db, repo, audit, clock } = this.deps;
    inTransaction(db, () => {
      const before = repo.retention();
      repo.saveRetention(value, clock.now().toISOString(), actor.user.id);
      audit.append({ ...who(actor), ...ctx, action: 'settings:change', result: 'success', objectType: 'settings', objectId: 'retention', details: { before, after: value } });
    });
    return repo.retention();
  }
}
