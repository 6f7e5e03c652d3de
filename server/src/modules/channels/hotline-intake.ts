import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import { hotlineCaseSchema, type HotlineCase, type HotlineCategoryMapping, type TriageReason, type TriageResolve } from '../../../../shared/contracts/channels.js';
import type { EventCreated, EventIntake, Urgency } from '../../../../shared/contracts/events.js';
import { ApiHttpError, zodFields } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import { seesPersonalData } from '../events/event-view.js';
import type { EventsRepo } from '../events/events.repo.js';
import { MANUAL_TRIAGE_BODY, type EventsService, type IntakeCatalog } from '../events/events.service.js';
import { requestHash } from '../events/request-hash.js';
import type { Actor } from '../events/workflow.service.js';
import { checkReceipt, createdOf, intakeKeyOf, outsideCounty, type AddressResolver, type ChannelAnswer, type FoundPlace, type ItemSuggester, type PlaceFinder } from './channel-support.js';
import type { ChannelReceipt, ChannelsRepo, StoredTriageItem } from './channels.repo.js';
import type { TriageCaseBuilder, TriageQueue } from './triage-queue.js';

/** How the item of a hotline case was decided. */
export type ItemDecision = { itemCode: string; urgency: Urgency | null; by: 'mapping' | 'classifier'; score: number | null };

/** The place a hotline case lands in, as a dry run reports it. */
export interface HotlinePlace {
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  addressCode: string | null;
  /** `address`: the unified address resolved the text; `location`: the coordinates. */
  by: 'address' | 'location';
}

/**
 * What `HotlineIntake.accept` did with one hotline record (or, in a dry run, would do):
 * - `accepted`: a case of an admitted item (`created` is null in a dry run);
 * - `not_admitted`: recorded as not admitted (不予受理) with the reason and the receiving body;
 * - `queued`: waits in the triage queue for a person (`triageId` null in a dry run);
 * - `invalid`: refused, nothing written; `error` is the HTTP error the REST adapter answers.
 * `replayed`: the channel id was seen before with the same record; nothing was written.
 */
export type HotlineOutcome =
  | { outcome: 'accepted'; item: ItemDecision; place: HotlinePlace; created: EventCreated | null; replayed: boolean }
  | { outcome: 'not_admitted'; item: ItemDecision; place: HotlinePlace; refusal: { reason: string; receivingBody: string }; created: EventCreated | null; replayed: boolean }
  | { outcome: 'queued'; reasons: TriageReason[]; suggestions: ItemSuggestion[]; place: HotlinePlace | null; triageId: string | null; replayed: boolean }
  | { outcome: 'invalid'; error: ApiHttpError };

export interface HotlineAcceptOptions {
  /** Validate, resolve the address and classify, and write nothing. */
  dryRun?: boolean;
}

export interface HotlineIntakeDeps {
  repo: ChannelsRepo;
  events: EventsService;
  eventsRepo: EventsRepo;
  catalog: IntakeCatalog;
  places: PlaceFinder;
  addresses: AddressResolver;
  classifier: ItemSuggester | null;
  triage: TriageQueue;
  audit: AuditRepo;
}

/** Separators hotline platforms write between category levels: `城市管理/占道经营`, `城市管理>占道经营`, `城市管理-占道经营`. */
const CATEGORY_LEVELS = /\s*[/>＞／\\|｜-]\s*/u;

/**
 * The 12345 hotline adapter, without HTTP: `POST /api/v1/intake/hotline` and the hotline bulk
 * import both call `accept`. A record becomes a case through the one intake when its place and
 * item are decided; otherwise it waits in the triage queue. The place: the address text through
 * the unified address, else the coordinates (converted from their `crs`). The item: the mapping
 * table of the hotline's category words (whole text, then its last level), else the classifier
 * when its best suggestion reaches the threshold. Idempotent on `channelId` (the case number).
 */
export class HotlineIntake implements TriageCaseBuilder {
  constructor(private readonly deps: HotlineIntakeDeps) {}

