import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';

/** One choice of the item picker: a suggestion (with its score and words) or a catalog item found by the filter. */
export interface PickerOption {
  itemCode: string;
  itemName: string;
  categoryName: string;
  /** The classifier's confidence (0–1) for a suggestion; null for an item found by the filter. */
  score: number | null;
  words: readonly string[];
}

/**
 * The picker's options: the suggestions first (best first), then, while the dispatcher types, the
 * active catalog's items whose name or code holds the text (not those suggested already), at most `limit`.
 */
export function pickerOptions(suggestions: readonly ItemSuggestion[], items: readonly CatalogItem[], filter: string, limit = 8): PickerOption[] {
  const categoryOf = new Map(items.map((i) => [i.code, i.categoryName]));
  const suggested: PickerOption[] = suggestions.map((s) => ({ itemCode: s.itemCode, itemName: s.itemName, categoryName: categoryOf.get(s.itemCode) ?? '', score: s.score, words: s.words }));
  const text = filter.trim().toLowerCase();
  if (text === '') return suggested;
  const taken = new Set(suggested.map((s) => s.itemCode));
  const found = items
    .filter((i) => !taken.has(i.code) && (i.name.toLowerCase().includes(text) || i.code.toLowerCase().startsWith(text) || i.categoryName.includes(text)))
    .slice(0, limit)
    .map((i) => ({ itemCode: i.code, itemName: i.name, categoryName: i.categoryName, score: null, words: [] }));
  return [...suggested, ...found];
}

/** How long a report has waited, in the largest whole unit: minutes under two hours, hours under two days, then days. */
export function waited(receivedAt: string, now: number): { unit: 'now' | 'minutes' | 'hours' | 'days'; n: number } {
  const minutes = Math.floor((now - Date.parse(receivedAt)) / 60_000);
  if (!(minutes >= 1)) return { unit: 'now', n: 0 };
  if (minutes < 120) return { unit: 'minutes', n: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: 'hours', n: hours };
  return { unit: 'days', n: Math.floor(hours / 24) };
}
