import { rolesAllow } from '../../../../shared/contracts/auth.js';
import type { CatalogItem, Referral } from '../../../../shared/contracts/catalog.js';
import type { EventCreated, EventIntake } from '../../../../shared/contracts/events.js';
import { findDuplicates } from '../../../../shared/domain/duplicates.js';
import { toWgs84 } from '../../../../shared/domain/coords.js';
import { requestHash } from './request-hash.js';
import { ApiHttpError } from '../../http/errors.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import type { RegionLocator } from '../geo/locator.js';
import type { MicroGridChain, RegionsRepo } from '../regions/regions.repo.js';
import type { EventsRepo, NewAssignment } from './events.repo.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import { chainedDue, NO_STEP, startStep } from './case-clock.js';
import type { CaseChanges, CaseWriter } from './case-writer.js';
import { eventView, inScope, seesPersonalData } from './event-view.js';
import { checkMadeAt, limitsOf, personOf, type Actor, type CatalogLookup, type SettingsLookup, type WorkflowService } from './workflow.service.js';

export interface IntakeResult {
  created: EventCreated;
  /** True when an Idempotency-Key matched an earlier request: nothing new was stored. */
  replayed: boolean;
}

/** What intake reads of the catalog: the active version, and where a code not in it belongs. */
export interface IntakeCatalog extends CatalogLookup {
  active(): { version: number };
  activeItem(code: string): CatalogItem | null;
  referral(code: string): Referral | null;
  lastVersionWith(code: string): { version: number; item: CatalogItem } | null;
}

export interface EventsServiceDeps {
  events: EventsRepo;
  writer: CaseWriter;
  regions: RegionsRepo;
  catalog: IntakeCatalog;
  settings: SettingsLookup;
  workflow: WorkflowService;
  locator: RegionLocator;
  chains: Map<string, MicroGridChain>;
  clock: Clock;
  /** Refusals are audited here; successes by the writer, with the case. */
  audit: AuditRepo;
}

/**
 * The channel an intake came through, when the source alone does not say it (Open311 and the
 * resident page are both `citizen_app`): named in the intake's timeline details, with the
 * channel's own rows (a tracking token) written in the intake's transaction.
 */
export interface IntakeVia {
  channel: string;
  /** The channel's own facts (its id, a camera and confidence, a hotline case number), recorded with `channel` in the intake's timeline details. */
  details?: Readonly<Record<string, string | number | boolean>>;
  /** The channel's own rows, written in the intake's transaction (may await the store). */
  within?: (eventId: string, at: Date) => void | Promise<void>;
  /**
   * 市级交办: the city's assignment, stored with the case before its first change; its `dueAt`
   * is the case's closing deadline. Only for an item of the active catalog (422 `unknown_item`).
   */
  assignment?: Omit<NewAssignment, 'eventId' | 'at' | 'reported'>;
  /** The towns the place must lie in (a county a case is assigned to), checked before anything is written: 422 `outside_county` naming it. */
  inside?: { towns: ReadonlySet<string>; name: string };
}

/** Item codes as the catalog writes them; anything else is a malformed request, not a matter to record. */
const ITEM_CODE = /^[A-Z][0-9A-Z]{1,15}$/;

/** Duplicate candidates a new case records at most, nearest first. */
const MAX_DUPLICATE_CANDIDATES = 20;

/** Who receives a matter that no catalog version knows: the command center sorts it out by hand. */
export const MANUAL_TRIAGE_BODY = '县社会治理综合指挥中心（人工甄别）';

interface Place {
  lon: number;
  lat: number;
  addressCode: string | null;
  address: string;
  chain: MicroGridChain;
}

export class EventsService {
  constructor(private readonly deps: EventsServiceDeps) {}

  /**
   * The one intake for every source: resolve the place, then, in one transaction, store the
   * case and its first change: admitted (with its step clock, closing deadline and duplicate
   * candidates, then machine dispatch or self-handling) or not admitted (with the reason and
   * the receiving body); then announce it (the case writer does both). An Idempotency-Key makes
   * a retry return the first answer and store nothing.
   */
  async intake(input: EventIntake, idempotencyKey: string | null, actor: Actor, via: IntakeVia | null = null): Promise<IntakeResult> {
    const { work, answer } = await this.intakeWork(input, idempotencyKey, actor, via);
    return answer(await this.deps.writer.write(work));
  }

