import { minutesOfDay, type Shift } from '../contracts/settings.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** CST is UTC+8 all year: shifts are read on the county's clock, whatever the machine's zone. */
const CST_OFFSET_MS = 8 * 60 * MINUTE_MS;

/** A shift as it runs on one day: when it began and when it ends (instants). */
export interface ShiftOccurrence {
  shift: Shift;
  /** Position of the shift in the schedule. */
  index: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The shift running at `at`, with its start and end: a night shift begun yesterday at 17:30 ends
 * today at 08:30. The schedule must keep its rules (`shiftProblems` empty): then exactly one shift
 * covers every minute. A single shift with start = end runs 24 hours.
 */
export function shiftAt(shifts: readonly Shift[], at: Date): ShiftOccurrence {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('shiftAt needs a valid instant');
  if (shifts.length === 0) throw new RangeError('shiftAt needs at least one shift');
  const local = ms + CST_OFFSET_MS;
  const midnight = Math.floor(local / (DAY_MINUTES * MINUTE_MS)) * DAY_MINUTES * MINUTE_MS;
  const minute = (local - midnight) / MINUTE_MS;
  for (const [index, shift] of shifts.entries()) {
    const start = minutesOfDay(shift.start);
    const length = (minutesOfDay(shift.end) - start + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES;
    // The shift began today at `start`, or yesterday when `at` is before today's start.
    const began = minute >= start ? start : start - DAY_MINUTES;
    if (minute < began + length) {
      const startsAt = midnight + began * MINUTE_MS - CST_OFFSET_MS;
      return { shift, index, startsAt: new Date(startsAt), endsAt: new Date(startsAt + length * MINUTE_MS) };
    }
  }
  throw new RangeError('the shifts leave this time uncovered; check them with shiftProblems');
}
