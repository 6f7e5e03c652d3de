import { describe, expect, it } from 'vitest';
import type { DuplicateRule } from '../contracts/workflow.js';
import { distanceMeters, findDuplicates, type DuplicateProbe } from './duplicates.js';

const RULE: DuplicateRule = { radiusMeters: 100, windowHours: 24, sameAddress: true, sameMicroGrid: false };
const ORIGIN = { lon: 120.5, lat: 30 };
/** A point `m` metres north of the origin (1° of latitude ≈ 111.195 km on the mean sphere). */
const north = (m: number) => ({ lon: ORIGIN.lon, lat: ORIGIN.lat + m / 111_195.08 });

const probe: Omit<DuplicateProbe, 'id'> = {
  itemCode: 'EN01',
  ...ORIGIN,
  addressCode: 'ADDR-1',
  microGridId: 'MG-1',
  reportedAt: '2026-11-24T10:00:00+08:00',
};

function open(id: string, patch: Partial<DuplicateProbe> = {}): DuplicateProbe {
  return { id, itemCode: 'EN01', ...north(50), addressCode: 'ADDR-9', microGridId: 'MG-9', reportedAt: '2026-11-24T09:00:00+08:00', ...patch };
}

describe('distanceMeters', () => {
  it('measures great-circle distance', () => {
    expect(distanceMeters(ORIGIN, ORIGIN)).toBe(0);
    expect(distanceMeters({ lon: 120, lat: 30 }, { lon: 120, lat: 30.001 })).toBeCloseTo(111.195, 2);
    // a degree of longitude shrinks with cos(latitude)
    expect(distanceMeters({ lon: 120, lat: 60 }, { lon: 121, lat: 60 })).toBeCloseTo(55_597, -1);
    expect(distanceMeters({ lon: 0, lat: 0 }, { lon: 180, lat: 0 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });

  it('is symmetric', () => {
    const a = { lon: 120.1, lat: 29.9 };
    const b = { lon: 120.13, lat: 29.95 };
    expect(distanceMeters(a, b)).toBe(distanceMeters(b, a));
  });
});

describe('findDuplicates', () => {
  it('finds an open case of the same item nearby', () => {
    expect(findDuplicates(probe, [open('EV1')], RULE)).toEqual(['EV1']);
  });

  it('ignores another item, however close', () => {
    expect(findDuplicates(probe, [open('EV1', { itemCode: 'EN02', ...ORIGIN, addressCode: 'ADDR-1' })], RULE)).toEqual([]);
  });

  it('includes a case exactly at the radius and not one just beyond', () => {
    const at = open('EV1', north(100));
    const d = distanceMeters(probe, at);
    expect(findDuplicates(probe, [at], { ...RULE, radiusMeters: Math.ceil(d) })).toEqual(['EV1']);
    expect(findDuplicates(probe, [at], { ...RULE, radiusMeters: Math.floor(d) })).toEqual([]);
    // radius 0: the very same point only
    expect(findDuplicates(probe, [open('EV2', ORIGIN)], { ...RULE, radiusMeters: 0 })).toEqual(['EV2']);
    expect(findDuplicates(probe, [open('EV3', north(0.5))], { ...RULE, radiusMeters: 0 })).toEqual([]);
  });

  it('keeps the window: both ends included, nothing after the probe', () => {
    const cases = [
      open('EDGE', { reportedAt: '2026-11-23T10:00:00+08:00' }), // exactly 24 h before
      open('OLD', { reportedAt: '2026-11-23T09:59:59+08:00' }), // 1 s too early
      open('SAME', { reportedAt: '2026-11-24T10:00:00+08:00' }), // same instant
      open('LATER', { reportedAt: '2026-11-24T10:00:01+08:00' }), // after the probe
      open('UTC', { reportedAt: '2026-11-24T01:30:00Z' }), // 09:30 CST, written in UTC
    ];
    expect(findDuplicates(probe, cases, RULE).sort()).toEqual(['EDGE', 'SAME', 'UTC']);
    expect(findDuplicates(probe, cases, { ...RULE, windowHours: 0 })).toEqual(['SAME']);
    expect(findDuplicates(probe, cases, { ...RULE, windowHours: 0.5 }).sort()).toEqual(['SAME', 'UTC']);
  });

  it('matches the same address at any distance, when the rule says so', () => {
    const far = open('EV1', { ...north(5000), addressCode: 'ADDR-1' });
    expect(findDuplicates(probe, [far], RULE)).toEqual(['EV1']);
    expect(findDuplicates(probe, [far], { ...RULE, sameAddress: false })).toEqual([]);
  });

  it('never matches an unknown address to another unknown address', () => {
    const far = open('EV1', { ...north(5000), addressCode: null });
    expect(findDuplicates({ ...probe, addressCode: null }, [far], RULE)).toEqual([]);
  });

  it('matches the same micro-grid at any distance, when the rule says so', () => {
    const far = open('EV1', { ...north(5000), microGridId: 'MG-1' });
    expect(findDuplicates(probe, [far], RULE)).toEqual([]);
    expect(findDuplicates(probe, [far], { ...RULE, sameMicroGrid: true })).toEqual(['EV1']);
  });

  it('lists nearest first, ties by earliest report then id', () => {
    const cases = [
      open('C', north(80)),
      open('B', { ...north(5000), addressCode: 'ADDR-1' }),
      open('A', north(10)),
      open('E', { ...north(30), reportedAt: '2026-11-24T08:00:00+08:00' }),
      open('D', { ...north(30), reportedAt: '2026-11-24T07:00:00+08:00' }),
      open('G', north(30)),
      open('F', north(30)),
    ];
    expect(findDuplicates(probe, cases, RULE)).toEqual(['A', 'D', 'E', 'F', 'G', 'C', 'B']);
  });

  it('refuses an unreadable time', () => {
    expect(() => findDuplicates({ ...probe, reportedAt: 'yesterday' }, [], RULE)).toThrow(RangeError);
    expect(() => findDuplicates(probe, [open('EV1', { reportedAt: 'soon' })], RULE)).toThrow(/EV1/);
  });
});
