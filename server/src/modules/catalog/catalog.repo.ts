import type { Db } from '../../db/connection.js';
import type {
  CatalogItem,
  CatalogItemInput,
  CatalogResponse,
  CatalogVersionStatus,
  CatalogVersionSummary,
  Referral,
} from '../../../../shared/contracts/catalog.js';

interface VersionRow {
  version: number;
  status: string;
  note: string;
  created_at: string;
  created_by: string | null;
  created_by_name: string;
  decided_at: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  activated_at: string | null;
  referrals: string;
  item_count: number;
}

/** A catalog version as stored, with who wrote and who decided it. */
export interface StoredVersion extends CatalogVersionSummary {
  /** User id of the author; null for the system (seed, migration). */
  createdById: string | null;
  decidedById: string | null;
  referrals: Referral[];
}

/** The API's item: the stored input plus the handling limit at the default urgency for older clients. */
export function catalogItemOf(input: CatalogItemInput): CatalogItem {
  const limits = input.limits[input.defaultUrgency];
  if (!limits) throw new Error(`catalog item ${input.code} has no limits for its default urgency ${input.defaultUrgency}`);
  return { ...input, handleLimit: limits.handle };
}

const SUMMARY_SQL = `SELECT v.*, (SELECT COUNT(*) FROM catalog_version_items i WHERE i.version = v.version) AS item_count FROM catalog_versions v`;

const toVersion = (r: VersionRow): StoredVersion => ({
  version: r.version,
  status: r.status as CatalogVersionStatus,
  note: r.note,
  itemCount: r.item_count,
  createdAt: r.created_at,
  createdBy: r.created_by_name,
  createdById: r.created_by,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by_name,
  decidedById: r.decided_by,
  decisionReason: r.decision_reason,
  activatedAt: r.activated_at,
  referrals: JSON.parse(r.referrals) as Referral[],
});

/** The summary the API lists (no author ids, no referrals). */
export function summaryOf(v: StoredVersion): CatalogVersionSummary {
  const { createdById: _a, decidedById: _d, referrals: _r, ...summary } = v;
  return summary;
}

interface LoadedVersion {
  items: CatalogItem[];
  byCode: Map<string, CatalogItem>;
}

/**
 * The versioned admitted-item catalog (入格事项清单). A version's items never change once
 * written: a change is a new version, a draft until someone other than its author approves it.
 * The active version is cached and re-read when another one becomes active (checked on each
 * call with one indexed lookup, so a rolled-back activation or another writer cannot leave a
 * stale cache behind).
 */
export class CatalogRepo {
  private activeCache: { version: number; response: CatalogResponse; byCode: Map<string, CatalogItem>; referrals: Map<string, Referral> } | null = null;
  /** Decided versions (active, superseded, rejected): their items are final. */
  private readonly versionCache = new Map<number, LoadedVersion>();

  constructor(private readonly db: Db) {}

  private activeVersion(): { version: number; activated_at: string | null; referrals: string } | null {
    return (this.db.prepare("SELECT version, activated_at, referrals FROM catalog_versions WHERE status = 'active'").get() as
      | { version: number; activated_at: string | null; referrals: string }
      | undefined) ?? null;
  }

  private loadActive() {
    const row = this.activeVersion();
    if (!row) {
      this.activeCache = null;
      return null;
    }
    if (this.activeCache?.version === row.version) return this.activeCache;
    const { items, byCode } = this.load(row.version);
    const referrals = JSON.parse(row.referrals) as Referral[];
    this.activeCache = {
      version: row.version,
      response: { version: row.version, activatedAt: row.activated_at ?? '', items, referrals },
      byCode,
      referrals: new Map(referrals.map((r) => [r.code, r])),
    };
    return this.activeCache;
  }

  private load(version: number): LoadedVersion {
    const cached = this.versionCache.get(version);
    if (cached) return cached;
    const rows = this.db.prepare('SELECT item FROM catalog_version_items WHERE version = ? ORDER BY sort, code').all(version) as Array<{ item: string }>;
    const items = rows.map((r) => catalogItemOf(JSON.parse(r.item) as CatalogItemInput));
    const loaded = { items, byCode: new Map(items.map((i) => [i.code, i])) };
    const status = (this.db.prepare('SELECT status FROM catalog_versions WHERE version = ?').get(version) as { status: string } | undefined)?.status;
    // A draft's items are only final once its creating transaction has committed; do not keep them.
    if (status && status !== 'draft') this.versionCache.set(version, loaded);
    return loaded;
  }

