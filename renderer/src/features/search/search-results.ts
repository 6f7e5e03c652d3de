import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { SearchItem, SearchPlace, SearchResponse } from '../../../../shared/contracts/search.js';

/**
 * One choice of the search list: a case opens it, a place flies the map there, an address flies
 * there and opens its place card, an item lists its open cases.
 */
export type SearchOption =
  | { kind: 'case'; key: string; event: EventRecord }
  | { kind: 'place'; key: string; place: SearchPlace }
  | { kind: 'address'; key: string; address: AddressHit }
  | { kind: 'item'; key: string; item: SearchItem };

/**
 * The groups of the list, in the order a dispatcher reaches for them: the case named by its id,
 * the cases of a caller's phone, then places, households' addresses (统一地址: a caller names
 * where they are), items, and last the cases whose address holds the words (many, and the least
 * exact).
 */
export const SEARCH_GROUPS = ['caseId', 'casePhone', 'place', 'address', 'item', 'caseAddress'] as const;
export type SearchGroupId = (typeof SEARCH_GROUPS)[number];

export interface SearchGroup {
  id: SearchGroupId;
  options: SearchOption[];
}

const CASE_GROUP = { id: 'caseId', phone: 'casePhone', address: 'caseAddress' } as const;

/**
 * The answer as the list shows it: non-empty groups in SEARCH_GROUPS order, each case once.
 * `addresses` is the address search's answer to the same text (its own request).
 */
export function groupResults(response: SearchResponse, addresses: readonly AddressHit[] = []): SearchGroup[] {
  const byGroup = new Map<SearchGroupId, SearchOption[]>(SEARCH_GROUPS.map((id) => [id, []]));
  for (const c of response.cases) byGroup.get(CASE_GROUP[c.match])!.push({ kind: 'case', key: `case:${c.event.id}`, event: c.event });
  for (const place of response.places) byGroup.get('place')!.push({ kind: 'place', key: `place:${place.id}`, place });
  for (const address of addresses) byGroup.get('address')!.push({ kind: 'address', key: `address:${address.code}`, address });
  for (const item of response.items) byGroup.get('item')!.push({ kind: 'item', key: `item:${item.code}`, item });
  return SEARCH_GROUPS.map((id) => ({ id, options: byGroup.get(id)! })).filter((g) => g.options.length > 0);
}

/** Every option in list order, for the arrow keys. */
export function flatOptions(groups: readonly SearchGroup[]): SearchOption[] {
  return groups.flatMap((g) => g.options);
}

/** The option the arrow keys move to: down from none is the first, up from none the last; both wrap. */
export function moveActive(active: number, count: number, delta: 1 | -1): number {
  if (count === 0) return -1;
  if (active < 0 || active >= count) return delta === 1 ? 0 : count - 1;
  return (active + delta + count) % count;
}

/** A text cut where the query occurs (case-insensitively), so the list can mark what matched. */
export function highlightParts(text: string, query: string): Array<{ text: string; hit: boolean }> {
  const needle = query.trim().toLowerCase();
  if (!needle) return [{ text, hit: false }];
  const parts: Array<{ text: string; hit: boolean }> = [];
  const haystack = text.toLowerCase();
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), hit: false });
    parts.push({ text: text.slice(at, at + needle.length), hit: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false });
  return parts;
}
