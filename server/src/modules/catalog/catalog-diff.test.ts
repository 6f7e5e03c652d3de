import { describe, expect, it } from 'vitest';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { diffCatalogs, diffItems } from './catalog-diff.js';
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

describe('catalog diff, field by field', () => {
  it('splits the step limits per urgency and step, and names each other field as a whole', () => {
    const [first, second] = DEMO_CATALOG.map(catalogItemOf);
    const urgency = first!.defaultUrgency;
    const limits = first!.limits[urgency]!;
    const edited = catalogItemOf({ ...first!, name: `${first!.name}（修订）`, limits: { ...first!.limits, [urgency]: { ...limits, handle: { value: limits.handle.value * 2, unit: limits.handle.unit } } } });
    const diff = diffCatalogs({ items: [first!, second!], referrals: [] }, { items: [edited, second!], referrals: [{ code: 'X01', name: '刑事案件', nameEn: 'Crime', receivingBody: '公安' }] });
    expect(diff.items.added).toEqual([]);
    expect(diff.items.unchanged).toBe(1);
    expect(diff.items.changed).toEqual([
      {
        code: first!.code,
        name: edited.name,
        nameEn: edited.nameEn,
        fields: [
          { path: 'name', before: first!.name, after: edited.name },
          { path: `limits.${urgency}.handle`, before: limits.handle, after: { value: limits.handle.value * 2, unit: limits.handle.unit } },
        ],
      },
    ]);
    expect(diff.referrals.added.map((r) => r.code)).toEqual(['X01']);
  });
});
