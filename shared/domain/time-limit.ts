import type { TimeLimit } from '../contracts/catalog.js';

const MINUTES_PER_UNIT: Record<TimeLimit['unit'], number> = {
  minutes: 1,
  // Until the working calendar exists (closed-loop issue), a working hour counts as an hour
  // and a working day as 24 hours: deadlines come out early, never late.
  work_hours: 60,
  work_days: 24 * 60,
  days: 24 * 60,
};

/** Minutes of plain time that a limit allows. */
export function limitMinutes(limit: TimeLimit): number {
  return limit.value * MINUTES_PER_UNIT[limit.unit];
}

/** The deadline of a step that starts at `from` and has `limit` to finish. */
export function deadlineFrom(from: Date, limit: TimeLimit): Date {
  return new Date(from.getTime() + limitMinutes(limit) * 60_000);
}
