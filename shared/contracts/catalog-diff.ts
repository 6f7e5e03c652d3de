import type { CatalogItem, Referral } from './catalog.js';

/**
 * One field that differs between two versions of an item or referral. `path` is a top-level
 * field (`name`, `urgencies`, `autoDispatch`…) or a step limit, `limits.<urgency>.<step>`; a
 * value absent on one side is null.
 */
export interface CatalogFieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface CatalogEntryChange {
  code: string;
  /** Names as in the newer version. */
  name: string;
  nameEn: string;
  fields: CatalogFieldChange[];
}

/**
 * `GET /api/v1/catalog/versions/{v}/diff[?against=N]`: what version `v` changes, item by item and
 * field by field. Without `against` a draft is compared with the active version (what approving
 * it would change now), an approved version with the version it replaced, and a rejected one with
 * the version active when it was rejected.
 */
export interface CatalogDiffResponse {
  version: number;
  /** The version compared with; null: none (an empty catalog). */
  against: number | null;
  items: { added: CatalogItem[]; removed: CatalogItem[]; changed: CatalogEntryChange[]; unchanged: number };
  referrals: { added: Referral[]; removed: Referral[]; changed: CatalogEntryChange[] };
  /** The requester wrote this version: they may not approve or reject it (four eyes). */
  authoredByYou: boolean;
}
