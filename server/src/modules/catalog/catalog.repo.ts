import type { Store } from '../../db/store.js';
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

const loadedOf = (rows: Array<{ item: string }>): LoadedVersion => {
  const items = rows.map((r) => catalogItemOf(JSON.parse(r.item) as CatalogItemInput));
  return { items, byCode: new Map(items.map((i) => [i.code, i])) };
};

/** What the synchronous reads are served from: the active version and every approved one. */
interface Snapshot {
  /** The active version's number, 0 when none is active: the stamp `fresh` compares. */
  version: number;
  response: CatalogResponse;
  byCode: Map<string, CatalogItem>;
  referrals: Map<string, Referral>;
  /** Approved versions (active and superseded), newest first. */
  approved: number[];
}

const EMPTY: Snapshot = { version: 0, response: { version: 0, activatedAt: '', items: [], referrals: [] }, byCode: new Map(), referrals: new Map(), approved: [] };

/**
 * The versioned admitted-item catalog (入格事项清单). A version's items never change once
 * written: a change is a new version, a draft until someone other than its author approves it.
 *
 * The intake, the workflow and the channels read the catalog synchronously inside their units of
 * work, so those reads (`active`, `activeItem`, `itemOf`, `referral`, `lastVersionWith`) are served
 * from a snapshot of the approved versions loaded through the store: `load` at start, `reload`
 * after this node changed the active version, and `fresh` (one indexed read of the active version's
 * number) before a request's work, which reloads when another node approved a version meanwhile.
 * Approved versions' items are final, so a reload reads only the versions it has not seen.
 * Everything else (versions, drafts, the writes) reads and writes the store.
 */
export class CatalogRepo {
  private snapshot: Snapshot = EMPTY;
  /** Decided versions (active, superseded, rejected): their items are final. */
  private readonly versionCache = new Map<number, LoadedVersion>();
  /** Reloads run one after another, so the one started last lands last. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Loads the snapshot (at start, before requests are answered). */
  async load(): Promise<void> {
    await this.reload();
  }

  /**
   * Reloads the snapshot from what is committed. Never inside a transaction: it would show a
   * version whose transaction may still roll back.
   */
  reload(): Promise<void> {
    if (this.store.inTransactionNow) return Promise.reject(new Error('CatalogRepo.reload inside a transaction: reload after the commit'));
    const next = this.reloading.then(() => this.read());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  /** Reloads when the active version is not the snapshot's (another node approved one): one indexed read. */
  async fresh(): Promise<void> {
    const row = await this.store.get<{ version: number }>("SELECT version FROM catalog_versions WHERE status = 'active'");
    if ((row?.version ?? 0) !== this.snapshot.version) await this.reload();
  }

  private async read(): Promise<void> {
    const rows = await this.store.all<{ version: number; status: string; activated_at: string | null; referrals: string }>(
      "SELECT version, status, activated_at, referrals FROM catalog_versions WHERE status IN ('active', 'superseded') ORDER BY version DESC",
    );
    const missing = rows.map((r) => r.version).filter((v) => !this.versionCache.has(v));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const items = await this.store.all<{ version: number; item: string }>(
        `SELECT version, item FROM catalog_version_items WHERE version IN (${chunk.map(() => '?').join(',')}) ORDER BY version, sort, code`,
        ...chunk,
      );
      for (const v of chunk) this.versionCache.set(v, loadedOf(items.filter((r) => r.version === v)));
    }
    const active = rows.find((r) => r.status === 'active');
    if (!active) {
      this.snapshot = { ...EMPTY, approved: rows.map((r) => r.version) };
      return;
    }
    const { items, byCode } = this.versionCache.get(active.version)!;
    const referrals = JSON.parse(active.referrals) as Referral[];
    this.snapshot = {
      version: active.version,
      response: { version: active.version, activatedAt: active.activated_at ?? '', items, referrals },
      byCode,
      referrals: new Map(referrals.map((r) => [r.code, r])),
      approved: rows.map((r) => r.version),
    };
  }

  /** The active version (`GET /api/v1/catalog`); an empty catalog when none is active yet. */
  active(): CatalogResponse {
    return this.snapshot.response;
  }

  /** An item of the active version, or null when the active catalog does not admit it. */
  activeItem(code: string): CatalogItem | null {
    return this.snapshot.byCode.get(code) ?? null;
  }

  /** An item as an approved version defines it (the version an event was taken in under). */
  itemOf(version: number, code: string): CatalogItem | null {
    return this.versionCache.get(version)?.byCode.get(code) ?? null;
  }

  /** A not-admitted matter of the active version and the body that receives it. */
  referral(code: string): Referral | null {
    return this.snapshot.referrals.get(code) ?? null;
  }

