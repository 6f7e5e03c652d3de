import { describe, expect, it } from 'vitest';
import { shiftProblems, shiftScheduleSchema, type Shift } from '../contracts/settings.js';
import { previousShift, recentShifts, sameShiftWeekBefore, shiftAt, shiftEndingNear, shiftIssue, shiftSpanning } from './shifts.js';

const DAY: Shift = { name: '白班', nameEn: 'Day', start: '08:30', end: '17:30', lead: '李明' };
const NIGHT: Shift = { name: '夜班', nameEn: 'Night', start: '17:30', end: '08:30', lead: null };

describe('shiftProblems', () => {
  it('accepts shifts that follow one another around the clock, in any order', () => {
    expect(shiftProblems([NIGHT, DAY])).toEqual([]);
    expect(shiftProblems([DAY, { ...NIGHT, end: '00:00' }, { ...NIGHT, name: '后夜', start: '00:00' }])).toEqual([]);
    expect(shiftProblems([{ ...DAY, start: '08:00', end: '08:00' }])).toEqual([]);
  });

  it('names the shift that leaves a gap or overlaps the next', () => {
    // 17:30–18:00 belongs to nobody: the day shift must end where the night shift begins
    expect(shiftProblems([DAY, { ...NIGHT, start: '18:00' }])).toEqual([{ path: ['shifts', 0, 'end'], code: 'shift_not_contiguous' }]);
    expect(shiftProblems([DAY, { ...NIGHT, end: '09:00' }])).toEqual([{ path: ['shifts', 1, 'end'], code: 'shift_not_contiguous' }]);
  });

  it('refuses a repeated name and a shift of no length beside others', () => {
    expect(shiftProblems([DAY, { ...NIGHT, name: '白班' }])).toEqual([{ path: ['shifts', 1, 'name'], code: 'duplicate_name' }]);
    expect(shiftProblems([DAY, NIGHT, { ...DAY, name: '空', start: '12:00', end: '12:00' }]).map((p) => p.code)).toContain('empty_shift');
  });

  it('is what the contract checks, with the rule as the field code', () => {
    const result = shiftScheduleSchema.safeParse({ shifts: [DAY, { ...NIGHT, start: '18:00' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code])).toEqual([
      ['shifts.0.end', 'shift_not_contiguous'],
    ]);
  });
});

describe('shiftAt', () => {
  it('finds the day shift and its bounds on the county clock (UTC+8)', () => {
    const at = new Date('2026-12-03T10:00:00+08:00');
    const s = shiftAt([DAY, NIGHT], at);
    expect(s.shift.name).toBe('白班');
    expect(s.startsAt.toISOString()).toBe(new Date('2026-12-03T08:30:00+08:00').toISOString());
    expect(s.endsAt.toISOString()).toBe(new Date('2026-12-03T17:30:00+08:00').toISOString());
  });

  it('finds a night shift begun yesterday, and one begun tonight', () => {
    const early = shiftAt([DAY, NIGHT], new Date('2026-12-03T02:00:00+08:00'));
    expect(early.index).toBe(1);
    expect(early.startsAt.toISOString()).toBe(new Date('2026-12-02T17:30:00+08:00').toISOString());
    expect(early.endsAt.toISOString()).toBe(new Date('2026-12-03T08:30:00+08:00').toISOString());
    const late = shiftAt([DAY, NIGHT], new Date('2026-12-03T17:30:00+08:00'));
    expect(late.index).toBe(1);
    expect(late.endsAt.toISOString()).toBe(new Date('2026-12-04T08:30:00+08:00').toISOString());
  });

  it('runs a single shift with start = end for 24 hours', () => {
    const s = shiftAt([{ ...DAY, start: '08:00', end: '08:00' }], new Date('2026-12-03T07:59:00+08:00'));
    expect(s.startsAt.toISOString()).toBe(new Date('2026-12-02T08:00:00+08:00').toISOString());
    expect(s.endsAt.toISOString()).toBe(new Date('2026-12-03T08:00:00+08:00').toISOString());
  });
});

describe('shiftEndingNear', () => {
  const at = (iso: string) => shiftEndingNear([DAY, NIGHT], new Date(iso));
  const bounds = (o: { startsAt: Date; endsAt: Date }) => [o.startsAt.toISOString(), o.endsAt.toISOString()];
  const cst = (iso: string) => new Date(`${iso}+08:00`).toISOString();

  it('is the running shift once more than half of it has passed', () => {
    expect(bounds(at('2026-12-03T16:00:00+08:00'))).toEqual([cst('2026-12-03T08:30:00'), cst('2026-12-03T17:30:00')]);
  });

  it('is the shift that just ended early in the next one', () => {
    expect(bounds(at('2026-12-03T09:00:00+08:00'))).toEqual([cst('2026-12-02T17:30:00'), cst('2026-12-03T08:30:00')]);
    // exactly half way is not more than half: still the shift before
    expect(bounds(at('2026-12-03T13:00:00+08:00'))).toEqual([cst('2026-12-02T17:30:00'), cst('2026-12-03T08:30:00')]);
  });

  it('reads a China night on the county clock: after midnight CST (still the day before in UTC)', () => {
    // 00:30 CST on 3 December is 16:30 UTC on 2 December: 7 h into a 15 h night, so the day shift before it
    expect(bounds(at('2026-12-02T16:30:00Z'))).toEqual([cst('2026-12-02T08:30:00'), cst('2026-12-02T17:30:00')]);
    // 02:00 CST: 8.5 h into the night, past half of it: the night shift begun the evening before
    const night = at('2026-12-02T18:00:00Z');
    expect(night.shift.name).toBe('夜班');
    expect(bounds(night)).toEqual([cst('2026-12-02T17:30:00'), cst('2026-12-03T08:30:00')]);
  });

  it('with one 24-hour shift, is yesterday\'s until noon of the shift', () => {
    const single = [{ ...DAY, start: '08:00', end: '08:00' }];
    expect(bounds(shiftEndingNear(single, new Date('2026-12-03T19:00:00+08:00')))).toEqual([cst('2026-12-02T08:00:00'), cst('2026-12-03T08:00:00')]);
    expect(bounds(shiftEndingNear(single, new Date('2026-12-03T21:00:00+08:00')))).toEqual([cst('2026-12-03T08:00:00'), cst('2026-12-04T08:00:00')]);
  });
});

describe('the shifts around one', () => {
  const night = shiftAt([DAY, NIGHT], new Date('2026-12-03T02:00:00+08:00'));

  it('finds the previous shift and the same shift a week before', () => {
    const prev = previousShift([DAY, NIGHT], night);
    expect([prev.shift.name, prev.startsAt.toISOString()]).toEqual(['白班', new Date('2026-12-02T08:30:00+08:00').toISOString()]);
    const week = sameShiftWeekBefore([DAY, NIGHT], night);
    expect([week.shift.name, week.startsAt.toISOString(), week.endsAt.toISOString()]).toEqual([
      '夜班',
      new Date('2026-11-25T17:30:00+08:00').toISOString(),
      new Date('2026-11-26T08:30:00+08:00').toISOString(),
    ]);
  });

  it('knows a period that is exactly one shift, and one that is not', () => {
    expect(shiftSpanning([DAY, NIGHT], night.startsAt, night.endsAt)?.shift.name).toBe('夜班');
    expect(shiftSpanning([DAY, NIGHT], night.startsAt, new Date(night.endsAt.getTime() + 60_000))).toBeNull();
    expect(shiftSpanning([DAY, NIGHT], new Date('2026-12-02T16:00:00Z'), new Date('2026-12-03T16:00:00Z'))).toBeNull();
  });

  it('numbers the shifts of a year in order (第 N 期), from the first of January China time', () => {
    const first = shiftAt([DAY, NIGHT], new Date('2027-01-01T09:00:00+08:00'));
    expect(shiftIssue([DAY, NIGHT], first)).toEqual({ year: 2027, number: 1 });
    expect(shiftIssue([DAY, NIGHT], previousShift([DAY, NIGHT], first))).toEqual({ year: 2026, number: 730 });
    // the night begun on 2 December: day 336 of 2026 (0-based), second shift of the day
    expect(shiftIssue([NIGHT, DAY], night)).toEqual({ year: 2026, number: 335 * 2 + 2 });
    expect(shiftIssue([DAY, NIGHT], previousShift([DAY, NIGHT], night))).toEqual({ year: 2026, number: 335 * 2 + 1 });
  });

  it('lists the recent shifts newest first', () => {
    const list = recentShifts([DAY, NIGHT], new Date('2026-12-03T02:00:00+08:00'), 3);
    expect(list.map((o) => [o.shift.name, o.startsAt.toISOString()])).toEqual([
      ['夜班', new Date('2026-12-02T17:30:00+08:00').toISOString()],
      ['白班', new Date('2026-12-02T08:30:00+08:00').toISOString()],
      ['夜班', new Date('2026-12-01T17:30:00+08:00').toISOString()],
    ]);
  });
});
