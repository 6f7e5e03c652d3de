import type { WorkingCalendar } from '../../../../shared/contracts/workflow.js';
import { minutesOfDay } from '../../../../shared/contracts/settings.js';

/** What a day is on the working calendar, as the month view shows it. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** 0 = Sunday … 6 = Saturday, of a `yyyy-mm-dd` day (a calendar date: no time zone involved). */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** A listed holiday is off, a listed 调休 workday is worked, otherwise the weekend days are off. */
export function dayKind(day: string, cal: WorkingCalendar): DayKind {
  if (cal.holidays.includes(day)) return 'holiday';
  if (cal.workdays.includes(day)) return 'adjusted_workday';
  return cal.weekendDays.includes(weekdayOf(day)) ? 'weekend' : 'workday';
}

/**
 * One click on a day: a listed holiday or 调休 workday goes back to what its weekday is; a
 * weekday becomes a public holiday; a weekend day becomes a 调休 workday.
 */
export function toggleDay(cal: WorkingCalendar, day: string): WorkingCalendar {
  const sorted = (days: string[]) => [...days].sort();
  switch (dayKind(day, cal)) {
    case 'holiday':
      return { ...cal, holidays: cal.holidays.filter((d) => d !== day) };
    case 'adjusted_workday':
      return { ...cal, workdays: cal.workdays.filter((d) => d !== day) };
    case 'weekend':
      return { ...cal, workdays: sorted([...cal.workdays, day]) };
    case 'workday':
      return { ...cal, holidays: sorted([...cal.holidays, day]) };
  }
}

/** The weeks of a month, Monday first, padded with the neighbouring months' days. */
export function monthGrid(year: number, month: number): Array<Array<{ day: string; inMonth: boolean }>> {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (first.getUTCDay() + 6) % 7;
  const start = Date.UTC(year, month - 1, 1 - offset);
  const weeks: Array<Array<{ day: string; inMonth: boolean }>> = [];
  for (let w = 0; w < 6; w++) {
    const week = [];
    for (let d = 0; d < 7; d++) {
      const at = new Date(start + (w * 7 + d) * 86_400_000);
      week.push({ day: isoDay(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()), inMonth: at.getUTCMonth() === month - 1 });
    }
    if (w >= 4 && !week.some((x) => x.inMonth)) break;
    weeks.push(week);
  }
  return weeks;
}

export type CalendarProblemCode = 'period_empty' | 'period_overlap' | 'no_working_day';

/**
 * What the server's deadline arithmetic would refuse, per field: a period that ends before it
 * starts, periods out of order or overlapping, a week with no working day.
 */
export function calendarProblems(cal: WorkingCalendar): Array<{ path: string; code: CalendarProblemCode }> {
  const problems: Array<{ path: string; code: CalendarProblemCode }> = [];
  cal.periods.forEach((p, i) => {
    const start = minutesOfDay(p.start);
    const end = minutesOfDay(p.end);
    if (end <= start) problems.push({ path: `periods.${i}`, code: 'period_empty' });
    else if (i > 0 && start < minutesOfDay(cal.periods[i - 1]!.end)) problems.push({ path: `periods.${i}`, code: 'period_overlap' });
  });
  if (new Set(cal.weekendDays).size >= 7) problems.push({ path: 'weekendDays', code: 'no_working_day' });
  return problems;
}

/** Days added to and removed from a list, for the confirmation of a save. */
export function listChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const was = new Set(before);
  const is = new Set(after);
  return { added: after.filter((d) => !was.has(d)), removed: before.filter((d) => !is.has(d)) };
}
