import { describe, expect, it } from 'vitest';
import { deadlineFrom, limitMinutes } from './time-limit.js';

describe('time limits', () => {
  it('converts each unit to plain minutes', () => {
    expect(limitMinutes({ value: 30, unit: 'minutes' })).toBe(30);
    expect(limitMinutes({ value: 4, unit: 'work_hours' })).toBe(240);
    expect(limitMinutes({ value: 2, unit: 'work_days' })).toBe(2880);
    expect(limitMinutes({ value: 1, unit: 'days' })).toBe(1440);
  });

  it('puts the deadline that far after the start', () => {
    expect(deadlineFrom(new Date('2026-11-26T01:00:00Z'), { value: 2, unit: 'work_hours' }).toISOString()).toBe('2026-11-26T03:00:00.000Z');
  });
});
