import { describe, expect, it } from 'vitest';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { diffItems } from './catalog-diff.js';
import { catalogItemOf } from './catalog.repo.js';

describe('catalog diff', () => {
  it('names codes added, removed and changed, ignoring key order and the derived handleLimit', () => {
    const base = DEMO_CATALOG.slice(0, 4);
    const reordered = base.map((item) => Object.fromEntries(Object.entries(item).reverse()) as typeof item);
    expect(diffItems(base, reordered.map(catalogItemOf))).toEqual({ added: [], removed: [], changed: [] });
    const next = [{ ...base[1]!, selfHandle: !base[1]!.selfHandle }, base[2]!, base[3]!, { ...base[0]!, code: 'Z99' }];
    expect(diffItems(base, next)).toEqual({ added: ['Z99'], removed: [base[0]!.code], changed: [base[1]!.code] });
  });
});
