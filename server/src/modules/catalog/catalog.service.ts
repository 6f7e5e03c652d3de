import type { CatalogDiffResponse } from '../../../../shared/contracts/catalog-diff.js';
import type { CatalogDraft, CatalogVersionDetail } from '../../../../shared/contracts/catalog.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import { who, type AuditSink, type Principal, type RequestContext } from '../auth/auth.service.js';
import { diffCatalogs, diffItems } from './catalog-diff.js';
import { summaryOf, type CatalogRepo, type StoredVersion } from './catalog.repo.js';

/**
 * Changes to the admitted-item catalog: a change is a complete new catalog stored as a draft;
 * an approver who did not write it approves (it becomes the active version for new events,
 * the previous one is superseded) or rejects it. Nothing is ever deleted: every version stays
 * readable, and events keep the version they were taken in under.
 */
export class CatalogService {
  constructor(private readonly deps: { store: Store; repo: CatalogRepo; audit: AuditSink; clock: Clock }) {}

  /** A version with its items, referrals and its difference from the active version. */
  async detail(version: number): Promise<CatalogVersionDetail | null> {
    const v = await this.deps.repo.version(version);
    return v ? this.detailOf(v) : null;
  }

  private async detailOf(v: StoredVersion): Promise<CatalogVersionDetail> {
    const items = await this.deps.repo.items(v.version);
    return { ...summaryOf(v), items, referrals: v.referrals, diff: diffItems(this.deps.repo.active().items, items) };
  }

  /**
   * What `version` changes, field by field, against `against` or, by default, against what it
   * would replace: the active version for a draft, the version it replaced for an approved one,
   * the version in force when it was rejected for a rejected one. Null when either is unknown.
   */
  async diff(version: number, against: number | undefined, requesterId: string): Promise<CatalogDiffResponse | null> {
    const { repo } = this.deps;
    const v = await repo.version(version);
    if (!v) return null;
    const base = against ?? (await this.defaultBase(v));
    const baseVersion = base === null ? null : await repo.version(base);
    if (base !== null && !baseVersion) return null;
    const baseSide = baseVersion ? { items: await repo.items(baseVersion.version), referrals: baseVersion.referrals } : { items: [], referrals: [] };
    const side = { items: await repo.items(version), referrals: v.referrals };
    return { version, against: base, ...diffCatalogs(baseSide, side), authoredByYou: v.createdById === requesterId };
  }

  private async defaultBase(v: StoredVersion): Promise<number | null> {
    const { repo } = this.deps;
    if (v.status === 'draft') return repo.active().version || null;
    if (v.status === 'rejected') return v.decidedAt ? repo.activeAt(v.decidedAt, true) : null;
    return v.activatedAt ? repo.activeAt(v.activatedAt, false) : null;
  }

  async createDraft(actor: Principal, draft: CatalogDraft, ctx: RequestContext): Promise<CatalogVersionDetail> {
    const { store, repo, audit, clock } = this.deps;
    const at = clock.now().toISOString();
    const version = await store.inTransaction(async () => {
      const v = await repo.insertDraft({ ...draft, at, createdBy: actor.user.id, createdByName: actor.user.displayName });
      const diff = diffItems(await this.activeItemsNow(), draft.items);
      await audit.append({
        ...who(actor),
        ...ctx,
        action: 'catalog:change',
        result: 'success',
        objectType: 'catalog_version',
        objectId: String(v),
        details: { version: v, change: 'draft', note: draft.note, items: draft.items.length, referrals: draft.referrals.length, diff: counts(diff) },
      });
      return v;
    });
    return (await this.detail(version))!;
  }

  /** The active version's items as committed now (inside a transaction: what it is about to change). */
  private async activeItemsNow() {
    const active = await this.deps.repo.activeVersionNow();
    return active ? this.deps.repo.items(active) : [];
  }

  /** Approves a draft: it becomes active, the previous active version superseded, in one transaction. */
  async approve(actor: Principal, version: number, ctx: RequestContext): Promise<CatalogVersionDetail> {
    const { store, repo, audit, clock } = this.deps;
    const at = clock.now().toISOString();
    const outcome = await store.inTransaction(async (): Promise<ApiHttpError | null> => {
      // one decision at a time across nodes (on PostgreSQL an advisory lock held to the commit),
      // so the draft's state is read after any other decision has committed
      await store.takeWriterTurn();
      const v = await this.decidable(version);
      const refusal = await this.ownDraft(actor, v, 'approve', ctx);
      if (refusal) return refusal;
      const diff = diffItems(await this.activeItemsNow(), await repo.items(version));
      const previous = await repo.activate(version, { id: actor.user.id, name: actor.user.displayName }, at);
      await audit.append({
        ...who(actor),
        ...ctx,
        action: 'catalog:change',
        result: 'success',
        objectType: 'catalog_version',
        objectId: String(version),
        details: { version, change: 'approve', previous, diff: counts(diff) },
      });
      return null;
    });
    if (outcome) throw outcome;
    // this node's reads see the new active version from now on (the other nodes' on their next request)
    await repo.reload();
    return (await this.detail(version))!;
  }

  async rejectDraft(actor: Principal, version: number, reason: string, ctx: RequestContext): Promise<CatalogVersionDetail> {
    const { store, repo, audit, clock } = this.deps;
    const at = clock.now().toISOString();
    const outcome = await store.inTransaction(async (): Promise<ApiHttpError | null> => {
      await store.takeWriterTurn();
      const v = await this.decidable(version);
      const refusal = await this.ownDraft(actor, v, 'reject', ctx);
      if (refusal) return refusal;
      await repo.reject(version, { id: actor.user.id, name: actor.user.displayName }, reason, at);
      await audit.append({
        ...who(actor),
        ...ctx,
        action: 'catalog:change',
        result: 'success',
        objectType: 'catalog_version',
        objectId: String(version),
        details: { version, change: 'reject', reason },
      });
      return null;
    });
    if (outcome) throw outcome;
    return (await this.detail(version))!;
  }

  /** The version, if it exists and is still a draft; else 404 or 409 (nothing is written). */
  private async decidable(version: number): Promise<StoredVersion> {
    const v = await this.deps.repo.version(version);
    if (!v) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: `catalog version ${version}` });
    if (v.status !== 'draft') throw new ApiHttpError(409, 'catalog_version_state', 'error.catalog_version_state', [], { version, status: v.status }, { status: v.status });
    return v;
  }

  /**
   * Four eyes: the author of a draft may not decide it. The refusal is audited as denied
   * (committed with the transaction, which writes nothing else) and then thrown.
   */
  private async ownDraft(actor: Principal, v: StoredVersion, change: 'approve' | 'reject', ctx: RequestContext): Promise<ApiHttpError | null> {
    if (v.createdById !== actor.user.id) return null;
    await this.deps.audit.append({
      ...who(actor),
      ...ctx,
      action: 'catalog:change',
      result: 'denied',
      reason: 'catalog_own_draft',
      objectType: 'catalog_version',
      objectId: String(v.version),
      details: { version: v.version, change },
    });
    return new ApiHttpError(403, 'catalog_own_draft', 'error.catalog_own_draft', [], { version: v.version });
  }
}

const counts = (diff: CatalogVersionDetail['diff']) => ({ added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length });
