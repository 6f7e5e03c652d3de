import type { StepLimits, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { DeadlineState, Step } from '../../../../shared/contracts/events.js';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { clockDeadlineState } from '../../../../shared/domain/case-state.js';
import { addLimit, fractionPoint } from '../../../../shared/domain/working-calendar.js';

/** The clock of one step: when it started, when it warns and when it is due. */
export interface StepClock {
  step: Step | null;
  stepStartedAt: string | null;
  warnAt: string | null;
  deadlineAt: string | null;
  deadlineState: DeadlineState;
}

/** No step runs (a finished case). */
export const NO_STEP: StepClock = { step: null, stepStartedAt: null, warnAt: null, deadlineAt: null, deadlineState: 'ok' };

/** A step that starts at `from`: its deadline and warning point on the working calendar. */
export function startStep(step: Step | null, from: Date, limits: StepLimits, settings: WorkflowSettings): StepClock {
  if (step === null) return NO_STEP;
  const limit = limits[step];
  return {
    step,
    stepStartedAt: from.toISOString(),
    warnAt: fractionPoint(from, limit, settings.warnAtFraction, settings.calendar).toISOString(),
    deadlineAt: addLimit(from, limit, settings.calendar).toISOString(),
    deadlineState: 'ok',
  };
}

/**
 * The closing deadline (应结案时间) of steps run one after the other from `from`: at intake
 * file → dispatch → handle → verify, at dispatch handle → verify.
 */
export function chainedDue(from: Date, limits: StepLimits, steps: readonly Step[], settings: WorkflowSettings): string {
  let at = from;
  for (const step of steps) at = addLimit(at, limits[step], settings.calendar);
  return at.toISOString();
}

/** An instant moved on by an approved extension, on the calendar. */
export function extend(at: string, limit: TimeLimit, settings: WorkflowSettings): string {
  return addLimit(new Date(at), limit, settings.calendar).toISOString();
}

const LEVEL: Record<DeadlineState, number> = { ok: 0, warning: 1, overdue: 2 };

/**
 * The deadline state after the deadline moved: never raised here (the monitor raises it and
 * announces it), only lowered when the new deadline or warning point lies ahead again, so the
 * monitor warns anew for the moved deadline.
 */
export function stateAfterMove(current: DeadlineState, warnAt: string | null, deadlineAt: string | null, now: Date): DeadlineState {
  const due = clockDeadlineState({ warnAt, deadlineAt }, now.getTime());
  return LEVEL[due] < LEVEL[current] ? due : current;
}
