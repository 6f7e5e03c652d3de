import { describe, expect, it } from 'vitest';
import { regionNodeOf, townsOf, type RegionNode } from './regions.js';

const counts = { openEvents: 0 } as unknown as RegionNode['counts'];
const node = (id: string, level: RegionNode['level'], children?: RegionNode[]): RegionNode => ({ id, code: id, name: `N${id}`, level, kind: level, counts, ...(children ? { children } : {}) });
const tree = {
  root: node('3308', 'city', [node('330801', 'county', [node('330801001', 'town')]), node('330899', 'county', [node('330899001', 'town', [node('330899001001', 'village')]), node('330899002', 'town')])]),
};

describe('the region tree', () => {
  it('finds a node at any level by its id, and nothing for an id it does not hold', () => {
    expect(regionNodeOf(tree, '3308')?.level).toBe('city');
    expect(regionNodeOf(tree, '330899')?.name).toBe('N330899');
    expect(regionNodeOf(tree, '330899001001')?.level).toBe('village');
    expect(regionNodeOf(tree, '330800')).toBeNull();
  });

  it('lists the towns in tree order', () => {
    expect(townsOf(tree).map((t) => t.id)).toEqual(['330801001', '330899001', '330899002']);
  });
});
