import type { CatalogDiffResponse, CatalogEntryChange, CatalogFieldChange } from '../../../../shared/contracts/catalog-diff.js';
import type { CatalogItem, CatalogItemInput, CatalogVersionDetail, Referral } from '../../../../shared/contracts/catalog.js';

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

type Comparable = Record<string, unknown>;

/**
 * An item's fields as diffable leaves: every top-level field as a whole, except the step limits,
 * which are split per urgency and step (`limits.P1.handle`), so "handling at P1 went from 2 to 4
 * working hours" reads as one line, not as a changed blob.
 */
function leaves(entry: Comparable): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'limits' && value && typeof value === 'object') {
      for (const [urgency, steps] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        for (const [step, limit] of Object.entries(steps)) out.set(`limits.${urgency}.${step}`, limit);
      }
    } else {
      out.set(key, value);
    }
  }
  return out;
}

/** The fields that differ, in the newer entry's field order, then fields only the older had. */
export function fieldChanges(before: Comparable, after: Comparable): CatalogFieldChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...b.keys(), ...[...a.keys()].filter((p) => !b.has(p))];
  return paths.flatMap((path) => {
    const was = a.get(path) ?? null;
    const is = b.get(path) ?? null;
    return canonical(was) === canonical(is) ? [] : [{ path, before: was, after: is }];
  });
}

/** Entries added, removed and changed (field by field) from `base` to `next`, by code, each in code order. */
function diffEntries<T extends { code: string; name: string; nameEn: string }>(base: readonly T[], next: readonly T[], input: (e: T) => Comparable) {
  const before = new Map(base.map((e) => [e.code, e]));
  const after = new Map(next.map((e) => [e.code, e]));
  const byCode = (x: { code: string }, y: { code: string }) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
  const changed: CatalogEntryChange[] = [];
  let unchanged = 0;
  for (const entry of next) {
    const old = before.get(entry.code);
    if (!old) continue;
    const fields = fieldChanges(input(old), input(entry));
    if (fields.length) changed.push({ code: entry.code, name: entry.name, nameEn: entry.nameEn, fields });
    else unchanged++;
  }
  return {
    added: next.filter((e) => !before.has(e.code)).sort(byCode),
    removed: base.filter((e) => !after.has(e.code)).sort(byCode),
    changed: changed.sort(byCode),
    unchanged,
  };
}

/** What a version changes against another: items (without the derived `handleLimit`) and referrals. */
export function diffCatalogs(
  base: { items: readonly CatalogItem[]; referrals: readonly Referral[] },
  next: { items: readonly CatalogItem[]; referrals: readonly Referral[] },
): Pick<CatalogDiffResponse, 'items' | 'referrals'> {
  const items = diffEntries(base.items, next.items, (i) => itemInput(i) as unknown as Comparable);
  const { unchanged: _same, ...referrals } = diffEntries(base.referrals, next.referrals, (r) => ({ ...r }));
  return { items, referrals };
}