  /** One record (as a program writes it, checked here): the case, the triage item, or why it is refused. */
  async accept(record: unknown, actor: Actor, opts: HotlineAcceptOptions = {}): Promise<HotlineOutcome> {
    try {
      return await this.acceptOrThrow(record, actor, opts);
    } catch (err) {
      if (err instanceof ApiHttpError) return { outcome: 'invalid', error: err };
      throw err;
    }
  }

  /** As `accept`, with a refusal thrown (the REST adapter's error). */
  async acceptOrThrow(record: unknown, actor: Actor, opts: HotlineAcceptOptions = {}): Promise<Exclude<HotlineOutcome, { outcome: 'invalid' }>> {
    const parsed = hotlineCaseSchema.safeParse(record);
    if (!parsed.success) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', zodFields(parsed.error));
    const body = parsed.data;
    const { repo, events, triage, eventsRepo } = this.deps;
    const hash = requestHash(body);
    // a retry answers what the first did before anything else is looked at; one arriving while the
    // first is still on its way is caught where each path writes: the triage queue checks and
    // claims the receipt inside its transaction, the intake is idempotent on the channel id
    const receipt = await repo.receipt('hotline', body.channelId);
    if (receipt) return this.seen(receipt, hash, actor);
    const household = body.address ? await this.deps.addresses.resolve(body.address) : null;
    const householdPlace = household ? await this.deps.places.household(household.code) : null;

    const place = this.placeOf(body, householdPlace);
    const item = await this.itemOf(body);
    const reasons: TriageReason[] = [];
    if (item.decision === null) reasons.push('item_uncertain');
    if (place === null) reasons.push('address_unresolved');
    const placeShown = place ? placeOf(place.found, place.by) : null;
    if (item.decision === null || place === null) {
      if (opts.dryRun) return { outcome: 'queued', reasons, suggestions: item.suggestions, place: placeShown, triageId: null, replayed: false };
      const answer = await triage.queue(
        {
          channel: 'hotline',
          channelId: body.channelId,
          reasons,
          suggestions: item.suggestions,
          body,
          itemText: body.itemText,
          description: body.description,
          address: body.address ?? null,
          caller: { name: body.caller.name ?? null, phone: body.caller.phone ?? null },
          location: place ? { lon: place.found.lon, lat: place.found.lat } : null,
          addressCode: place?.found.addressCode ?? null,
          townId: place?.found.chain.townId ?? null,
          reporterId: actor.principal.user.id,
        },
        hash,
        actor,
      );
      if ('seen' in answer) return this.seen(answer.seen, hash, actor);
      return { outcome: 'queued', reasons, suggestions: item.suggestions, place: placeShown, triageId: answer.queued.triageId, replayed: false };
    }

    const decision = item.decision;
    const input = this.intake(body, decision.itemCode, decision.urgency, place.found.addressCode ? { addressCode: place.found.addressCode } : { lon: place.found.lon, lat: place.found.lat });
    const admitted = this.deps.catalog.activeItem(decision.itemCode) !== null;
    if (opts.dryRun) {
      return admitted
        ? { outcome: 'accepted', item: decision, place: placeShown!, created: null, replayed: false }
        : { outcome: 'not_admitted', item: decision, place: placeShown!, refusal: this.refusalOf(decision.itemCode), created: null, replayed: false };
    }
    const { created, replayed } = await events.intake(input, intakeKeyOf('hotline', body.channelId), actor, {
      channel: 'hotline',
      details: {
        channelId: body.channelId,
        itemText: body.itemText,
        itemBy: decision.by,
        ...(decision.score === null ? {} : { itemScore: Math.round(decision.score * 100) / 100 }),
        ...(body.caller.phone ? { caller: body.caller.phone } : {}),
        ...(place.by === 'address' && body.address ? { channelAddress: body.address } : {}),
        ...(body.receivedAt ? { receivedAt: body.receivedAt } : {}),
      },
      within: (eventId, at) => repo.saveReceipt({ channel: 'hotline', channelId: body.channelId, requestHash: hash, eventId, triageId: null }, at.toISOString()),
    });
    const event = await eventsRepo.get(created.id);
    if (created.status === 'not_admitted') {
      return { outcome: 'not_admitted', item: decision, place: placeShown!, refusal: event?.refusal ?? this.refusalOf(decision.itemCode), created, replayed };
    }
    return { outcome: 'accepted', item: decision, place: placeShown!, created, replayed };
  }

