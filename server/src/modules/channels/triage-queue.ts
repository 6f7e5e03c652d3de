import { randomBytes } from 'node:crypto';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { ChannelQueued, TriageChangedPayload, TriageItem, TriageListResponse, TriageResolve, TriageStatus } from '../../../../shared/contracts/channels.js';
import type { EventIntake, EventRecord } from '../../../../shared/contracts/events.js';
import type { Bus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import { inScope, scopeTowns, seesPersonalData } from '../events/event-view.js';
import type { EventsService } from '../events/events.service.js';
import type { Actor } from '../events/workflow.service.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { createdOf, intakeKeyOf, type ChannelAnswer } from './channel-support.js';
import type { ChannelReceipt, ChannelsRepo, NewTriageItem, StoredTriageItem } from './channels.repo.js';

/** What the triage queue needs to build the case a person decided. */
export interface TriageCaseBuilder {
  /** The intake of a resolved item: its stored body with the chosen item and place. */
  intakeOf(item: StoredTriageItem, choice: TriageResolve): Promise<EventIntake>;
}

export interface TriageQueueDeps {
  store: Store;
  repo: ChannelsRepo;
  events: EventsService;
  audit: AuditRepo;
  bus: Bus;
  clock: Clock;
}

const newTriageId = () => `TR${randomBytes(8).toString('hex').toUpperCase()}`;

const payloadOf = (t: Pick<TriageItem, 'id' | 'channel' | 'status' | 'townId' | 'eventId'>): TriageChangedPayload => ({
  id: t.id,
  channel: t.channel,
  status: t.status,
  townId: t.townId,
  eventId: t.eventId,
});

/** What `TriageQueue.queue` did: queued the report, or found its channel id taken (by a retry that came first). */
export type QueueOutcome = { queued: ChannelQueued } | { seen: ChannelReceipt };

/** Thrown inside `queue`'s transaction when its channel id was taken meanwhile: rolls the item back. */
class ReceiptTaken extends Error {}

/**
 * The triage queue (待人工甄别): reports a channel could not place or classify wait here for a
 * dispatcher, duty officer or shift lead, who chooses the item (from the classifier's
 * suggestions) and the place, or dismisses the report with a reason. Every change is written
 * with its audit record in one transaction, then announced on the bus (`triage:changed`).
 */
export class TriageQueue {
  constructor(private readonly deps: TriageQueueDeps) {}

  /**
   * Queues a channel's report, with its receipt, in one transaction; announces it after commit.
   * The channel id is checked inside that transaction, and the item and the receipt are written
   * with `ON CONFLICT DO NOTHING` (both unique on the channel id): a retry that got there first (on
   * this node or another, at the same moment; on PostgreSQL the second insert waits for the first
   * transaction's commit) leaves nothing written here, and its receipt is answered (`seen`) for the
   * caller to replay.
   */
  async queue(item: Omit<NewTriageItem, 'id' | 'receivedAt'>, requestHash: string, actor: Actor): Promise<QueueOutcome> {
    const { store, repo, audit, bus, clock } = this.deps;
    const at = clock.now().toISOString();
    const stored = { ...item, id: newTriageId(), receivedAt: at };
    let seen: ChannelReceipt | null = null;
    try {
      seen = await store.inTransaction(async () => {
        const earlier = await repo.receipt(item.channel, item.channelId);
        if (earlier) return earlier;
        if (!(await repo.insertTriage(stored))) throw new ReceiptTaken();
        if (!(await repo.claimReceipt({ channel: item.channel, channelId: item.channelId, requestHash, eventId: null, triageId: stored.id }, at))) throw new ReceiptTaken();
        await audit.append({
          ...who(actor.principal),
          ...actor.ctx,
          action: 'triage:queue',
          result: 'success',
          objectType: 'triage',
          objectId: stored.id,
          details: { channel: item.channel, channelId: item.channelId, reasons: item.reasons, suggestions: item.suggestions.map((s) => ({ itemCode: s.itemCode, score: s.score })), townId: item.townId },
        });
        return null;
      });
    } catch (err) {
      if (!(err instanceof ReceiptTaken)) throw err;
      // taken between this transaction's check and its claim (PostgreSQL: another node's commit)
      seen = await repo.receipt(item.channel, item.channelId);
      if (!seen) throw new Error(`the receipt of ${item.channel}:${item.channelId} was taken and is gone`);
    }
    if (seen) return { seen };
    bus.publish('triage:changed', payloadOf({ ...stored, status: 'pending', eventId: null }));
    return { queued: { triageId: stored.id, status: 'pending', reasons: stored.reasons } };
  }

  /** A channel's retry of a queued id: 202 while it waits or after dismissal, the case (201) once resolved. */
  async replay(triageId: string, full: boolean, eventOf: (id: string) => Promise<EventRecord | null>): Promise<ChannelAnswer> {
    const item = (await this.deps.repo.triage(triageId))!;
    if (item.status === 'resolved' && item.eventId) {
      const event = await eventOf(item.eventId);
      if (event) return { kind: 'created', created: createdOf(event, full), replayed: true };
    }
    return { kind: 'queued', queued: { triageId, status: item.status === 'dismissed' ? 'dismissed' : 'pending', reasons: item.reasons }, replayed: true };
  }

  /**
   * Items of one status in the caller's view: their towns; whole-platform users also see those not
   * yet placed (an item without a town belongs to no county yet, so no county or city user sees it).
   */
  async list(scope: Scope, roles: Actor['principal']['user']['roles'], status: TriageStatus, limit: number): Promise<TriageListResponse> {
    const { repo } = this.deps;
    const towns = scopeTowns(scope);
    const county = scope.kind === 'county';
    const { items, total } = await repo.triageList(status, towns, county, limit);
    const pending = status === 'pending' ? total : (await repo.triageList('pending', towns, county, 1)).total;
    const full = seesPersonalData(roles);
    return { items: items.map((i) => view(i, full)), pending };
  }

  /** One item, if it lies in the caller's view (404 otherwise, audited). */
  async get(id: string, actor: Actor): Promise<StoredTriageItem> {
    const item = await this.deps.repo.triage(id);
    if (!item || !this.visible(item, actor.principal.user.scope)) {
      if (item) await this.deps.audit.record({ ...who(actor.principal), ...actor.ctx, action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'triage', objectId: id });
      throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    }
    return item;
  }

  view(item: StoredTriageItem, actor: Actor): TriageItem {
    return view(item, seesPersonalData(actor.principal.user.roles));
  }

  /**
   * A person chose the item (and the place, when it was unresolved): the case is created through
   * the one intake, idempotent on the channel id, and the item marked resolved in the same
   * transaction. A second decision on the same item → 409 `triage_decided`.
   */
  async resolve(id: string, choice: TriageResolve, build: TriageCaseBuilder, actor: Actor): Promise<ChannelAnswer> {
    const { repo, events, audit, bus } = this.deps;
    const item = await this.get(id, actor);
    this.requirePending(item);
    if (item.reasons.includes('address_unresolved') && !choice.location) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'location', code: 'required' }]);
    }
    const input = await build.intakeOf(item, choice);
    const person = actor.principal.user;
    const { created, replayed } = await events.intake(input, intakeKeyOf(item.channel, item.channelId), actor, {
      channel: item.channel,
      details: {
        channelId: item.channelId,
        itemText: item.itemText,
        itemBy: 'person',
        triageId: item.id,
        ...(item.caller.phone ? { caller: item.caller.phone } : {}),
      },
      within: async (eventId, at) => {
        const decidedAt = at.toISOString();
        if (!(await repo.decideTriage(item.id, { status: 'resolved', eventId, reason: null, at: decidedAt, byId: person.id, byName: person.displayName }))) {
          throw new ApiHttpError(409, 'triage_decided', 'error.triage_decided', [], { id: item.id });
        }
        await repo.saveReceipt({ channel: item.channel, channelId: item.channelId, requestHash: '', eventId, triageId: item.id }, decidedAt);
        await audit.append({
          ...who(actor.principal),
          ...actor.ctx,
          action: 'triage:resolve',
          result: 'success',
          objectType: 'triage',
          objectId: item.id,
          details: { channel: item.channel, channelId: item.channelId, eventId, itemCode: choice.itemCode, suggested: item.suggestions.map((s) => s.itemCode) },
        });
      },
    });
    if (!replayed) bus.publish('triage:changed', payloadOf({ ...item, status: 'resolved', eventId: created.id, townId: created.townId }));
    return { kind: 'created', created, replayed };
  }

  /** A person found the report is no case (a repeat call, a test, nonsense): kept, with the reason, and audited. */
  async dismiss(id: string, reason: string, actor: Actor): Promise<TriageItem> {
    const { store, repo, audit, bus, clock } = this.deps;
    const item = await this.get(id, actor);
    this.requirePending(item);
    const at = clock.now().toISOString();
    const person = actor.principal.user;
    await store.inTransaction(async () => {
      if (!(await repo.decideTriage(item.id, { status: 'dismissed', eventId: null, reason, at, byId: person.id, byName: person.displayName }))) {
        throw new ApiHttpError(409, 'triage_decided', 'error.triage_decided', [], { id: item.id });
      }
      await audit.append({ ...who(actor.principal), ...actor.ctx, action: 'triage:dismiss', result: 'success', objectType: 'triage', objectId: item.id, details: { channel: item.channel, channelId: item.channelId, reason } });
    });
    bus.publish('triage:changed', payloadOf({ ...item, status: 'dismissed' }));
    return this.view((await repo.triage(item.id))!, actor);
  }

  private visible(item: StoredTriageItem, scope: Scope): boolean {
    // a report not yet placed lies in no town and so in no county: the whole platform's desk places it
    return item.townId === null ? scope.kind === 'county' : inScope(scope, item.townId);
  }

  private requirePending(item: StoredTriageItem): void {
    if (item.status !== 'pending') {
      throw new ApiHttpError(409, 'triage_decided', 'error.triage_decided', [], { id: item.id }, { status: item.status, eventId: item.eventId });
    }
  }
}

/** The item as the API shows it: the caller masked for roles that do not see personal data; never the raw body. */
function view(item: StoredTriageItem, full: boolean): TriageItem {
  const { body: _body, reporterId: _reporter, addressCode: _code, ...shown } = item;
  if (full) return shown;
  return { ...shown, caller: { name: item.caller.name === null ? null : maskName(item.caller.name), phone: item.caller.phone === null ? null : maskPhone(item.caller.phone) } };
}
