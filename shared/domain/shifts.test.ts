import { describe, expect, it } from 'vitest';
import { shiftProblems, shiftScheduleSchema, type Shift } from '../contracts/settings.js';
import { shiftAt } from './shifts.js';

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
