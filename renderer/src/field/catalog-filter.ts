import type { CatalogItem } from '../../../shared/contracts/catalog.js';

/**
 * Items matching the search words (name in either language, category, code; every word must
 * match) within a category, in the catalog's order.
 */
export function filterCatalog(items: readonly CatalogItem[], query: string, category: string | null): CatalogItem[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((i) => {
    if (category && i.category !== category) return false;
    if (words.length === 0) return true;
    const hay = `${i.name} ${i.nameEn} ${i.categoryName} ${i.categoryNameEn} ${i.code}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
