import type { Shift } from '../../../../shared/contracts/settings.js';
import { recentShifts, shiftEndingNear } from '../../../../shared/domain/shifts.js';

/** One shift the lead can pick a briefing of. */
export interface ShiftChoice {
  /** `from|to`, the option's value. */
  key: string;
  from: string;
  to: string;
  name: string;
  nameEn: string;
  /** Running at `now`: its figures are still coming in. */
  running: boolean;
  /** The shift ending near `now`: the briefing to hand over (the default choice). */
  handover: boolean;
}

/** A week of the schedule's shifts, newest first: a week back is as far as a handover looks. */
export const SHIFT_CHOICES = 14;

/**
 * The shifts of the last week, the running one first, marking the one to hand over: the
 * running shift once more than half of it has passed, else the one that ended last (as the
 * server's default briefing).
 */
export function shiftChoices(shifts: readonly Shift[], now: Date, count = SHIFT_CHOICES): ShiftChoice[] {
  if (shifts.length === 0) return [];
  const handover = shiftEndingNear(shifts, now);
  return recentShifts(shifts, now, count).map((o, i) => {
    const from = o.startsAt.toISOString();
    const to = o.endsAt.toISOString();
    return { key: `${from}|${to}`, from, to, name: o.shift.name, nameEn: o.shift.nameEn, running: i === 0, handover: o.startsAt.getTime() === handover.startsAt.getTime() };
  });
}

/** `+3`, `−2`, `±0`: a count against the shift before. */
export function changeText(current: number, previous: number): string {
  const d = current - previous;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '±0';
}
