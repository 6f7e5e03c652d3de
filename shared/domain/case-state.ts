import { OPEN_STATUSES, TEAM_STATUSES, type DeadlineState, type EventRecord, type EventStatus } from '../contracts/events.js';

/*
 * Where a case stands, read off the case alone: open or finished, with a team or not, how far
 * along its current step's deadline. Pure (the caller passes `now`), so the console, the field
 * app and the server answer these questions the same way.
 */

const OPEN: ReadonlySet<EventStatus> = new Set(OPEN_STATUSES);
const WITH_TEAM: ReadonlySet<EventStatus> = new Set(TEAM_STATUSES);

/** Whether a case is still open: a step of the closed loop waits for someone's action. */
export function isOpen(event: Pick<EventRecord, 'status'>): boolean {
  return OPEN.has(event.status);
}

/**
 * Whether the dispatcher's queue lists a case: open, or not admitted (不予受理: finished, but
 * who receives it, and why, must be seen).
 */
export function isQueued(event: Pick<EventRecord, 'status'>): boolean {
  return isOpen(event) || event.status === 'not_admitted';
}

/** Whether the assigned team holds the case: dispatched (待签收), accepted (已签收) or in progress (处置中). */
export function isWithTeam(event: Pick<EventRecord, 'status'>): boolean {
  return WITH_TEAM.has(event.status);
}

/**
 * Share of a step's time after which it warns: the server's default `warnAtFraction` (the
 * setting may change it; each case's `warnAt` carries the one in force), and the guess for a
 * case that does not say when.
 */
export const WARN_AT_FRACTION = 0.8;

/** The facts of a case's current step that its deadline is read from. */
export type StepClockFacts = Pick<EventRecord, 'deadlineAt'> & Partial<Pick<EventRecord, 'reportedAt' | 'stepStartedAt' | 'warnAt' | 'deadlineState'>>;

const parse = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);
const LEVEL: Readonly<Record<DeadlineState, number>> = { ok: 0, warning: 1, overdue: 2 };

/**
 * Where the current step stands by the clock alone: `overdue` from its deadline on, `warning`
 * from its warning point (`warnAt`, on the working calendar; without one, from
 * `WARN_AT_FRACTION` of the step's span in plain time), else `ok`. A case without a deadline,
 * or whose span cannot be measured, is `ok`.
 */
export function clockDeadlineState(step: StepClockFacts, now: number): DeadlineState {
  const deadline = parse(step.deadlineAt);
  if (Number.isNaN(deadline)) return 'ok';
  if (deadline <= now) return 'overdue';
  const warnAt = parse(step.warnAt);
  if (!Number.isNaN(warnAt)) return now >= warnAt ? 'warning' : 'ok';
  const start = parse(step.stepStartedAt ?? step.reportedAt);
  const span = deadline - start;
  return Number.isFinite(span) && span > 0 && now >= start + span * WARN_AT_FRACTION ? 'warning' : 'ok';
}

/** Where a case stands against its step's deadline, with the time left or past it. */
export type DeadlineStanding =
  | { kind: 'none' }
  | { kind: 'ok'; remainingMs: number }
  | { kind: 'warning'; remainingMs: number }
  | { kind: 'overdue'; overdueMs: number };

/**
 * Where a case stands against the deadline of its current step, by the clock and by what the
 * server's deadline monitor said (`deadlineState`), whichever is further along: the clock moves
 * between pushes, and the monitor knows the working calendar. `none` without a deadline.
 */
export function deadlineStanding(event: StepClockFacts, now: number): DeadlineStanding {
  const deadline = parse(event.deadlineAt);
  if (Number.isNaN(deadline)) return { kind: 'none' };
  const byClock = clockDeadlineState(event, now);
  const byMonitor = event.deadlineState ?? 'ok';
  const state = LEVEL[byMonitor] > LEVEL[byClock] ? byMonitor : byClock;
  return state === 'overdue' ? { kind: 'overdue', overdueMs: Math.max(0, now - deadline) } : { kind: state, remainingMs: deadline - now };
}

/** Whether a case's current step is past its deadline, by the clock or by the server's monitor. */
export function isOverdue(event: Pick<EventRecord, 'deadlineAt'> & Partial<Pick<EventRecord, 'deadlineState'>>, now: number): boolean {
  const deadline = parse(event.deadlineAt);
  if (Number.isNaN(deadline)) return false;
  return deadline <= now || event.deadlineState === 'overdue';
}

/** Whole seconds to a deadline (negative once passed); null without one. */
export function secondsLeft(deadlineAt: string | null, now: number): number | null {
  const deadline = parse(deadlineAt);
  return Number.isNaN(deadline) ? null : Math.floor((deadline - now) / 1000);
}
