import { describe, expect, it } from 'vitest';
import { eventIntakeSchema, eventListQuerySchema } from './events.js';

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
});
