import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/working-calendar.js';
import { calendarProblems, dayKind, listChanges, monthGrid, toggleDay } from './calendar-model';

describe('the working calendar as a month to click', () => {
  it('tells workdays, weekends, public holidays and 调休 workdays of 2026', () => {
    expect(dayKind('2026-10-08', DEFAULT_CALENDAR)).toBe('workday');
    expect(dayKind('2026-10-11', DEFAULT_CALENDAR)).toBe('weekend');
    expect(dayKind('2026-10-01', DEFAULT_CALENDAR)).toBe('holiday');
    expect(dayKind('2026-10-10', DEFAULT_CALENDAR)).toBe('adjusted_workday');
  });

  it('turns a weekday into a holiday, a weekend day into a 调休 workday, and back', () => {
    const cal = toggleDay(DEFAULT_CALENDAR, '2026-12-31');
    expect(dayKind('2026-12-31', cal)).toBe('holiday');
    expect(dayKind('2026-12-31', toggleDay(cal, '2026-12-31'))).toBe('workday');
    const sat = toggleDay(DEFAULT_CALENDAR, '2026-12-26');
    expect(dayKind('2026-12-26', sat)).toBe('adjusted_workday');
    expect(toggleDay(sat, '2026-12-26').workdays).toEqual(DEFAULT_CALENDAR.workdays);
  });

  it('lays a month out Monday first, with the neighbours’ days around it', () => {
    const weeks = monthGrid(2026, 12);
    expect(weeks[0]!.map((d) => d.day)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(weeks[0]![0]!.inMonth).toBe(false);
    expect(weeks.at(-1)!.some((d) => d.day === '2026-12-31')).toBe(true);
    expect(monthGrid(2026, 2).flat().filter((d) => d.inMonth)).toHaveLength(28);
  });

  it('names periods that end before they start or overlap, and a week without a working day', () => {
    expect(calendarProblems(DEFAULT_CALENDAR)).toEqual([]);
    expect(
      calendarProblems({
        ...DEFAULT_CALENDAR,
        periods: [
          { start: '08:30', end: '12:00' },
          { start: '11:00', end: '17:00' },
          { start: '18:00', end: '17:00' },
        ],
        weekendDays: [0, 1, 2, 3, 4, 5, 6],
      }),
    ).toEqual([
      { path: 'periods.1', code: 'period_overlap' },
      { path: 'periods.2', code: 'period_empty' },
      { path: 'weekendDays', code: 'no_working_day' },
    ]);
  });

  it('says which days a save adds and removes', () => {
    expect(listChanges(['2026-01-01', '2026-10-01'], ['2026-10-01', '2026-12-31'])).toEqual({ added: ['2026-12-31'], removed: ['2026-01-01'] });
  });
});
