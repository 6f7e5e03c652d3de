import { formatEventId, type EventRecord } from '../../../../shared/contracts/events.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { parseSearch, type SearchCase, type SearchItem, type SearchMatch, type SearchNotice, type SearchResponse } from '../../../../shared/contracts/search.js';
import { maskPhone } from '../../../../shared/domain/masking.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import { eventView, scopeTowns, seesPersonalData } from '../events/event-view.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { SearchRepo } from './search.repo.js';

/** How many of each kind one answer shows: a search box is for finding, the history tab for listing. */
export const SEARCH_LIMITS = { phone: 10, address: 8, places: 8, items: 8 } as const;

/**
 * Items of the catalog that a text names, best first: the code itself, then names (zh or en)
 * starting with the text, then names holding it; catalog order within each.
 */
export function matchItems(items: readonly CatalogItem[], text: string): CatalogItem[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const rank = (item: CatalogItem): number => {
    const names = [item.name.toLowerCase(), item.nameEn.toLowerCase()];
    if (item.code.toLowerCase() === needle) return 0;
    if (names.some((n) => n.startsWith(needle))) return 1;
    if (names.some((n) => n.includes(needle))) return 2;
    return -1;
  };
  return items
    .map((item, order) => ({ item, order, rank: rank(item) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((m) => m.item);
}

/**
 * How a phone query is written into the audit trail, which the audit administrator reads but
 * must not learn reporters' numbers from: a whole number masked like the console masks it
 * (139****0001), a few last digits as they are (they name nobody on their own).
 */
export function phoneForAudit(digits: string): string {
  return digits.length >= 7 ? maskPhone(digits) : `…${digits}`;
}

/** The answer before its notices are worded in the request's language. */
export type SearchResult = Omit<SearchResponse, 'notices'> & { notices: Array<SearchNotice['code']> };

/**
 * The search box: one query read every way it can mean (parseSearch), each reading looked up
 * in the caller's towns only. A phone lookup is personal-data access: only roles that see
 * reporters' phones make it, and every one is audited (`personal_data:search`), refusals too.
 */
export class SearchService {
  constructor(private readonly deps: { repo: SearchRepo; events: EventsRepo; catalog: CatalogRepo; audit: Pick<AuditRepo, 'record'>; clock: Clock }) {}

  async search(query: string, by: { principal: Principal; ctx: RequestContext }): Promise<SearchResult> {
    const { repo } = this.deps;
    const { user } = by.principal;
    const towns = scopeTowns(user.scope);
    const full = seesPersonalData(user.roles);
    const parsed = parseSearch(query);
    const notices: SearchResult['notices'] = [];

    const found = new Map<string, SearchMatch>();
    const add = (ids: readonly string[], match: SearchMatch) => {
      for (const id of ids) if (!found.has(id)) found.set(id, match);
    };
    const idCandidates = [parsed.caseId, parsed.caseNumber === null ? null : formatEventId(chinaDay(this.deps.clock.now()), parsed.caseNumber)].filter((id): id is string => id !== null);
    add(await repo.existing(idCandidates, towns), 'id');

    let moreCases = false;
    if (parsed.phone !== null) {
      const audit = { ...who(by.principal), ...by.ctx, action: 'personal_data:search' as const, objectType: 'event', objectId: null };
      if (full) {
        const ids = await repo.byPhone(parsed.phone, towns, SEARCH_LIMITS.phone + 1);
        moreCases ||= ids.length > SEARCH_LIMITS.phone;
        const shown = ids.slice(0, SEARCH_LIMITS.phone);
        add(shown, 'phone');
        await this.deps.audit.record({ ...audit, result: 'success', details: { by: 'phone', phone: phoneForAudit(parsed.phone), matches: shown } });
      } else {
        notices.push('phone_not_permitted');
        await this.deps.audit.record({ ...audit, result: 'denied', reason: 'personal_data_masked', details: { by: 'phone', phone: phoneForAudit(parsed.phone) } });
      }
    }

    let places: SearchResponse['places'] = [];
    let items: SearchItem[] = [];
    let morePlaces = false;
    let moreItems = false;
    if (parsed.hasWords) {
      const ids = await repo.byAddress(parsed.text, towns, SEARCH_LIMITS.address + 1);
      moreCases ||= ids.length > SEARCH_LIMITS.address;
      add(ids.slice(0, SEARCH_LIMITS.address), 'address');
      const placeRows = await repo.places(parsed.text, towns, SEARCH_LIMITS.places + 1);
      morePlaces = placeRows.length > SEARCH_LIMITS.places;
      places = placeRows.slice(0, SEARCH_LIMITS.places);
      const matched = matchItems(this.deps.catalog.active().items, parsed.text);
      moreItems = matched.length > SEARCH_LIMITS.items;
      const shownItems = matched.slice(0, SEARCH_LIMITS.items);
      const open = await repo.openCasesByItem(
        shownItems.map((i) => i.code),
        towns,
      );
      items = shownItems.map((i) => ({
        code: i.code,
        name: i.name,
        nameEn: i.nameEn,
        categoryName: i.categoryName,
        categoryNameEn: i.categoryNameEn,
        openCases: open.get(i.code) ?? 0,
      }));
    }

    const cases: SearchCase[] = [];
    for (const [id, match] of found) {
      const event: EventRecord | null = await this.deps.events.get(id);
      if (event) cases.push({ match, event: eventView(event, full) });
    }
    return { q: parsed.text, cases, places, items, truncated: { cases: moreCases, places: morePlaces, items: moreItems }, notices };
  }
}
