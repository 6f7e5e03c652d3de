import { describe, expect, it } from 'vitest';
import { EVENT_ID_PATTERN, MAX_EVENTS_PER_DAY, eventIntakeSchema, eventListQuerySchema, formatEventId } from './events.js';

const good = {
  itemCode: 'D30',
  description: '东门垃圾桶满溢',
  location: { lon: 119.95, lat: 29.15 },
  source: 'hotline_12345',
  urgency: 'P2',
  reporter: { name: '王建国', phone: '13905710001' },
};

describe('eventIntakeSchema', () => {
  it('accepts a point or a unified address as the location', () => {
    expect(eventIntakeSchema.safeParse(good).success).toBe(true);
    expect(eventIntakeSchema.safeParse({ ...good, location: { addressCode: '3308991002010010010001' } }).success).toBe(true);
  });

  it('accepts an anonymous reporter and a number the channel masked, not a half-masked one', () => {
    expect(eventIntakeSchema.safeParse({ ...good, reporter: { name: '匿名' } }).success).toBe(true);
    expect(eventIntakeSchema.safeParse({ ...good, reporter: { name: '12345来电人', phone: '138****1234' } }).success).toBe(true);
    expect(eventIntakeSchema.safeParse({ ...good, reporter: { name: '王', phone: '138**1234' } }).success).toBe(false);
  });

  it('accepts mobile and landline phones, with or without +86', () => {
    for (const phone of ['13905710001', '+86 13905710001', '0571-87654321', '057187654321']) {
      expect(eventIntakeSchema.safeParse({ ...good, reporter: { name: '王', phone } }).success, phone).toBe(true);
    }
  });

  it.each([
    ['a location with both shapes mixed', { ...good, location: { lon: 1, lat: 2, addressCode: '3308991002010010010001' } }],
    ['a non-finite longitude', { ...good, location: { lon: Number.NaN, lat: 29 } }],
    ['a short phone', { ...good, reporter: { name: '王', phone: '1390571' } }],
    ['a whitespace-only description', { ...good, description: ' \n ' }],
    ['an unknown source', { ...good, source: 'email' }],
    ['an extra top-level field', { ...good, extra: true }],
  ])('rejects %s', (_name, body) => {
    expect(eventIntakeSchema.safeParse(body).success).toBe(false);
  });

  it('trims text fields', () => {
    const parsed = eventIntakeSchema.parse({ ...good, description: '  东门  ', reporter: { name: ' 王 ', phone: ' 13905710001 ' } });
    expect(parsed.description).toBe('东门');
    expect(parsed.reporter).toEqual({ name: '王', phone: '13905710001' });
  });
});

describe('eventListQuerySchema', () => {
  it('splits a comma-separated status list and defaults the page', () => {
    expect(eventListQuerySchema.parse({ status: 'reported, filed' })).toEqual({ status: ['reported', 'filed'], page: 1, pageSize: 100 });
  });

  it('rejects unknown states, oversized pages and unknown parameters', () => {
    expect(eventListQuerySchema.safeParse({ status: 'reported,lost' }).success).toBe(false);
    expect(eventListQuerySchema.safeParse({ pageSize: '1001' }).success).toBe(false);
    expect(eventListQuerySchema.safeParse({ sort: 'asc' }).success).toBe(false);
  });

  it('reads page numbers as plain decimals only', () => {
    expect(eventListQuerySchema.parse({ page: '2', pageSize: '50' })).toMatchObject({ page: 2, pageSize: 50 });
    for (const page of ['0x2', '2e0', '+2', ' 2', '2 ', '02', '', '2.0', '0']) expect(eventListQuerySchema.safeParse({ page }).success, JSON.stringify(page)).toBe(false);
  });
});

describe('event ids', () => {
  it('zero-pad the number of the day to 4 digits and grow past 9,999', () => {
    expect([1, 9999, 10_000, 10_001, MAX_EVENTS_PER_DAY].map((n) => formatEventId('20261203', n))).toEqual([
      'EV202612030001',
      'EV202612039999',
      'EV2026120310000',
      'EV2026120310001',
      'EV2026120399999999',
    ]);
    for (const n of [0, MAX_EVENTS_PER_DAY + 1, 1.5]) expect(() => formatEventId('20261203', n)).toThrow(RangeError);
  });

  it('match one pattern, which accepts every id formatEventId gives and nothing else', () => {
    for (const n of [1, 42, 9999, 10_000, 123_456, MAX_EVENTS_PER_DAY]) expect(formatEventId('20261203', n)).toMatch(EVENT_ID_PATTERN);
    for (const id of ['EV20261203001', 'EV2026120301000', 'EV202612030000000001', 'ev202612030001', 'EV202612030001 ', 'EVX02612030001']) {
      expect(EVENT_ID_PATTERN.test(id), id).toBe(false);
    }
  });
});
