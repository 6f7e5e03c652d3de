import { describe, expect, it } from 'vitest';
import { parseDay, toDay } from './date-field-value';

describe('plain days', () => {
  it('reads YYYY-MM-DD (single-digit month and day too) and writes it back padded', () => {
    expect(toDay(parseDay('2026-12-02')!)).toBe('2026-12-02');
    expect(toDay(parseDay(' 2026-3-7 ')!)).toBe('2026-03-07');
  });

  it('refuses what is not a calendar day', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '02/12/2026', '2026年12月2日', '', '2026-12']) expect(parseDay(bad), bad).toBeNull();
  });
});
