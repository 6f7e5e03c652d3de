import { ADDRESS_LIMIT_DEFAULT, ADDRESS_OPEN_CASES_MAX, type AddressDetail, type AddressHit } from '../../../../shared/contracts/addresses.js';
import type { TeamSummary } from '../../../../shared/contracts/teams.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import type { Principal } from '../auth/auth.service.js';
import { eventView, scopeTowns, seesPersonalData } from '../events/event-view.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { TeamsRepo } from '../teams/teams.repo.js';
import type { AddressesRepo } from './addresses.repo.js';
import { normalizeAddressText } from './address-resolver.js';

/**
 * The terms of a search query: NFKC-folded (full-width digits as typed by Chinese input methods
 * become ASCII), split at whitespace. Every term must be in the address.
 */
export function addressTerms(q: string): string[] {
  return q.normalize('NFKC').split(/\s+/u).filter((t) => t !== '');
}

/** The teams of the address's own village first, then its town's, then the county units. */
const NEAREST_FIRST: Record<TeamSummary['homeLevel'], number> = { village: 0, town: 1, county: 2 };

/**
 * Unified address search for people: the caller's towns only, best first. A query of digits is
 * read as a code first (the exact code, then codes starting with it, in code order), and as
 * address text after them (house numbers are digits too); anything else as address text
 * (AddressesRepo.byText ranks it).
 */
export class AddressesService {
  constructor(private readonly deps: { repo: AddressesRepo; events: EventsRepo; teams: TeamsRepo }) {}

  async search(q: string, principal: Principal, limit: number = ADDRESS_LIMIT_DEFAULT): Promise<AddressHit[]> {
    const { repo } = this.deps;
    const towns = scopeTowns(principal.user.scope);
    const terms = addressTerms(q);
    const whole = normalizeAddressText(q);
    const found = new Map<string, AddressHit>();
    const add = (hits: readonly AddressHit[]) => {
      for (const h of hits) if (found.size < limit && !found.has(h.code)) found.set(h.code, h);
    };
    if (/^\d+$/u.test(whole)) {
      const exact = await repo.byCode(whole, towns);
      if (exact) add([exact]);
      add(await repo.byCodePrefix(whole, towns, limit + 1));
    }
    if (found.size < limit) add(await repo.byText(terms, towns, limit));
    return [...found.values()];
  }

  /** The place card of one address in the caller's towns, or null (unknown, or outside them: the same answer). */
  async detail(code: string, principal: Principal): Promise<AddressDetail | null> {
    const { repo, events, teams } = this.deps;
    const { user } = principal;
    const address = await repo.byCode(code, scopeTowns(user.scope));
    if (!address) return null;
    const names = await repo.names(address.microGridId);
    if (!names) return null;
    const full = seesPersonalData(user.roles);
    const roster = (await teams.roster(address)).map((c) => (full ? c : { ...c, name: maskName(c.name), phone: maskPhone(c.phone) }));
    const found: Array<TeamSummary | null> = [];
    for (const c of await teams.candidates(address)) found.push(await teams.get(c.id));
    const serving = found
      .filter((t) => t !== null)
      .sort((a, b) => NEAREST_FIRST[a.homeLevel] - NEAREST_FIRST[b.homeLevel])
      .map((t) => (full ? t : { ...t, leader: { name: maskName(t.leader.name), phone: maskPhone(t.leader.phone) } }));
    const ids = await repo.openCaseIds(address.code, ADDRESS_OPEN_CASES_MAX + 1);
    const openCases = [];
    for (const id of ids.slice(0, ADDRESS_OPEN_CASES_MAX)) {
      const e = await events.get(id);
      if (e !== null) openCases.push(eventView(e, full));
    }
    return { address, names, roster, teams: serving, openCases, moreOpenCases: ids.length > ADDRESS_OPEN_CASES_MAX };
  }
}
