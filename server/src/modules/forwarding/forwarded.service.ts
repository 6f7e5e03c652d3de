import type { ForwardAccepted, ForwardBatch, ForwardCursor, ForwardedChange, ForwardedEvent } from '../../../../shared/contracts/forwarding.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type AuditSink, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { CaseChanges, CaseWriter } from '../events/case-writer.js';
import type { EventPatch, EventsRepo, NewTimelineEntry } from '../events/events.repo.js';
import type { ForwardedRepo } from './forwarded.repo.js';

export interface ForwardedServiceDeps {
  repo: ForwardedRepo;
  events: EventsRepo;
  writer: CaseWriter;
  audit: Pick<AuditRepo, 'record'>;
  clock: Clock;
}

/** The facts of a case the county's snapshot does not carry, set by the step that sets them on the county. */
const STEP_TIMES: Partial<Record<string, Array<keyof EventPatch>>> = {
  file: ['filedAt'],
  dispatch: ['dispatchedAt'],
  'auto-dispatch': ['dispatchedAt'],
  report: ['handledAt'],
  verify: ['verifiedAt'],
  'self-handled': ['filedAt', 'dispatchedAt', 'handledAt'],
};

/**
 * The city's side of a county server forwarding its cases (issue 15). The county's integration
 * key names the county (its scope is exactly that county); each batch continues the county's
 * change log right after the city's cursor. Each change becomes a change of the city's own log,
 * written through the one case writer: the first change of a county case gives it a city id (the
 * city's day counter; county ids collide between counties), the case row is the county's
 * snapshot under that id, and the city's consoles, KPIs and change feed see it like any other.
 * The cases, the changes, the id mappings and the cursor commit in one transaction.
 */
export class ForwardedService {
  constructor(private readonly deps: ForwardedServiceDeps) {}

  /** Where the key's county stands: the last of its seqs applied here. */
  async cursor(principal: Principal, ctx: RequestContext): Promise<ForwardCursor> {
    const county = await this.countyOf(principal, ctx, null);
    return { county, lastSeq: await this.deps.repo.cursor(county) };
  }

