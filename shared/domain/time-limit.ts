import type { TimeLimit } from '../contracts/catalog.js';

/*
 * Superseded by ./working-calendar.ts (addLimit, fractionPoint), which counts working hours and
 * days on the working calendar. Kept only while the intake service and the demo seed still
 * import it; delete this file and its test once they have moved to addLimit.
 */

const MINUTES_PER_UNIT: Record<TimeLimit['unit'], number> = {
  minutes: 1,
  // Plain time: a working hour counts as an hour and a working day as 24 hours, so deadlines
  // come out early, never late. addLimit in ./working-calendar.ts is the real thing.
  work_hours: 60,
  work_days: 24 * 60,
  days: 24 * 60,
};

/**
 * Minutes of plain time that a limit allows.
 * @deprecated Use `addLimit` / `workingMinutesBetween` from ./working-calendar.ts.
 */
export function limitMinutes(limit: TimeLimit): number {
  return limit.value * MINUTES_PER_UNIT[limit.unit];
}

/**
 * The deadline of a step that starts at `from` and has `limit` to finish, in plain time.
 * @deprecated Use `addLimit(from, limit, calendar)` from ./working-calendar.ts.
 */
export function deadlineFrom(from: Date, limit: TimeLimit): Date {
  return new Date(from.getTime() + limitMinutes(limit) * 60_000);
}
