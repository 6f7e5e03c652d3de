import { describe, expect, it } from 'vitest';
import { eventListQuerySchema } from './events.js';
import { dayStartOf, periodEnd, periodIsEmpty, periodStart } from './period.js';

describe('periods in URLs', () => {
  it('reads plain days as China calendar days, a day as the end meaning its end', () => {
    expect(periodStart('2026-11-01').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(periodEnd('2026-11-01').toISOString()).toBe('2026-11-01T16:00:00.000Z');
    expect(periodStart('2026-11-01T08:30:00+08:00').toISOString()).toBe('2026-11-01T00:30:00.000Z');
    expect(periodEnd('2026-11-01T08:30:00+08:00').toISOString()).toBe('2026-11-01T00:30:00.000Z');
  });

  it('is empty only when both ends are given and the end is not after the start', () => {
    expect(periodIsEmpty({ from: '2026-11-01', to: '2026-11-01' })).toBe(false);
    expect(periodIsEmpty({ from: '2026-11-02', to: '2026-11-01' })).toBe(true);
    expect(periodIsEmpty({ from: '2026-11-01T08:00:00+08:00', to: '2026-11-01T08:00:00+08:00' })).toBe(true);
    expect(periodIsEmpty({ from: '2026-11-01' })).toBe(false);
    expect(periodIsEmpty({})).toBe(false);
  });

  it('lets the event list take them with item and team filters, and refuses what is not a day', () => {
    const ok = eventListQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-03T00:00:00Z', item: 'D30', team: 'TM0005' });
    expect(ok.success).toBe(true);
    for (const bad of [{ from: '2026-13-01' }, { to: 'yesterday' }, { item: 'D 30' }, { team: 'T5' }]) {
      expect(eventListQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('finds the China calendar day of an instant, also in the night when UTC is still on the day before', () => {
    expect(dayStartOf(new Date('2026-12-01T17:30:00Z')).toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(dayStartOf(new Date('2026-12-01T15:59:59Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});
