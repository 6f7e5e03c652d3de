import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import { TRIGRAM, type AddressesRepo } from './addresses.repo.js';

export type { AddressHit } from '../../../../shared/contracts/addresses.js';

/**
 * An address as people write it, made comparable with the stored ones: NFKC (full-width
 * digits and letters, as Chinese input methods type them, become ASCII: "１２号" → "12号") and
 * without whitespace, which a unified address never holds.
 */
export function normalizeAddressText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/** The last house-level marker: what follows it ("门口", "旁边", "楼下") is not part of the address. */
const HOUSE_END = /^(.*[号室])/u;

/**
 * Reads an address written by someone outside (an Open311 `address_string`, a 12345 hotline
 * operator's text) as one household, or none when it cannot tell. The rule, in order:
 *
 * 1. Digits only: the household with exactly that code (统一地址编码), or null.
 * 2. The text, whitespace removed and NFKC-folded, then the same cut after its last 号/室
 *    (dropping "门口", "附近"…): the longest piece of it, dropping leading characters one at a
 *    time ("浙江省金华市…" before the county's own name), that some address holds.
 *    - held by exactly one household, and the piece names that household's village or
 *      community → that household;
 *    - held by two or more → ambiguous: null (a person, or the reported point, places the case).
 *
 * The village-name condition keeps a bare house number ("3组12号", found by chance in only one
 * village) from placing a case in a village the writer never named. A piece shorter than three
 * characters is never used: it cannot be unambiguous in a county.
 */
export class AddressResolver {
  constructor(private readonly repo: AddressesRepo) {}

  /** The household at this code (exactly), county-wide. */
  async byCode(code: string): Promise<AddressHit | null> {
    const digits = normalizeAddressText(code);
    return /^\d+$/u.test(digits) ? await this.repo.byCode(digits) : null;
  }

  /** The best single household the text names, when unambiguous (rule above); else null. */
  async resolve(text: string): Promise<AddressHit | null> {
    const t = normalizeAddressText(text);
    if (t === '') return null;
    if (/^\d+$/u.test(t)) return await this.repo.byCode(t);
    const cut = HOUSE_END.exec(t)?.[1];
    for (const whole of cut && cut !== t ? [t, cut] : [t]) {
      const found = await this.longestPiece(whole);
      if (found === 'ambiguous') return null;
      if (found) return found;
    }
    return null;
  }

  /** The household holding the longest leading-trimmed piece of `whole`, 'ambiguous', or null when none holds any. */
  private async longestPiece(whole: string): Promise<AddressHit | 'ambiguous' | null> {
    const chars = [...whole];
    for (let start = 0; chars.length - start >= TRIGRAM; start++) {
      const piece = chars.slice(start).join('');
      const hits = await this.repo.containing(piece, 2);
      if (hits.length === 0) continue;
      if (hits.length > 1) return 'ambiguous';
      const hit = hits[0]!;
      const village = await this.repo.regionName(hit.villageId);
      return village !== null && piece.includes(village) ? hit : null;
    }
    return null;
  }
}
