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

const DAY_MS = DAY_MINUTES * MINUTE_MS;

/** The shift before `occurrence`: the one running the instant before it began. */
export function previousShift(shifts: readonly Shift[], occurrence: ShiftOccurrence): ShiftOccurrence {
  return shiftAt(shifts, new Date(occurrence.startsAt.getTime() - 1));
}

/** The same shift seven days earlier (China keeps no summer time, so a week is always 7 × 24 h). */
export function sameShiftWeekBefore(shifts: readonly Shift[], occurrence: ShiftOccurrence): ShiftOccurrence {
  return shiftAt(shifts, new Date(occurrence.startsAt.getTime() - 7 * DAY_MS));
}

/**
 * The shift a briefing made at `now` is about (交班简报 of the shift being handed over): the
 * running shift once more than half of it has passed — its lead prepares the handover — else
 * the shift that ended last, whose briefing is read at the start of the next. Either way the
 * shift whose end is nearest to `now`.
 */
export function shiftEndingNear(shifts: readonly Shift[], now: Date): ShiftOccurrence {
  const running = shiftAt(shifts, now);
  const length = running.endsAt.getTime() - running.startsAt.getTime();
  return now.getTime() - running.startsAt.getTime() > length / 2 ? running : previousShift(shifts, running);
}

/** The shift that runs exactly over [from, to), or null when the period is not one shift of the schedule. */
export function shiftSpanning(shifts: readonly Shift[], from: Date, to: Date): ShiftOccurrence | null {
  if (shifts.length === 0 || !Number.isFinite(from.getTime())) return null;
  const occurrence = shiftAt(shifts, from);
  return occurrence.startsAt.getTime() === from.getTime() && occurrence.endsAt.getTime() === to.getTime() ? occurrence : null;
}

/**
 * The briefing's issue number (第 N 期), counted per calendar year (China time) as briefings are:
 * the shifts of each day in order of their start, numbered on from the year's first shift. Pure
 * arithmetic on the schedule, so a briefing printed twice carries the same number; a changed
 * schedule renumbers the rest of the year.
 */
export function shiftIssue(shifts: readonly Shift[], occurrence: ShiftOccurrence): { year: number; number: number } {
  const starts = [...new Set(shifts.map((s) => minutesOfDay(s.start)))].sort((a, b) => a - b);
  const local = occurrence.startsAt.getTime() + CST_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const year = new Date(day * DAY_MS).getUTCFullYear();
  const firstDay = Date.UTC(year, 0, 1) / DAY_MS;
  const rank = starts.indexOf(minutesOfDay(occurrence.shift.start));
  return { year, number: (day - firstDay) * starts.length + rank + 1 };
}

/** The shift running at `at` and the `count - 1` before it, newest first: a shift picker's choices. */
export function recentShifts(shifts: readonly Shift[], at: Date, count: number): ShiftOccurrence[] {
  const out: ShiftOccurrence[] = [];
  for (let occurrence = shiftAt(shifts, at); out.length < count; occurrence = previousShift(shifts, occurrence)) out.push(occurrence);
  return out;
}