  /** What the REST adapter answers: the case (201), or the triage item (202; a retry of one since resolved answers its case). */
  async answer(outcome: Exclude<HotlineOutcome, { outcome: 'invalid' }>, actor: Actor): Promise<ChannelAnswer> {
    if (outcome.outcome !== 'queued') return { kind: 'created', created: outcome.created!, replayed: outcome.replayed };
    if (outcome.triageId === null) throw new Error('a dry run has no answer');
    if (outcome.replayed) return this.deps.triage.replay(outcome.triageId, seesPersonalData(actor.principal.user.roles), (id) => this.deps.eventsRepo.get(id));
    return { kind: 'queued', queued: { triageId: outcome.triageId, status: 'pending', reasons: outcome.reasons }, replayed: false };
  }

  /** The intake of a triage item a person decided: its stored record, with the chosen item and place. */
  async intakeOf(item: StoredTriageItem, choice: TriageResolve): Promise<EventIntake> {
    const body = hotlineCaseSchema.parse(item.body);
    const location: EventIntake['location'] = choice.location ?? (item.addressCode ? { addressCode: item.addressCode } : { lon: item.location!.lon, lat: item.location!.lat });
    const mapped = await this.mappingOf(body.itemText);
    const urgency = choice.urgency ?? (mapped?.itemCode === choice.itemCode ? mapped.urgency : null);
    return this.intake(body, choice.itemCode, urgency, location);
  }

  private intake(body: HotlineCase, itemCode: string, urgency: Urgency | null, location: EventIntake['location']): EventIntake {
    const item = this.deps.catalog.activeItem(itemCode);
    const chosen = body.urgency ?? urgency ?? item?.defaultUrgency ?? 'P2';
    return {
      itemCode,
      description: body.description,
      location,
      source: 'hotline_12345',
      // the hotline's own urgency when the item allows it; else the item's default
      urgency: item && !item.urgencies.includes(chosen) ? item.defaultUrgency : chosen,
      reporter: { name: body.caller.name ?? '12345来电人', ...(body.caller.phone ? { phone: body.caller.phone } : {}) },
    };
  }

  /** A channel id seen before: the same record answers what the first did; another → 422 `idempotency_conflict`. */
  private seen(receipt: ChannelReceipt, hash: string, actor: Actor): Promise<Exclude<HotlineOutcome, { outcome: 'invalid' }>> {
    checkReceipt(receipt, hash);
    return this.replayed(receipt.eventId, receipt.triageId, actor);
  }

  private async replayed(eventId: string | null, triageId: string | null, actor: Actor): Promise<Exclude<HotlineOutcome, { outcome: 'invalid' }>> {
    const { eventsRepo, repo } = this.deps;
    const event = eventId ? await eventsRepo.get(eventId) : null;
    if (event) {
      const c = createdOf(event, seesPersonalData(actor.principal.user.roles));
      const decision: ItemDecision = { itemCode: event.itemCode, urgency: event.urgency, by: 'mapping', score: null };
      const place: HotlinePlace = { microGridId: event.microGridId, gridId: event.gridId, villageId: event.villageId, townId: event.townId, addressCode: event.addressCode, by: event.addressCode ? 'address' : 'location' };
      return event.status === 'not_admitted'
        ? { outcome: 'not_admitted', item: decision, place, refusal: event.refusal!, created: c, replayed: true }
        : { outcome: 'accepted', item: decision, place, created: c, replayed: true };
    }
    const item = (await repo.triage(triageId!))!;
    return { outcome: 'queued', reasons: item.reasons, suggestions: item.suggestions, place: null, triageId: item.id, replayed: true };
  }