  /** The latest approved version (active or superseded) that had the item: for retired items. */
  lastVersionWith(code: string): { version: number; item: CatalogItem } | null {
    for (const version of this.snapshot.approved) {
      const item = this.versionCache.get(version)?.byCode.get(code);
      if (item) return { version, item };
    }
    return null;
  }

  /** The active version's number as committed now (0 when none): read in a transaction, before changing it. */
  async activeVersionNow(): Promise<number> {
    return (await this.store.get<{ version: number }>("SELECT version FROM catalog_versions WHERE status = 'active'"))?.version ?? 0;
  }

  /** Every version, newest first. */
  async versions(): Promise<StoredVersion[]> {
    return (await this.store.all<VersionRow>(`${SUMMARY_SQL} ORDER BY v.version DESC`)).map(toVersion);
  }

  async version(version: number): Promise<StoredVersion | null> {
    const row = await this.store.get<VersionRow>(`${SUMMARY_SQL} WHERE v.version = ?`, version);
    return row ? toVersion(row) : null;
  }

  /**
   * The approved version that was active just before `at` (`inclusive`: at `at` too), by
   * activation time: the version an approval replaced, or the one in force when a draft was rejected.
   */
  async activeAt(at: string, inclusive: boolean): Promise<number | null> {
    const row = await this.store.get<{ version: number }>(
      `SELECT version FROM catalog_versions WHERE activated_at IS NOT NULL AND activated_at ${inclusive ? '<=' : '<'} ? ORDER BY activated_at DESC, version DESC LIMIT 1`,
      at,
    );
    return row?.version ?? null;
  }

  /** Items of a version, in catalog order (a draft's read each time; a decided one's kept). */
  async items(version: number): Promise<CatalogItem[]> {
    const cached = this.versionCache.get(version);
    if (cached) return cached.items;
    const loaded = loadedOf(await this.store.all<{ item: string }>('SELECT item FROM catalog_version_items WHERE version = ? ORDER BY sort, code', version));
    const status = (await this.store.get<{ status: string }>('SELECT status FROM catalog_versions WHERE version = ?', version))?.status;
    // A draft's items are only final once its creating transaction has committed; do not keep them.
    if (status && status !== 'draft' && !this.store.inTransactionNow) this.versionCache.set(version, loaded);
    return loaded.items;
  }

  /**
   * Writes a new version as a draft; returns its number. Call inside a transaction: the number is
   * taken in the writers' turn (on PostgreSQL an advisory lock held to the commit), so two nodes'
   * drafts never read the same highest version.
   */
  async insertDraft(d: { note: string; items: CatalogItemInput[]; referrals: Referral[]; at: string; createdBy: string | null; createdByName: string }): Promise<number> {
    await this.store.takeWriterTurn();
    const version = (await this.store.get<{ v: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM catalog_versions'))!.v;
    await this.store.run(
      "INSERT INTO catalog_versions (version, status, note, created_at, created_by, created_by_name, referrals) VALUES (?, 'draft', ?, ?, ?, ?, ?)",
      version,
      d.note,
      d.at,
      d.createdBy,
      d.createdByName,
      JSON.stringify(d.referrals),
    );
    for (const [i, item] of d.items.entries()) {
      await this.store.run('INSERT INTO catalog_version_items (version, code, sort, item) VALUES (?, ?, ?, ?)', version, item.code, i + 1, JSON.stringify(item));
    }
    return version;
  }

  /**
   * Approves a draft: it becomes active and the version active until now becomes superseded.
   * Returns the previous active version. Call inside a transaction; `reload` after its commit.
   */
  async activate(version: number, by: { id: string | null; name: string }, at: string): Promise<number | null> {
    const previous = (await this.activeVersionNow()) || null;
    // The partial unique index allows one active version: supersede first.
    await this.store.run("UPDATE catalog_versions SET status = 'superseded' WHERE status = 'active'");
    const { changes } = await this.store.run(
      "UPDATE catalog_versions SET status = 'active', decided_at = ?, decided_by = ?, decided_by_name = ?, activated_at = ? WHERE version = ? AND status = 'draft'",
      at,
      by.id,
      by.name,
      at,
      version,
    );
    if (changes !== 1) throw new Error(`catalog version ${version} is not a draft`);
    return previous;
  }

  /** Rejects a draft with the reason. Call inside a transaction. */
  async reject(version: number, by: { id: string | null; name: string }, reason: string, at: string): Promise<void> {
    const { changes } = await this.store.run(
      "UPDATE catalog_versions SET status = 'rejected', decided_at = ?, decided_by = ?, decided_by_name = ?, decision_reason = ? WHERE version = ? AND status = 'draft'",
      at,
      by.id,
      by.name,
      reason,
      version,
    );
    if (changes !== 1) throw new Error(`catalog version ${version} is not a draft`);
  }
}
