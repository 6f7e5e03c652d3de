import type { CatalogItem, CatalogItemInput, CatalogVersionDetail } from '../../../../shared/contracts/catalog.js';

/** JSON with object keys sorted, so that two equal items compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The stored part of an item: what an editor writes (not the derived `handleLimit`). */
export function itemInput(item: CatalogItem | CatalogItemInput): CatalogItemInput {
  const { handleLimit: _derived, ...input } = item as CatalogItem;
  return input;
}

/** Codes added, removed and changed from `base` to `next`, each list in code order. */
export function diffItems(base: ReadonlyArray<CatalogItem | CatalogItemInput>, next: ReadonlyArray<CatalogItem | CatalogItemInput>): CatalogVersionDetail['diff'] {
  const before = new Map(base.map((i) => [i.code, canonical(itemInput(i))]));
  const after = new Map(next.map((i) => [i.code, canonical(itemInput(i))]));
  const sorted = (codes: string[]) => codes.sort();
  return {
    added: sorted([...after.keys()].filter((c) => !before.has(c))),
    removed: sorted([...before.keys()].filter((c) => !after.has(c))),
    changed: sorted([...after.entries()].filter(([c, json]) => before.has(c) && before.get(c) !== json).map(([c]) => c)),
  };
}