  /** The active version (`GET /api/v1/catalog`); an empty catalog when none is active yet. */
  active(): CatalogResponse {
    return this.loadActive()?.response ?? { version: 0, activatedAt: '', items: [], referrals: [] };
  }

  /** An item of the active version, or null when the active catalog does not admit it. */
  activeItem(code: string): CatalogItem | null {
    return this.loadActive()?.byCode.get(code) ?? null;
  }

  /** An item as a given version defines it (the version an event was taken in under). */
  itemOf(version: number, code: string): CatalogItem | null {
    return this.load(version).byCode.get(code) ?? null;
  }

  /** A not-admitted matter of the active version and the body that receives it. */
  referral(code: string): Referral | null {
    return this.loadActive()?.referrals.get(code) ?? null;
  }

  /** The latest approved version (active or superseded) that had the item: for retired items. */
  lastVersionWith(code: string): { version: number; item: CatalogItem } | null {
    const row = this.db
      .prepare(
        `SELECT i.version, i.item FROM catalog_version_items i JOIN catalog_versions v ON v.version = i.version
         WHERE i.code = ? AND v.status IN ('active', 'superseded') ORDER BY i.version DESC LIMIT 1`,
      )
      .get(code) as { version: number; item: string } | undefined;
    return row ? { version: row.version, item: catalogItemOf(JSON.parse(row.item) as CatalogItemInput) } : null;
  }

  /** Every version, newest first. */
  versions(): StoredVersion[] {
    return (this.db.prepare(`${SUMMARY_SQL} ORDER BY v.version DESC`).all() as VersionRow[]).map(toVersion);
  }

  version(version: number): StoredVersion | null {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE v.version = ?`).get(version) as VersionRow | undefined;
    return row ? toVersion(row) : null;
  }

  /**
   * The approved version that was active just before `at` (`inclusive`: at `at` too), by
   * activation time: the version an approval replaced, or the one in force when a draft was rejected.
   */
  activeAt(at: string, inclusive: boolean): number | null {
    const row = this.db
      .prepare(`SELECT version FROM catalog_versions WHERE activated_at IS NOT NULL AND activated_at ${inclusive ? '<=' : '<'} ? ORDER BY activated_at DESC, version DESC LIMIT 1`)
      .get(at) as { version: number } | undefined;
    return row?.version ?? null;
  }

  /** Items of a version, in catalog order. */
  items(version: number): CatalogItem[] {
    return this.load(version).items;
  }

  /** Writes a new version as a draft; returns its number. Call inside a transaction. */
  insertDraft(d: { note: string; items: CatalogItemInput[]; referrals: Referral[]; at: string; createdBy: string | null; createdByName: string }): number {
    const version = (this.db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM catalog_versions').get() as { v: number }).v;
    this.db
      .prepare("INSERT INTO catalog_versions (version, status, note, created_at, created_by, created_by_name, referrals) VALUES (?, 'draft', ?, ?, ?, ?, ?)")
      .run(version, d.note, d.at, d.createdBy, d.createdByName, JSON.stringify(d.referrals));
    const insert = this.db.prepare('INSERT INTO catalog_version_items (version, code, sort, item) VALUES (?, ?, ?, ?)');
    d.items.forEach((item, i) => insert.run(version, item.code, i + 1, JSON.stringify(item)));
    return version;
  }

  /**
   * Approves a draft: it becomes active and the version active until now becomes superseded.
   * Returns the previous active version. Call inside a transaction.
   */
  activate(version: number, by: { id: string | null; name: string }, at: string): number | null {
    const previous = this.activeVersion()?.version ?? null;
    // The partial unique index allows one active version: supersede first.
    this.db.prepare("UPDATE catalog_versions SET status = 'superseded' WHERE status = 'active'").run();
    const changed = this.db
      .prepare("UPDATE catalog_versions SET status = 'active', decided_at = ?, decided_by = ?, decided_by_name = ?, activated_at = ? WHERE version = ? AND status = 'draft'")
      .run(at, by.id, by.name, at, version).changes;
    if (changed !== 1) throw new Error(`catalog version ${version} is not a draft`);
    return previous;
  }

  /** Rejects a draft with the reason. Call inside a transaction. */
  reject(version: number, by: { id: string | null; name: string }, reason: string, at: string): void {
    const changed = this.db
      .prepare("UPDATE catalog_versions SET status = 'rejected', decided_at = ?, decided_by = ?, decided_by_name = ?, decision_reason = ? WHERE version = ? AND status = 'draft'")
      .run(at, by.id, by.name, reason, version).changes;
    if (changed !== 1) throw new Error(`catalog version ${version} is not a draft`);
  }
}
