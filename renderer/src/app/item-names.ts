import type { CatalogResponse } from '../../../shared/contracts/catalog.js';

/** A case's item as the reader's language calls it. */
export type ItemNamer = (event: { itemCode: string; itemName: string }) => string;

/**
 * The English names of the catalog's items and referral matters by code; null in Chinese, where
 * the name stored with the case (the one it was filed under) is the one to show.
 */
export function englishItemNames(catalog: Pick<CatalogResponse, 'items' | 'referrals'> | null | undefined, language: string): Readonly<Record<string, string>> | null {
  if (!language.startsWith('en') || !catalog) return null;
  const names: Record<string, string> = {};
  for (const r of catalog.referrals) if (r.nameEn) names[r.code] = r.nameEn;
  for (const i of catalog.items) if (i.nameEn) names[i.code] = i.nameEn;
  return names;
}

/**
 * Names items from `englishItemNames`; a code the active catalog no longer has (an item retired
 * since the case was filed) keeps the Chinese name it was filed under rather than showing nothing.
 */
export function itemNamer(english: Readonly<Record<string, string>> | null): ItemNamer {
  if (!english) return (e) => e.itemName;
  return (e) => english[e.itemCode] ?? e.itemName;
}