  async accept(batch: ForwardBatch, principal: Principal, ctx: RequestContext): Promise<ForwardAccepted> {
    const { repo, writer } = this.deps;
    const first = batch.changes[0]!.seq;
    const last = batch.changes.at(-1)!.seq;
    const county = await this.countyOf(principal, ctx, { first, last });
    const base = { ...who(principal), ...ctx, action: 'event:forwarded' as const, objectType: 'forward_source', objectId: county };
    // every case of the batch in the key's county, or nothing is stored
    for (const [i, c] of batch.changes.entries()) {
      if ((await repo.parentOf(c.event.townId)) !== county) {
        return this.refuse(base, { first, last }, new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: `changes.${i}.event.townId`, code: 'outside_forward_county' }], { what: c.event.id }));
      }
    }
    try {
      return await writer.write(async (changes) => {
        const cursor = await repo.cursor(county);
        if (first > cursor + 1) throw new ApiHttpError(409, 'forward_gap', 'error.forward_gap', [{ field: 'changes.0.seq', code: 'not_consecutive' }], { lastSeq: cursor }, { lastSeq: cursor });
        const fresh = batch.changes.filter((c) => c.seq > cursor);
        const lastSeq = Math.max(cursor, last);
        const at = this.deps.clock.now().toISOString();
        // the cursor first (the county's row, at its first batch), the cases after it: it all commits together
        if (fresh.length > 0) await repo.advance(county, lastSeq, at);
        for (const c of fresh) await this.apply(changes, county, c, batch.changes.indexOf(c));
        await changes.audit({ ...base, result: 'success', details: { source: county, fromSeq: first, toSeq: last, count: batch.changes.length, applied: fresh.length } });
        return { county, lastSeq, applied: fresh.length };
      });
    } catch (err) {
      if (err instanceof ApiHttpError) return this.refuse(base, { first, last }, err);
      throw err;
    }
  }

  /** One county change as a change of the city's log. */
  private async apply(changes: CaseChanges, county: string, c: ForwardedChange, index: number): Promise<void> {
    const { repo, events } = this.deps;
    const e = c.event;
    for (const field of ['microGridId', 'gridId', 'villageId'] as const) {
      if ((await repo.levelOf(e[field])) === null) throw new ApiHttpError(422, 'invalid_body', 'error.invalid_body', [{ field: `changes.${index}.event.${field}`, code: 'unknown_region' }]);
    }
    let id = await repo.cityIdOf(county, e.id);
    if (id === null) {
      id = await events.nextId(chinaDay(new Date(e.reportedAt)));
      await changes.insert({
        id,
        itemCode: e.itemCode,
        itemName: e.itemName,
        category: e.category,
        catalogVersion: e.catalogVersion,
        description: e.description,
        source: e.source,
        urgency: e.urgency,
        status: e.status,
        lon: e.location.lon,
        lat: e.location.lat,
        addressCode: e.addressCode,
        address: e.address,
        microGridId: e.microGridId,
        gridId: e.gridId,
        villageId: e.villageId,
        townId: e.townId,
        reporterName: e.reporter.name,
        reporterPhone: e.reporter.phone,
        reporterUserId: null,
        at: e.reportedAt,
        step: e.step,
        stepStartedAt: e.stepStartedAt,
        warnAt: e.warnAt,
        deadlineAt: e.deadlineAt,
        dueAt: e.dueAt,
        refusal: e.refusal,
        duplicateCandidates: [],
      });
      await repo.map(county, e.id, id);
    }
    const patch = await this.patchOf(county, e);
    for (const key of STEP_TIMES[c.entry?.action ?? c.kind] ?? []) (patch as Record<string, unknown>)[key] = c.at;
    await changes.update(id, patch, c.at);
    await changes.append(id, c.kind, c.at, this.entryOf(county, c));
  }

  /** The county's case as it stands, in the city's ids (a team or a case the city does not know is left out). */
  private async patchOf(county: string, e: ForwardedEvent): Promise<EventPatch> {
    const { repo } = this.deps;
    return {
      status: e.status,
      step: e.step,
      stepStartedAt: e.stepStartedAt,
      warnAt: e.warnAt,
      deadlineAt: e.deadlineAt,
      deadlineState: e.deadlineState,
      dueAt: e.dueAt,
      closedAt: e.closedAt,
      teamId: e.teamId !== null && (await repo.teamExists(e.teamId)) ? e.teamId : null,
      autoDispatched: e.autoDispatched,
      selfHandled: e.selfHandled,
      supervised: e.supervised,
      reworkCount: e.reworkCount,
      extensionCount: e.extensionCount,
      extensionRequest: e.extensionRequest,
      result: e.result,
      refusal: e.refusal,
      masterId: e.masterId === null ? null : await repo.cityIdOf(county, e.masterId),
      masterStatus: e.masterStatus,
    };
  }

  private entryOf(county: string, c: ForwardedChange): NewTimelineEntry {
    const from = { county, eventId: c.event.id, seq: c.seq };
    const entry = c.entry;
    if (!entry) {
      return { action: 'master-updated', from: null, to: c.event.status, actor: null, teamId: null, auto: true, note: null, position: null, attachments: [], details: { forwardedFrom: from, kind: c.kind } };
    }
    return {
      action: entry.action,
      from: entry.from,
      to: entry.to,
      // the county's people have no account here: their names, not their ids
      actor: entry.actor ? { userId: '', username: entry.actor.username, displayName: entry.actor.displayName, role: entry.actor.role } : null,
      teamId: null,
      auto: entry.auto,
      note: entry.note,
      position: null,
      attachments: [],
      details: { ...entry.details, forwardedFrom: from },
    };
  }

  /**
   * The county a key forwards for: its account's scope is exactly one county of this platform
   * (403 `not_forward_scope` otherwise; a key bound to an intake channel 403 `channel_mismatch`; audited).
   */
  private async countyOf(principal: Principal, ctx: RequestContext, seqs: { first: number; last: number } | null): Promise<string> {
    const scope = principal.user.scope;
    // a key bound to an intake channel posts to that channel only
    if (principal.apiKeyChannel !== null) {
      const base = { ...who(principal), ...ctx, action: 'event:forwarded' as const, objectType: 'forward_source', objectId: null };
      return this.refuse(base, seqs, new ApiHttpError(403, 'channel_mismatch', 'error.channel_mismatch', [], { channel: 'forwarding', keyChannel: principal.apiKeyChannel }, { channel: 'forwarding', keyChannel: principal.apiKeyChannel }));
    }
    // the whole platform is exactly one county when the platform is one county
    const area = scope.kind === 'towns' ? (scope.areas.length === 1 ? scope.areas[0]! : null) : await this.deps.repo.soleCounty();
    if (area !== null && (await this.deps.repo.levelOf(area)) === 'county') return area;
    const base = { ...who(principal), ...ctx, action: 'event:forwarded' as const, objectType: 'forward_source', objectId: area };
    return this.refuse(base, seqs, new ApiHttpError(403, 'not_forward_scope', 'error.not_forward_scope'));
  }

  /** Audits a refusal, then throws it. */
  private async refuse(base: Omit<Parameters<AuditSink['record']>[0], 'result'>, seqs: { first: number; last: number } | null, err: ApiHttpError): Promise<never> {
    await this.deps.audit.record({
      ...base,
      result: err.status === 403 || err.status === 409 ? 'denied' : 'failure',
      reason: err.code,
      details: { ...(seqs ? { fromSeq: seqs.first, toSeq: seqs.last } : {}), ...err.extra, ...(err.fields.length ? { fields: err.fields.map((f) => f.field) } : {}) },
    });
    throw err;
  }
}
