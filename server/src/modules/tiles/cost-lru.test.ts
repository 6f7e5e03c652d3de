import { describe, expect, it } from 'vitest';
import { CostLru } from './cost-lru.js';

describe('CostLru', () => {
  it('evicts the least recently used entries until the summed cost fits the budget', () => {
    const lru = new CostLru<string, number>(10);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect(lru.get('a')).toBe(1); // a is now the most recently used
    lru.set('c', 3, 4);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.cost).toBe(8);
  });

  it('replaces a key without counting it twice and refuses a value over the budget', () => {
    const lru = new CostLru<string, number>(10);
    lru.set('a', 1, 6);
    lru.set('a', 2, 6);
    expect(lru.cost).toBe(6);
    lru.set('huge', 3, 11);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.get('a')).toBe(2);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.cost).toBe(0);
  });
});
