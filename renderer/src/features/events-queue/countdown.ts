import type { EventRecord } from '../../../../shared/contracts/events.js';

/**
 * Share of a step's time after which the countdown turns yellow when the server has not said
 * when (`warnAt`); the server's own setting (`warnAtFraction`, 0.8 by default) wins when it has.
 */
export const WARN_AT_FRACTION = 0.8;

export type DeadlineStanding =
  | { kind: 'none' }
  | { kind: 'ok'; remainingMs: number }
  | { kind: 'warning'; remainingMs: number }
  | { kind: 'overdue'; overdueMs: number };

type DeadlineFacts = Pick<EventRecord, 'reportedAt' | 'deadlineAt'> & Partial<Pick<EventRecord, 'stepStartedAt' | 'warnAt' | 'deadlineState'>>;

const parse = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/**
 * Where an event stands against the deadline of its current step, by the clock and by what the
 * server's deadline monitor said (`deadlineState`), whichever is further along: the clock moves
 * between pushes, and the monitor knows the working calendar. Yellow from `warnAt` (80 % of the
 * step's time on the working calendar), else from 80 % of the step's span in plain time.
 */
export function deadlineState(event: DeadlineFacts, now: number): DeadlineStanding {
  const deadline = parse(event.deadlineAt);
  if (Number.isNaN(deadline)) return { kind: 'none' };
  const remainingMs = deadline - now;
  if (remainingMs <= 0 || event.deadlineState === 'overdue') return { kind: 'overdue', overdueMs: Math.max(0, now - deadline) };
  if (event.deadlineState === 'warning') return { kind: 'warning', remainingMs };
  const warnAt = parse(event.warnAt);
  if (!Number.isNaN(warnAt)) return now >= warnAt ? { kind: 'warning', remainingMs } : { kind: 'ok', remainingMs };
  const start = parse(event.stepStartedAt ?? event.reportedAt);
  const span = deadline - start;
  if (Number.isFinite(span) && span > 0 && now >= start + span * WARN_AT_FRACTION) return { kind: 'warning', remainingMs };
  return { kind: 'ok', remainingMs };
}

/** Whether an event's current step is past its deadline, by the clock or by the server's monitor. */
export function isOverdue(event: Pick<EventRecord, 'deadlineAt'> & Partial<Pick<EventRecord, 'deadlineState'>>, now: number): boolean {
  const deadline = parse(event.deadlineAt);
  if (Number.isNaN(deadline)) return false;
  return deadline <= now || event.deadlineState === 'overdue';
}
