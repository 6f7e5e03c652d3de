import { describe, expect, it } from 'vitest';
import type { TimeLimit } from '../contracts/catalog.js';
import type { WorkingCalendar } from '../contracts/workflow.js';
import { workingCalendarSchema } from '../contracts/workflow.js';
import { addLimit, assertValidCalendar, cstDay, DEFAULT_CALENDAR, fractionPoint, isWorkingDay, workingMinutesBetween } from './working-calendar.js';

// Times are written and read in CST with an explicit offset, so the results do not depend on
// the machine's zone (run these with TZ=UTC and TZ=America/New_York too).
const cst = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const show = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const due = (from: string, limit: TimeLimit, cal: WorkingCalendar = DEFAULT_CALENDAR): string => show(addLimit(cst(from), limit, cal));

const wh = (value: number): TimeLimit => ({ value, unit: 'work_hours' });
const wd = (value: number): TimeLimit => ({ value, unit: 'work_days' });

/** Weekdays 08:30–12:00 and 13:30–17:30, no holidays: the plain weekly rhythm. */
const PLAIN: WorkingCalendar = { ...DEFAULT_CALENDAR, holidays: [], workdays: [] };

describe('DEFAULT_CALENDAR', () => {
  it('passes its own schema and checks', () => {
    expect(workingCalendarSchema.safeParse(DEFAULT_CALENDAR).success).toBe(true);
    expect(() => assertValidCalendar(DEFAULT_CALENDAR)).not.toThrow();
  });

  it('holds the 2026 holidays and 调休 workdays of the State Council notice', () => {
    // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off
    expect(DEFAULT_CALENDAR.holidays).toHaveLength(33);
    expect(DEFAULT_CALENDAR.holidays).toContain('2026-02-15');
    expect(DEFAULT_CALENDAR.holidays).toContain('2026-02-23');
    expect(DEFAULT_CALENDAR.holidays).not.toContain('2026-02-24');
    expect(DEFAULT_CALENDAR.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-23', true], // Monday
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-10-01', false], // 国庆 Thursday
    ['2026-10-07', false], // 国庆 Wednesday
    ['2026-10-08', true],
    ['2026-10-10', true], // 调休 Saturday
    ['2026-09-20', true], // 调休 Sunday
    ['2026-01-04', true], // 调休 Sunday
    ['2026-05-05', false], // 劳动节 Tuesday
    ['2026-05-09', true], // 调休 Saturday
  ])('%s → %s', (day, working) => {
    expect(isWorkingDay(day, DEFAULT_CALENDAR)).toBe(working);
  });

  it('refuses a malformed or impossible day', () => {
    expect(() => isWorkingDay('2026-2-3', DEFAULT_CALENDAR)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30', DEFAULT_CALENDAR)).toThrow(/no such day/);
  });
});

describe('addLimit with working hours', () => {
  it('stays inside one period', () => {
    expect(due('2026-11-24 09:00', wh(2))).toBe('2026-11-24 11:00');
  });

  it('skips the lunch break', () => {
    expect(due('2026-11-24 11:00', wh(2))).toBe('2026-11-24 14:30');
  });

  it('ends on the period end when it uses the period up exactly', () => {
    expect(due('2026-11-24 10:00', wh(2))).toBe('2026-11-24 12:00');
    expect(due('2026-11-24 16:30', wh(1))).toBe('2026-11-24 17:30');
  });

  it('carries over the night', () => {
    expect(due('2026-11-24 16:30', wh(4.5))).toBe('2026-11-25 12:00');
    expect(due('2026-11-24 16:30', wh(5))).toBe('2026-11-25 14:00');
  });

  it('starts at the next period when reported outside working time', () => {
    expect(due('2026-11-24 06:00', wh(1))).toBe('2026-11-24 09:30');
    expect(due('2026-11-24 12:40', wh(1))).toBe('2026-11-24 14:30');
    expect(due('2026-11-24 22:15', wh(1))).toBe('2026-11-25 09:30');
  });

  it('skips a weekend', () => {
    expect(due('2026-11-27 17:00', wh(2))).toBe('2026-11-30 10:00'); // Friday → Monday
    expect(due('2026-11-28 10:00', wh(2))).toBe('2026-11-30 10:30'); // Saturday → Monday
  });

  it('allows fractions of an hour', () => {
    expect(due('2026-11-24 11:50', wh(0.5))).toBe('2026-11-24 13:50');
    expect(addLimit(cst('2026-11-24 09:00'), wh(0.01), DEFAULT_CALENDAR).toISOString()).toBe('2026-11-24T01:00:36.000Z');
  });

  it('counts minutes from the exact instant, seconds included', () => {
    expect(addLimit(new Date('2026-11-24T09:59:30+08:00'), wh(1), DEFAULT_CALENDAR).toISOString()).toBe('2026-11-24T02:59:30.000Z');
  });
});

describe('addLimit with working days', () => {
  it('Friday 16:00 + 1 working day is Monday 16:00', () => {
    expect(due('2026-11-27 16:00', wd(1))).toBe('2026-11-30 16:00');
  });

  it('Saturday 10:00 + 1 working day is the end of Monday', () => {
    expect(due('2026-11-28 10:00', wd(1))).toBe('2026-11-30 17:30');
  });

  it('counts a standard working day (7.5 h) of working time', () => {
    expect(due('2026-11-24 08:30', wd(1))).toBe('2026-11-24 17:30');
    expect(due('2026-11-24 09:00', wd(1))).toBe('2026-11-25 09:00');
    expect(due('2026-11-24 09:00', wd(0.5))).toBe('2026-11-24 14:15');
    expect(due('2026-11-23 10:00', wd(15))).toBe('2026-12-14 10:00'); // illegal construction: 3 weeks
  });

  it('skips the National Day holiday, and the 调休 Saturday counts', () => {
    // Wednesday 16:00: 1.5 h that day, then 1–7 October off.
    expect(due('2026-09-30 16:00', wd(1))).toBe('2026-10-08 16:00');
    expect(due('2026-09-30 16:00', wd(2))).toBe('2026-10-09 16:00');
    expect(due('2026-09-30 16:00', wd(3))).toBe('2026-10-10 16:00'); // Saturday, worked
    expect(due('2026-09-30 16:00', wd(4))).toBe('2026-10-12 16:00'); // Sunday off
    // Without the holidays the same limit ends a week earlier.
    expect(due('2026-09-30 16:00', wd(2), PLAIN)).toBe('2026-10-02 16:00');
  });

  it('works on the 调休 Sunday before National Day', () => {
    expect(due('2026-09-19 10:00', wh(1))).toBe('2026-09-20 09:30');
    expect(due('2026-09-19 10:00', wh(1), PLAIN)).toBe('2026-09-21 09:30');
  });

  it('skips the Spring Festival (nine days) and works the Saturday before it', () => {
    expect(due('2026-02-13 17:00', wh(1))).toBe('2026-02-14 09:00');
    expect(due('2026-02-14 17:00', wh(1))).toBe('2026-02-24 09:00');
  });
});

describe('addLimit with plain units', () => {
  it('ignores the calendar for minutes and days', () => {
    expect(due('2026-10-01 23:50', { value: 30, unit: 'minutes' })).toBe('2026-10-02 00:20');
    expect(due('2026-11-28 10:00', { value: 1, unit: 'days' })).toBe('2026-11-29 10:00');
    expect(due('2026-09-30 16:00', { value: 2.5, unit: 'days' })).toBe('2026-10-03 04:00');
  });

  it('needs no working day at all', () => {
    const never: WorkingCalendar = { ...PLAIN, weekendDays: [0, 1, 2, 3, 4, 5, 6] };
    expect(due('2026-11-24 09:00', { value: 10, unit: 'minutes' }, never)).toBe('2026-11-24 09:10');
  });
});

describe('fractionPoint', () => {
  it('is 80 % of the limit in its own units', () => {
    expect(show(fractionPoint(cst('2026-11-24 09:00'), wh(5), 0.8, DEFAULT_CALENDAR))).toBe('2026-11-24 14:30');
    // 80 % of one working day is 6 working hours
    expect(show(fractionPoint(cst('2026-11-27 16:00'), wd(1), 0.8, DEFAULT_CALENDAR))).toBe('2026-11-30 14:30');
    expect(show(fractionPoint(cst('2026-11-24 09:00'), { value: 60, unit: 'minutes' }, 0.8, DEFAULT_CALENDAR))).toBe('2026-11-24 09:48');
    expect(show(fractionPoint(cst('2026-11-24 09:00'), { value: 1, unit: 'days' }, 0.5, DEFAULT_CALENDAR))).toBe('2026-11-24 21:00');
  });

  it('is the deadline at 1 and the start at 0', () => {
    const from = cst('2026-09-30 16:00');
    expect(fractionPoint(from, wd(2), 1, DEFAULT_CALENDAR)).toEqual(addLimit(from, wd(2), DEFAULT_CALENDAR));
    expect(fractionPoint(from, wd(2), 0, DEFAULT_CALENDAR)).toEqual(from);
  });

  it('refuses a negative or non-finite fraction', () => {
    expect(() => fractionPoint(cst('2026-11-24 09:00'), wh(1), -0.1, DEFAULT_CALENDAR)).toThrow(RangeError);
    expect(() => fractionPoint(cst('2026-11-24 09:00'), wh(1), Number.NaN, DEFAULT_CALENDAR)).toThrow(RangeError);
  });
});

describe('workingMinutesBetween', () => {
  it('counts only working time', () => {
    expect(workingMinutesBetween(cst('2026-11-24 11:00'), cst('2026-11-24 14:30'), DEFAULT_CALENDAR)).toBe(120);
    expect(workingMinutesBetween(cst('2026-11-27 16:00'), cst('2026-11-30 16:00'), DEFAULT_CALENDAR)).toBe(450);
    expect(workingMinutesBetween(cst('2026-09-30 16:00'), cst('2026-10-09 16:00'), DEFAULT_CALENDAR)).toBe(900);
    expect(workingMinutesBetween(cst('2026-11-24 14:30'), cst('2026-11-24 11:00'), DEFAULT_CALENDAR)).toBe(-120);
    expect(workingMinutesBetween(cst('2026-11-28 09:00'), cst('2026-11-29 17:00'), DEFAULT_CALENDAR)).toBe(0);
  });

  it('is the inverse of addLimit', () => {
    for (const [from, limit] of [
      ['2026-09-30 16:00', wd(3)],
      ['2026-02-13 11:11', wh(13.25)],
      ['2026-12-31 20:00', wd(2)],
    ] as const) {
      const start = cst(from);
      expect(workingMinutesBetween(start, addLimit(start, limit, DEFAULT_CALENDAR), DEFAULT_CALENDAR)).toBeCloseTo(limit.unit === 'work_days' ? limit.value * 450 : limit.value * 60, 6);
    }
  });
});

describe('time zone independence', () => {
  it('reads CST days from instants, not the machine zone', () => {
    expect(cstDay(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01'); // 00:30 CST
    expect(cstDay(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
  });

  it('gives the same deadline for the same instant written in another zone', () => {
    const a = addLimit(new Date('2026-09-30T08:00:00Z'), wd(2), DEFAULT_CALENDAR);
    const b = addLimit(new Date('2026-09-30T04:00:00-04:00'), wd(2), DEFAULT_CALENDAR);
    expect(a.toISOString()).toBe('2026-10-09T08:00:00.000Z');
    expect(b).toEqual(a);
  });
});

describe('calendar checks', () => {
  const bad = (patch: Partial<WorkingCalendar>): (() => void) => () => assertValidCalendar({ ...PLAIN, ...patch });

  it('accepts touching periods', () => {
    const cal: WorkingCalendar = { ...PLAIN, periods: [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '16:00' }] };
    expect(() => assertValidCalendar(cal)).not.toThrow();
    expect(due('2026-11-24 11:00', wh(2), cal)).toBe('2026-11-24 13:00');
  });

  it('refuses unsorted, overlapping, empty or inverted periods', () => {
    expect(bad({ periods: [{ start: '13:30', end: '17:30' }, { start: '08:30', end: '12:00' }] })).toThrow(/sorted and not overlap/);
    expect(bad({ periods: [{ start: '08:30', end: '12:00' }, { start: '11:30', end: '17:30' }] })).toThrow(/sorted and not overlap/);
    expect(bad({ periods: [] })).toThrow(/at least one working period/);
    expect(bad({ periods: [{ start: '12:00', end: '08:30' }] })).toThrow(/ends \(08:30\) before it starts/);
    expect(bad({ periods: [{ start: '09:00', end: '09:00' }] })).toThrow(/before it starts/);
    expect(bad({ periods: [{ start: '9:00', end: '12:00' }] })).toThrow(/HH:MM/);
  });

  it('refuses bad weekdays and days', () => {
    expect(bad({ weekendDays: [7] })).toThrow(/weekendDays/);
    expect(bad({ holidays: ['2026-13-01'] })).toThrow(/holidays: no such day/);
    expect(bad({ workdays: ['tomorrow'] })).toThrow(/workdays: not a yyyy-mm-dd day/);
    expect(bad({ holidays: ['2026-10-10'], workdays: ['2026-10-10'] })).toThrow(/both a holiday and a workday/);
  });

  it('stops instead of looping when no day is ever worked', () => {
    const never: WorkingCalendar = { ...PLAIN, weekendDays: [0, 1, 2, 3, 4, 5, 6] };
    expect(() => addLimit(cst('2026-11-24 09:00'), wh(1), never)).toThrow(/no working day within/);
    expect(() => fractionPoint(cst('2026-11-24 09:00'), wd(1), 0.8, never)).toThrow(/no working day within/);
  });

  it('still reaches a working day after a long run of holidays', () => {
    const start = 20_000; // 2024-10-04
    const off = Array.from({ length: 400 }, (_, i) => new Date((start + i) * 86_400_000).toISOString().slice(0, 10));
    const cal: WorkingCalendar = { ...PLAIN, holidays: off };
    expect(due(`${off[0]} 09:00`, wh(1), cal)).toBe('2025-11-10 09:30');
  });

  it('refuses an invalid start instant', () => {
    expect(() => addLimit(new Date(Number.NaN), wh(1), DEFAULT_CALENDAR)).toThrow(RangeError);
  });
});
