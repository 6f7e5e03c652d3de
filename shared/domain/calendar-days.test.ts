import { describe, expect, it } from 'vitest';
import { addDays, addYears, chinaDayOf, daysBetween, justBefore, trendBuckets, weekdayOf, weekStart } from './calendar-days.js';

describe('calendar days', () => {
  it('reads an instant on the China calendar, whatever the UTC date', () => {
    expect(chinaDayOf(new Date('2027-12-31T16:30:00Z'))).toBe('2028-01-01');
    expect(chinaDayOf(new Date('2027-12-31T15:59:59.999Z'))).toBe('2027-12-31');
  });

  it('adds days, years and finds weeks across month and year ends', () => {
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2027-12-30', '2028-01-02')).toBe(3);
    expect(addYears('2028-02-29', -1)).toBe('2027-02-28');
    expect(addYears('2028-01-02', -1)).toBe('2027-01-02');
    expect(weekStart('2028-01-02')).toBe('2027-12-27'); // a Sunday: its week began on Monday
    expect(weekdayOf('2027-12-27')).toBe(0);
    expect(weekdayOf('2028-01-02')).toBe(6);
    expect(justBefore({ from: '2028-01-01', to: '2028-01-03' })).toEqual({ from: '2027-12-29', to: '2027-12-31' });
  });
});

describe('trendBuckets', () => {
  it('cuts a period into days, each compared with the day before and the same day a year before', () => {
    const days = trendBuckets({ from: '2027-12-31', to: '2028-01-01' }, 'day');
    expect(days).toEqual([
      { from: '2027-12-31', to: '2027-12-31', partial: false, yoy: { from: '2026-12-31', to: '2026-12-31' }, pop: { from: '2027-12-30', to: '2027-12-30' } },
      { from: '2028-01-01', to: '2028-01-01', partial: false, yoy: { from: '2027-01-01', to: '2027-01-01' }, pop: { from: '2027-12-31', to: '2027-12-31' } },
    ]);
  });

  it('cuts weeks (Monday to Sunday) at the period ends; a cut week compares with as many days before it', () => {
    const weeks = trendBuckets({ from: '2027-12-30', to: '2028-01-12' }, 'week');
    expect(weeks.map((w) => [w.from, w.to, w.partial, w.pop.from, w.pop.to])).toEqual([
      ['2027-12-30', '2028-01-02', true, '2027-12-26', '2027-12-29'],
      ['2028-01-03', '2028-01-09', false, '2027-12-27', '2028-01-02'],
      ['2028-01-10', '2028-01-12', true, '2028-01-07', '2028-01-09'],
    ]);
  });

  it('uses calendar months; a whole month compares with the whole month before', () => {
    const months = trendBuckets({ from: '2027-12-15', to: '2028-03-31' }, 'month');
    expect(months.map((m) => [m.from, m.to, m.partial, m.pop.from, m.pop.to, m.yoy.from, m.yoy.to])).toEqual([
      ['2027-12-15', '2027-12-31', true, '2027-11-28', '2027-12-14', '2026-12-15', '2026-12-31'],
      ['2028-01-01', '2028-01-31', false, '2027-12-01', '2027-12-31', '2027-01-01', '2027-01-31'],
      ['2028-02-01', '2028-02-29', false, '2028-01-01', '2028-01-31', '2027-02-01', '2027-02-28'],
      ['2028-03-01', '2028-03-31', false, '2028-02-01', '2028-02-29', '2027-03-01', '2027-03-31'],
    ]);
  });
});
