import { describe, expect, it } from 'vitest';
import { RegionIndex, type IndexedRegion } from './region-index.js';

const r = (id: string, name: string, level: IndexedRegion['level'], parentId: string | null): IndexedRegion => ({ id, code: id, name, level, parentId });

/**
 * A province of two cities: city 330100 holds counties 330101 (two towns) and 330102 (one town);
 * city 330200 holds county 330201 (one town). Listed out of code order, as a table may return them.
 */
const PROVINCE = [
  r('330201001', '北港镇', 'town', '330201'),
  r('330101002', '东岭镇', 'town', '330101'),
  r('330101001', '城关镇', 'town', '330101'),
  r('330102001', '西岭镇', 'town', '330102'),
  r('330201', '丙县', 'county', '330200'),
  r('330102', '乙县', 'county', '330100'),
  r('330101', '甲县', 'county', '330100'),
  r('330200', '乙市', 'city', '330000'),
  r('330100', '甲市', 'city', '330000'),
  r('330000', '某省', 'province', null),
];

/** A county server: the county and its towns, nothing above. */
const COUNTY = [r('330899', 'T县', 'county', null), r('330899001', '城关镇', 'town', '330899'), r('330899002', '东岭镇', 'town', '330899')];

describe('RegionIndex', () => {
  const index = new RegionIndex(PROVINCE);

  it('finds the top region: the province of a platform, the county of a county server', () => {
    expect(index.root()?.id).toBe('330000');
    expect(new RegionIndex(COUNTY).root()?.id).toBe('330899');
    expect(new RegionIndex([]).root()).toBeNull();
  });

  it('walks up from a town to its county and city, by the parents, not the codes', () => {
    expect(index.chain('330101002').map((x) => x.id)).toEqual(['330101002', '330101', '330100', '330000']);
    expect(index.countyOf('330101002')).toBe('330101');
    expect(index.countyOf('330101')).toBe('330101');
    expect(index.countyOf('330100')).toBeNull();
    expect(index.countyOf('999999')).toBeNull();
    expect(index.cityOf('330201001')).toBe('330200');
    expect(index.cityOf('330200')).toBe('330200');
    expect(index.cityOf('330000')).toBeNull();
    expect(new RegionIndex(COUNTY).cityOf('330899001')).toBeNull();
    // a generator's codes need not nest: the tree decides
    const odd = new RegionIndex([r('P', '省', 'province', null), r('C9', '市', 'city', 'P'), r('K1', '县', 'county', 'C9'), r('T77', '镇', 'town', 'K1')]);
    expect(odd.countyOf('T77')).toBe('K1');
    expect(odd.cityOf('T77')).toBe('C9');
  });

  it('lists what a region holds at a level, in code order, and a region of that level as itself', () => {
    expect(index.under('330100', 'town').map((x) => x.id)).toEqual(['330101001', '330101002', '330102001']);
    expect(index.under('330000', 'county').map((x) => x.id)).toEqual(['330101', '330102', '330201']);
    expect(index.under('330000', 'city').map((x) => x.id)).toEqual(['330100', '330200']);
    expect(index.under('330101001', 'town').map((x) => x.id)).toEqual(['330101001']);
    expect(index.under('330101001', 'county')).toEqual([]);
    expect(index.under('999999', 'town')).toEqual([]);
    expect(index.townsUnder('330102')).toEqual(['330102001']);
  });

  it('expands granted areas into towns and their counties: a town, a county, a city, several', () => {
    expect(index.scopeOf(['330101001'])).toEqual({ kind: 'towns', towns: ['330101001'], counties: ['330101'], areas: ['330101001'] });
    expect(index.scopeOf(['330101'])).toEqual({ kind: 'towns', towns: ['330101001', '330101002'], counties: ['330101'], areas: ['330101'] });
    expect(index.scopeOf(['330100'])).toEqual({ kind: 'towns', towns: ['330101001', '330101002', '330102001'], counties: ['330101', '330102'], areas: ['330100'] });
    // overlapping areas count each town once; the areas stay as granted
    expect(index.scopeOf(['330201001', '330100', '330101002'])).toEqual({
      kind: 'towns',
      towns: ['330101001', '330101002', '330102001', '330201001'],
      counties: ['330101', '330102', '330201'],
      areas: ['330201001', '330100', '330101002'],
    });
  });

  it('makes the root, or no grant at all, the whole platform', () => {
    expect(index.scopeOf(null)).toEqual({ kind: 'county' });
    expect(index.scopeOf(['330000'])).toEqual({ kind: 'county' });
    expect(index.scopeOf(['330101', '330000'])).toEqual({ kind: 'county' });
    expect(new RegionIndex(COUNTY).scopeOf(['330899'])).toEqual({ kind: 'county' });
    // a county server's town user: the county is theirs for its county units
    expect(new RegionIndex(COUNTY).scopeOf(['330899002'])).toEqual({ kind: 'towns', towns: ['330899002'], counties: ['330899'], areas: ['330899002'] });
  });

  it('expands an unknown area to nothing, so a removed area narrows a scope, never widens it', () => {
    expect(index.unknownAreas(['330101', '999999', '330101001', 'x'])).toEqual(['999999', 'x']);
    expect(index.scopeOf(['999999'])).toEqual({ kind: 'towns', towns: [], counties: [], areas: ['999999'] });
    expect(index.scopeOf(['999999', '330102'])).toEqual({ kind: 'towns', towns: ['330102001'], counties: ['330102'], areas: ['999999', '330102'] });
  });

  it('names a scope after the nearest region holding all its areas', () => {
    expect(index.rootOf({ kind: 'county' })?.id).toBe('330000');
    expect(index.rootOf(index.scopeOf(['330100']))?.id).toBe('330100');
    expect(index.rootOf(index.scopeOf(['330101']))?.id).toBe('330101');
    expect(index.rootOf(index.scopeOf(['330101001']))?.id).toBe('330101001');
    expect(index.rootOf(index.scopeOf(['330101001', '330101002']))?.id).toBe('330101');
    expect(index.rootOf(index.scopeOf(['330101001', '330102']))?.id).toBe('330100');
    expect(index.rootOf(index.scopeOf(['330101', '330201']))?.id).toBe('330000');
    expect(index.rootOf(index.scopeOf(['999999']))?.id).toBe('330000');
  });

  it('is refilled in place after a boundary import', () => {
    const held = new RegionIndex(COUNTY);
    held.replace([...COUNTY, r('330899003', '新设镇', 'town', '330899')]);
    expect(held.townsUnder('330899')).toEqual(['330899001', '330899002', '330899003']);
    held.replace(COUNTY.slice(0, 2));
    expect(held.get('330899002')).toBeUndefined();
    expect(held.scopeOf(['330899002']).kind === 'towns' && held.scopeOf(['330899002'])).toMatchObject({ towns: [] });
  });

  it('answers a grant once per set of regions: the same frozen scope until a boundary import', () => {
    const held = new RegionIndex(COUNTY);
    const first = held.scopeOf(['330899001', '330899002']);
    expect(held.scopeOf(['330899001', '330899002'])).toBe(first);
    expect(Object.isFrozen(first) && first.kind === 'towns' && Object.isFrozen(first.towns)).toBe(true);
    // the areas as granted, in their order, are the answer's: another order is another answer
    expect(held.scopeOf(['330899002', '330899001'])).toMatchObject({ areas: ['330899002', '330899001'] });
    held.replace(COUNTY.slice(0, 2));
    expect(held.scopeOf(['330899001', '330899002'])).toEqual({ kind: 'towns', towns: ['330899001'], counties: ['330899'], areas: ['330899001', '330899002'] });
  });
});
