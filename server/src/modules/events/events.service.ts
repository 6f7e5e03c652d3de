import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/connection.js';
import type { EventCreated, EventIntake } from '../../../../shared/contracts/events.js';
import { deadlineFrom } from '../../../../shared/domain/time-limit.js';
import { ApiHttpError } from '../../http/errors.js';
import type { ChangeBus } from '../../core/change-bus.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import type { RegionLocator } from '../geo/locator.js';
import type { MicroGridChain, RegionsRepo } from '../regions/regions.repo.js';
import type { EventsRepo } from './events.repo.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import { eventView, inScope, seesPersonalData } from './event-view.js';

export interface IntakeResult {
  created: EventCreated;
  /** True when an Idempotency-Key matched an earlier request: nothing new was stored. */
  replayed: boolean;
}

export interface EventsServiceDeps {
  db: Db;
  events: EventsRepo;
  regions: RegionsRepo;
  catalog: CatalogRepo;
  locator: RegionLocator;
  chains: Map<string, MicroGridChain>;
  bus: ChangeBus;
  clock: Clock;
  audit: AuditRepo;
}

/** Canonical JSON (sorted keys) so that the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class EventsService {
  constructor(private readonly deps: EventsServiceDeps) {}

  /**
   * The one intake for every source: resolve the place, store the case and its first change
   * in one transaction, then announce it. An Idempotency-Key makes a retry return the first
   * answer and store nothing.
   */
  intake(input: EventIntake, idempotencyKey: string | null, actor: { principal: Principal; ctx: RequestContext }): IntakeResult {
    const { db, events, catalog, clock, audit } = this.deps;
    const requestHash = createHash('sha256').update(canonical(input)).digest('hex');
    const actorFields = { ...who(actor.principal), ...actor.ctx };
    // The place is static data: resolve it first, so an out-of-scope report is refused (and
    // audited) before anything is written.
    const place = this.resolvePlace(input.location);
    if (!inScope(actor.principal.user.scope, place.chain.townId)) {
      audit.record({ ...actorFields, action: 'event:create', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: place.chain.townId });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'location', code: 'out_of_scope' }], { what: place.chain.townId });
    }
    const full = seesPersonalData(actor.principal.user.roles);

    const result = inTransaction(db, (): IntakeResult => {
      if (idempotencyKey) {
        const earlier = events.idempotencyKey(idempotencyKey);
        if (earlier) {
          if (earlier.requestHash !== requestHash) {
            throw new ApiHttpError(422, 'idempotency_conflict', 'error.idempotency_conflict', [], { key: idempotencyKey });
          }
          const event = events.get(earlier.eventId)!;
          return { created: toCreated(eventView(event, full)), replayed: true };
        }
      }

      const item = catalog.get(input.itemCode);
      if (!item) {
        throw new ApiHttpError(400, 'unknown_item', 'error.unknown_item', [{ field: 'itemCode', code: 'not_in_catalog' }], {
          itemCode: input.itemCode,
        });
      }
      const now = clock.now();
      const at = now.toISOString();
      const id = events.nextId(chinaDay(now));
      events.insert({
        id,
        itemCode: item.code,
        description: input.description,
        source: input.source,
        urgency: input.urgency,
        status: 'reported',
        lon: place.lon,
        lat: place.lat,
        addressCode: place.addressCode,
        address: place.address,
        microGridId: place.chain.microGridId,
        gridId: place.chain.gridId,
        villageId: place.chain.villageId,
        townId: place.chain.townId,
        reporterName: input.reporter.name,
        reporterPhone: input.reporter.phone,
        at,
        deadlineAt: deadlineFrom(now, item.handleLimit).toISOString(),
      });
      const change = events.appendChange(id, 'reported', at);
      if (idempotencyKey) events.saveIdempotencyKey(idempotencyKey, requestHash, id, at);
      audit.append({ ...actorFields, action: 'event:create', result: 'success', objectType: 'event', objectId: id, details: { itemCode: item.code, source: input.source, urgency: input.urgency } });
      return { created: toCreated(change.event), replayed: false };
    });

    if (result.replayed) return result;
    this.deps.bus.publish({ seq: result.created.seq, event: result.created.event });
    return { ...result, created: toCreated(eventView(result.created.event, full)) };
  }

  private resolvePlace(location: EventIntake['location']) {
    const { regions, locator, chains } = this.deps;
    if ('addressCode' in location) {
      const household = regions.household(location.addressCode);
      if (!household) {
        throw new ApiHttpError(422, 'unknown_address', 'error.unknown_address', [{ field: 'location.addressCode', code: 'unknown_address' }], {
          addressCode: location.addressCode,
        });
      }
      const chain = chains.get(household.microGridId)!;
      return { lon: household.lon, lat: household.lat, addressCode: household.addressCode, address: household.address, chain };
    }
    const region = locator.locate(location.lon, location.lat);
    const chain = region ? chains.get(region.id) : undefined;
    if (!chain) {
      throw new ApiHttpError(422, 'outside_county', 'error.outside_county', [{ field: 'location', code: 'outside_county' }], {
        lon: location.lon,
        lat: location.lat,
      });
    }
    return { lon: location.lon, lat: location.lat, addressCode: null, address: chain.path, chain };
  }
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