  /**
   * `intake` in a group commit: intakes that arrive together share one transaction and one
   * fsync (db/group-commit.ts). Checks that refuse before anything is written (and audit the
   * refusal) run at once, as in `intake`; the promise settles once the case is durable.
   */
  async intakeGrouped(input: EventIntake, idempotencyKey: string | null, actor: Actor, via: IntakeVia | null = null): Promise<IntakeResult> {
    const { work, answer } = await this.intakeWork(input, idempotencyKey, actor, via);
    return answer(await this.deps.writer.writeGrouped(work));
  }

  /** The checks of an intake made before anything is written, then its unit of work and how its result is answered. */
  private async intakeWork(
    input: EventIntake,
    idempotencyKey: string | null,
    actor: Actor,
    via: IntakeVia | null,
  ): Promise<{ work: (changes: CaseChanges) => Promise<{ created: EventCreated; replayed: boolean }>; answer: (result: { created: EventCreated; replayed: boolean }) => IntakeResult }> {
    const { events, clock, audit } = this.deps;
    if (input.selfHandled && input.result === undefined) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'result', code: 'required' }]);
    }
    if (!input.selfHandled && input.result !== undefined) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'result', code: 'self_handled_only' }]);
    }
    if (!ITEM_CODE.test(input.itemCode)) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'itemCode', code: 'bad_format' }]);
    }
    // an assignment's own fields (its county, deadline, note) are part of what a key stands for
    const hash = requestHash(via?.assignment ? { input, assignment: via.assignment } : input);
    const actorFields = { ...who(actor.principal), ...actor.ctx };
    // 自行处置 records a case as closed on one person's word: a grid worker there in person
    // (case:self-handle), never a program holding an API key.
    if (input.selfHandled && (actor.principal.apiKey || !rolesAllow(actor.principal.user.roles, 'case:self-handle'))) {
      await audit.record({ ...actorFields, action: 'event:create', result: 'denied', reason: 'self_handle_forbidden', details: { itemCode: input.itemCode, source: input.source } });
      throw new ApiHttpError(403, 'forbidden', 'error.self_handle_forbidden', [{ field: 'selfHandled', code: 'self_handle_forbidden' }], {}, { permission: 'case:self-handle' });
    }
    // The place is static data: resolve it first, so an out-of-scope report is refused (and
    // audited) before anything is written.
    const place = await this.resolvePlace(input.location);
    if (via?.inside && !via.inside.towns.has(place.chain.townId)) {
      throw new ApiHttpError(422, 'outside_county', 'error.outside_named_county', [{ field: 'location', code: 'outside_county' }], { county: via.inside.name, lon: place.lon, lat: place.lat });
    }
    if (!inScope(actor.principal.user.scope, place.chain.townId)) {
      await audit.record({ ...actorFields, action: 'event:create', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: place.chain.townId });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'location', code: 'out_of_scope' }], { what: place.chain.townId });
    }
    const full = seesPersonalData(actor.principal.user.roles);

    const work = async (changes: CaseChanges): Promise<{ created: EventCreated; replayed: boolean }> => {
      if (idempotencyKey) {
        const earlier = await events.idempotencyKey(idempotencyKey);
        if (earlier) {
          if (earlier.requestHash !== hash) {
            throw new ApiHttpError(422, 'idempotency_conflict', 'error.idempotency_conflict', [], { key: idempotencyKey });
          }
          const event = (await events.get(earlier.eventId))!;
          return { created: toCreated(eventView(event, full)), replayed: true };
        }
      }
      const now = clock.now();
      checkMadeAt(input.madeAt, now);
      const id = await events.nextId(chinaDay(now));
      // photos are recorded under their stored (sanitised) names, never the names the client sends
      const attachments = await changes.attachments(input.attachments, actor.principal.user.id, id);
      const named = input.attachments === undefined ? input : { ...input, attachments };
      if (this.deps.catalog.activeItem(input.itemCode)) await this.admit(changes, id, named, place, now, actor, via);
      else await this.notAdmit(changes, id, named, place, now, actor, via);
      await via?.within?.(id, now);
      if (idempotencyKey) await events.saveIdempotencyKey(idempotencyKey, hash, id, now.toISOString());
      return { created: toCreated(changes.written.at(-1)!.event), replayed: false };
    };
    const answer = (result: { created: EventCreated; replayed: boolean }): IntakeResult =>
      result.replayed ? result : { created: toCreated(eventView(result.created.event, full)), replayed: false };
    return { work, answer };
  }

  /** An admitted case: reported (its file step running), then self-handled or machine-dispatched when that applies. */
  private async admit(changes: CaseChanges, id: string, input: EventIntake, place: Place, now: Date, actor: Actor, via: IntakeVia | null): Promise<void> {
    const { events, catalog, settings, workflow } = this.deps;
    const item = catalog.activeItem(input.itemCode)!;
    if (!item.urgencies.includes(input.urgency)) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'urgency', code: 'not_allowed', params: { allowed: item.urgencies.join(', ') } }]);
    }
    if (input.selfHandled && !item.selfHandle) {
      throw new ApiHttpError(422, 'self_handle_not_allowed', 'error.self_handle_not_allowed', [{ field: 'selfHandled', code: 'self_handle_not_allowed' }], {
        item: item.name,
        itemCode: item.code,
      });
    }
    const cfg = await settings.workflow();
    const at = now.toISOString();
    const limits = limitsOf(item, input);
    const since = new Date(now.getTime() - cfg.duplicates.windowHours * 3_600_000).toISOString();
    const probe = { itemCode: item.code, lon: place.lon, lat: place.lat, addressCode: place.addressCode, microGridId: place.chain.microGridId, reportedAt: at };
    const nearby = await events.openOfItemSince(item.code, since, { ...probe, radiusMeters: cfg.duplicates.radiusMeters });
    // the nearest few: a dispatcher compares a handful, and a case does not carry hundreds of ids
    const duplicates = findDuplicates(probe, nearby, cfg.duplicates).slice(0, MAX_DUPLICATE_CANDIDATES);
    await changes.insert({
      ...this.row(id, input, place, at, actor),
      itemName: item.name,
      category: item.category,
      catalogVersion: catalog.active().version,
      status: 'reported',
      ...startStep('file', now, limits, cfg),
      // a city's deadline binds the county whatever the catalog allows; the steps keep their own limits
      dueAt: via?.assignment?.dueAt ?? chainedDue(now, limits, ['file', 'dispatch', 'handle', 'verify'], cfg),
      refusal: null,
      duplicateCandidates: duplicates,
    });
    if (via?.assignment) await changes.assign({ ...via.assignment, eventId: id, at });
    const person = personOf(actor.principal, 'events:create');
    const reported = await changes.append(id, 'reported', at, {
        action: 'intake',
        from: null,
        to: 'reported',
        actor: person,
        teamId: null,
        auto: false,
        note: null,
        position: null,
        attachments: input.attachments ?? [],
      details: { source: input.source, ...channelOf(via), urgency: input.urgency, duplicateCandidates: duplicates, ...madeAtOf(input) },
    });
    if (input.selfHandled) {
      // 自行处置: the grid worker who reports it fixed it on the spot; the case closes at once.
      await changes.update(
        id,
        { ...NO_STEP, status: 'closed', selfHandled: true, handlerUserId: actor.principal.user.id, filedAt: at, dispatchedAt: at, handledAt: at, closedAt: at, result: input.result! },
        at,
      );
      await changes.append(id, 'self-handled', at, {
        action: 'self-handled',
        from: 'reported',
        to: 'closed',
        actor: person,
        teamId: actor.principal.user.teamId,
        auto: false,
        note: null,
        position: null,
        attachments: [],
        details: { result: input.result, ...madeAtOf(input) },
      });
    } else {
      await workflow.autoDispatch(changes, reported.event, item, now);
    }
    await changes.audit({
      ...who(actor.principal),
      ...actor.ctx,
      action: 'event:create',
      result: 'success',
      objectType: 'event',
      objectId: id,
      details: {
        itemCode: item.code,
        source: input.source,
        urgency: input.urgency,
        ...(input.selfHandled ? { selfHandled: true } : {}),
        ...(duplicates.length > 0 ? { duplicateCandidates: duplicates } : {}),
        ...madeAtOf(input),
      },
    });
  }

  /**
   * Not admitted (不予受理): the item is not in the active catalog. The case is still recorded,
   * with the reason and the body it belongs to, so nothing reported is silently dropped.
   */
  private async notAdmit(changes: CaseChanges, id: string, input: EventIntake, place: Place, now: Date, actor: Actor, via: IntakeVia | null): Promise<void> {
    const { catalog } = this.deps;
    if (via?.assignment) {
      throw new ApiHttpError(422, 'unknown_item', 'error.unknown_item', [{ field: 'itemCode', code: 'unknown_item' }], { itemCode: input.itemCode });
    }
    const at = now.toISOString();
    const referral = catalog.referral(input.itemCode);
    const retired = referral ? null : catalog.lastVersionWith(input.itemCode);
    const refusal = referral
      ? { reason: 'referred', receivingBody: referral.receivingBody }
      : retired
        ? { reason: 'retired_item', receivingBody: retired.item.department }
        : { reason: 'unknown_item', receivingBody: MANUAL_TRIAGE_BODY };
    await changes.insert({
      ...this.row(id, input, place, at, actor),
      itemName: referral?.name ?? retired?.item.name ?? input.itemCode,
      category: 'not_admitted',
      catalogVersion: catalog.active().version,
      status: 'not_admitted',
      step: null,
      stepStartedAt: null,
      warnAt: null,
      deadlineAt: null,
      dueAt: null,
      refusal,
      duplicateCandidates: [],
    });
    await changes.append(id, 'not-admitted', at, {
      action: 'not-admitted',
      from: null,
      to: 'not_admitted',
      actor: personOf(actor.principal, 'events:create'),
      teamId: null,
      auto: false,
      note: null,
      position: null,
      attachments: input.attachments ?? [],
      details: { ...refusal, itemCode: input.itemCode, source: input.source, ...channelOf(via), ...madeAtOf(input) },
    });
    await changes.audit({
      ...who(actor.principal),
      ...actor.ctx,
      action: 'event:create',
      result: 'success',
      objectType: 'event',
      objectId: id,
      details: { itemCode: input.itemCode, source: input.source, urgency: input.urgency, notAdmitted: refusal, ...madeAtOf(input) },
    });
  }

  private row(id: string, input: EventIntake, place: Place, at: string, actor: Actor) {
    return {
      id,
      itemCode: input.itemCode,
      description: input.description,
      source: input.source,
      urgency: input.urgency,
      lon: place.lon,
      lat: place.lat,
      addressCode: place.addressCode,
      address: place.address,
      microGridId: place.chain.microGridId,
      gridId: place.chain.gridId,
      villageId: place.chain.villageId,
      townId: place.chain.townId,
      reporterName: input.reporter.name,
      reporterPhone: input.reporter.phone ?? '',
      reporterUserId: actor.principal.user.id,
      at,
    };
  }

  private async resolvePlace(location: EventIntake['location']): Promise<Place> {
    const { regions, locator, chains } = this.deps;
    if ('addressCode' in location) {
      const household = await regions.household(location.addressCode);
      if (!household) {
        throw new ApiHttpError(422, 'unknown_address', 'error.unknown_address', [{ field: 'location.addressCode', code: 'unknown_address' }], {
          addressCode: location.addressCode,
        });
      }
      const chain = chains.get(household.microGridId)!;
      return { lon: household.lon, lat: household.lat, addressCode: household.addressCode, address: household.address, chain };
    }
    // A phone's GCJ-02 point is converted first: everything is located and stored in WGS84.
    const { lon, lat } = toWgs84(location.lon, location.lat, location.crs ?? 'wgs84');
    const region = locator.locate(lon, lat);
    const chain = region ? chains.get(region.id) : undefined;
    if (!chain) {
      throw new ApiHttpError(422, 'outside_county', 'error.outside_county', [{ field: 'location', code: 'outside_county' }], { lon, lat });
    }
    return { lon, lat, addressCode: null, address: chain.path, chain };
  }
}

/**
 * When a report made on a phone that was offline was made there: recorded beside the time it was
 * received, which alone starts the case's clocks (`reportedAt`, the filing step, the deadlines).
 */
function madeAtOf(input: Pick<EventIntake, 'madeAt'>): { madeAt?: string } {
  return input.madeAt === undefined ? {} : { madeAt: input.madeAt };
}

function channelOf(via: IntakeVia | null): Record<string, string | number | boolean> {
  return via === null ? {} : { ...via.details, channel: via.channel };
}

function toCreated(event: EventCreated['event']): EventCreated {
  return {
    id: event.id,
    seq: event.seq,
    status: event.status,
    microGridId: event.microGridId,
    gridId: event.gridId,
    villageId: event.villageId,
    townId: event.townId,
    event,
  };
}
