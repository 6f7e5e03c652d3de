import { describe, expect, it } from 'vitest';
import { countyDayStart, formatClock, formatDateTime, formatDuration, formatWhen } from './time-format';

describe('county time', () => {
  it('starts the day at midnight China Standard Time', () => {
    // 2024-05-01 23:30 UTC is 2024-05-02 07:30 in the county
    const now = Date.parse('2024-05-01T23:30:00Z');
    expect(new Date(countyDayStart(now)).toISOString()).toBe('2024-05-01T16:00:00.000Z');
  });

  it('formats clocks and date-times in county time', () => {
    expect(formatClock(Date.parse('2024-05-01T23:30:05Z'))).toBe('07:30:05');
    expect(formatDateTime('2024-05-01T23:30:05Z')).toBe('2024-05-02 07:30:05');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('formatDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  it.each([
    [45 * s, '45秒', '45s'],
    [12 * m + 59 * s, '12分', '12m'],
    [h + 5 * m, '1时05分', '1h 05m'],
    [2 * 24 * h + 3 * h + 59 * m, '2天3时', '2d 3h'],
    [-(3 * m), '3分', '3m'],
  ])('%i ms → %s / %s', (ms, zh, en) => {
    expect(formatDuration(ms, 'zh-CN')).toBe(zh);
    expect(formatDuration(ms, 'en')).toBe(en);
  });
});

describe('formatWhen', () => {
  const now = Date.parse('2024-05-02T02:00:00Z'); // 10:00 on 2 May in the county
  it('drops the date for today, the year for this year, in county time', () => {
    expect(formatWhen('2024-05-01T16:05:00Z', now)).toBe('00:05');
    expect(formatWhen('2024-05-01T15:59:00Z', now)).toBe('05-01 23:59');
    expect(formatWhen('2023-12-31T15:00:00Z', now)).toBe('2023-12-31 23:00');
    expect(formatWhen(null, now)).toBe('—');
  });
});
