import type { EventRecord } from '../../../../shared/contracts/events.js';

/** The countdown turns yellow when less than this share of the step's time is left. */
export const WARNING_SHARE = 0.2;

export type DeadlineState =
  | { kind: 'none' }
  | { kind: 'ok'; remainingMs: number }
  | { kind: 'warning'; remainingMs: number }
  | { kind: 'overdue'; overdueMs: number };

/**
 * Where an event stands against the deadline of its current step. The step's start is not in
 * the record, so the span runs from `reportedAt`: an approximation that warns early, never late.
 */
export function deadlineState(event: Pick<EventRecord, 'reportedAt' | 'deadlineAt'>, now: number): DeadlineState {
  if (!event.deadlineAt) return { kind: 'none' };
  const deadline = Date.parse(event.deadlineAt);
  if (Number.isNaN(deadline)) return { kind: 'none' };
  const remainingMs = deadline - now;
  if (remainingMs <= 0) return { kind: 'overdue', overdueMs: now - deadline };
  const start = Date.parse(event.reportedAt);
  const span = deadline - start;
  if (Number.isFinite(span) && span > 0 && remainingMs < span * WARNING_SHARE) return { kind: 'warning', remainingMs };
  return { kind: 'ok', remainingMs };
}

/** Whether an open event's current step is past its deadline. */
export function isOverdue(event: Pick<EventRecord, 'deadlineAt'>, now: number): boolean {
  if (!event.deadlineAt) return false;
  const deadline = Date.parse(event.deadlineAt);
  return !Number.isNaN(deadline) && deadline <= now;
}