  /**
   * The place: the unified address named by the text, else the coordinates. Coordinates outside
   * the county are refused (the intake's 422 `outside_county`) unless the address placed it; a
   * record with neither resolved waits for a person.
   */
  private placeOf(body: HotlineCase, household: FoundPlace | null): { found: FoundPlace; by: 'address' | 'location' } | null {
    const { places } = this.deps;
    if (household) return { found: household, by: 'address' };
    if (body.location) {
      const found = places.point(body.location.lon, body.location.lat, body.location.crs);
      if (!found) throw outsideCounty('location', body.location);
      return { found, by: 'location' };
    }
    return null;
  }

  /** The item: the mapping table first (a person set it), then a confident classifier; the suggestions go with it either way. */
  private async itemOf(body: HotlineCase): Promise<{ decision: ItemDecision | null; suggestions: ItemSuggestion[] }> {
    const { classifier, catalog } = this.deps;
    const suggestions = classifier ? classifier.suggest(`${body.itemText}\n${body.description}`) : [];
    const mapped = await this.mappingOf(body.itemText);
    if (mapped) {
      const item = catalog.activeItem(mapped.itemCode);
      const first: ItemSuggestion = { itemCode: mapped.itemCode, itemName: item?.name ?? mapped.itemCode, category: item?.category ?? 'not_admitted', score: 1, words: [body.itemText] };
      return { decision: { itemCode: mapped.itemCode, urgency: mapped.urgency, by: 'mapping', score: null }, suggestions: [first, ...suggestions.filter((s) => s.itemCode !== mapped.itemCode)].slice(0, 3) };
    }
    const best = suggestions[0];
    if (classifier && best && best.score >= classifier.threshold) {
      return { decision: { itemCode: best.itemCode, urgency: null, by: 'classifier', score: best.score }, suggestions };
    }
    return { decision: null, suggestions };
  }

  private async mappingOf(itemText: string): Promise<HotlineCategoryMapping | null> {
    const { repo } = this.deps;
    const whole = await repo.hotlineMapping(itemText.trim());
    if (whole) return whole;
    const last = itemText.split(CATEGORY_LEVELS).filter(Boolean).at(-1);
    return last && last !== itemText ? repo.hotlineMapping(last) : null;
  }

  /** Where a code not in the active catalog goes, as the intake would record it (for a dry run's report). */
  private refusalOf(code: string): { reason: string; receivingBody: string } {
    const { catalog } = this.deps;
    const referral = catalog.referral(code);
    if (referral) return { reason: 'referred', receivingBody: referral.receivingBody };
    const retired = catalog.lastVersionWith(code);
    if (retired) return { reason: 'retired_item', receivingBody: retired.item.department };
    return { reason: 'unknown_item', receivingBody: MANUAL_TRIAGE_BODY };
  }

  /** Audits a refusal of the REST adapter (the bulk import reports its own). */
  async auditRefusal(err: ApiHttpError, record: unknown, actor: Actor): Promise<void> {
    const channelId = typeof record === 'object' && record !== null && typeof (record as { channelId?: unknown }).channelId === 'string' ? (record as { channelId: string }).channelId : null;
    await this.deps.audit.record({ ...who(actor.principal), ...actor.ctx, action: 'event:create', result: 'failure', reason: err.code, details: { channel: 'hotline', channelId, fields: err.fields.map((f) => `${f.field}:${f.code}`) } });
  }
}

function placeOf(found: FoundPlace, by: 'address' | 'location'): HotlinePlace {
  const { microGridId, gridId, villageId, townId } = found.chain;
  return { microGridId, gridId, villageId, townId, addressCode: found.addressCode, by };
}
