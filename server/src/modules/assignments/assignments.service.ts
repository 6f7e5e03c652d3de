import {
  assignmentStanding,
  MAX_ASSIGNMENT_DAYS,
  type AssignmentListQuery,
  type AssignmentListResponse,
  type AssignmentRequest,
} from '../../../../shared/contracts/assignments.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { EventsService, IntakeResult } from '../events/events.service.js';
import type { Actor } from '../events/workflow.service.js';
import type { IndexedRegion, RegionIndex } from '../regions/region-index.js';

export interface AssignmentsServiceDeps {
  intake: Pick<EventsService, 'intake'>;
  events: Pick<EventsRepo, 'assignments'>;
  catalog: { activeItem(code: string): CatalogItem | null };
  regions: RegionIndex;
  audit: AuditRepo;
  clock: Clock;
}

/**
 * 市级交办: a city assigns a case down to one of its counties, through the one intake (source
 * `department`, in a town of that county, the city's deadline as the case's closing deadline, the
 * assignment stored in the intake's transaction); the county's outcome comes back through the
 * workflow (recorded with the change that finishes the case) and the alerts (to the city).
 *
 * Who may: a user holding `case:assign_down` whose scope holds the county's city — the whole
 * platform of a city or province, or a city (or the province) granted as an area. A county's own
 * dispatchers hold the permission by role but not a city, so they are refused (403
 * `not_city_scope`). A county server has no city: the routes answer 409 `no_city_level`.
 */
export class AssignmentsService {
  constructor(private readonly deps: AssignmentsServiceDeps) {}

  async assign(body: AssignmentRequest, idempotencyKey: string | null, actor: Actor): Promise<IntakeResult> {
    const { regions, audit, clock, catalog } = this.deps;
    const actorFields = { ...who(actor.principal), ...actor.ctx };
    const refuse = async (err: ApiHttpError): Promise<never> => {
      await audit.record({
        ...actorFields,
        action: 'event:assign_down',
        result: err.status === 403 || err.status === 409 ? 'denied' : 'failure',
        reason: err.code,
        objectType: 'region',
        objectId: body.countyId,
        details: { itemCode: body.itemCode, dueAt: body.dueAt },
      });
      throw err;
    };
    const cities = this.citiesOf(actor.principal.user.scope);
    if (cities === null) return refuse(noCityLevel());
    const county = regions.get(body.countyId);
    if (!county || county.level !== 'county') {
      return refuse(new ApiHttpError(422, 'unknown_county', 'error.unknown_county', [{ field: 'countyId', code: 'unknown_county' }], { countyId: body.countyId }));
    }
    const cityId = regions.cityOf(county.id);
    const city = cityId === null ? undefined : cities.find((c) => c.id === cityId);
    if (!city) {
      return refuse(new ApiHttpError(403, 'not_city_scope', 'error.not_city_scope', [{ field: 'countyId', code: 'not_city_scope' }], { county: county.name }));
    }
    const now = clock.now();
    const due = Date.parse(body.dueAt);
    if (due <= now.getTime()) return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'dueAt', code: 'not_in_future' }]));
    if (due > now.getTime() + MAX_ASSIGNMENT_DAYS * 86_400_000) {
      return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'dueAt', code: 'too_far', params: { days: MAX_ASSIGNMENT_DAYS } }]));
    }
    const item = catalog.activeItem(body.itemCode.trim());
    if (!item) return refuse(new ApiHttpError(422, 'unknown_item', 'error.unknown_item', [{ field: 'itemCode', code: 'unknown_item' }], { itemCode: body.itemCode }));
    const urgency = body.urgency ?? item.defaultUrgency;
    const dueAt = new Date(due).toISOString();
    const towns = new Set(regions.townsUnder(county.id));
    const user = actor.principal.user;
    try {
      return await this.deps.intake.intake(
        {
          itemCode: item.code,
          description: body.description,
          location: body.location,
          source: 'department',
          urgency,
          // the city is who reports it: its name and the person who assigned it
          reporter: { name: `${city.name}（${user.displayName}）` },
        },
        idempotencyKey,
        actor,
        {
          channel: 'city_assignment',
          details: { byRegionId: city.id, byRegionName: city.name, countyId: county.id, countyName: county.name, dueAt },
          inside: { towns, name: county.name },
          assignment: {
            byRegionId: city.id,
            byRegionName: city.name,
            countyId: county.id,
            byUserId: user.id,
            byUserName: user.displayName,
            dueAt,
            note: body.note ?? null,
          },
          within: async (eventId, at) => {
            await audit.append({
              ...actorFields,
              action: 'event:assign_down',
              result: 'success',
              objectType: 'event',
              objectId: eventId,
              at,
              details: { byRegionId: city.id, countyId: county.id, itemCode: item.code, urgency, dueAt, note: body.note ?? null },
            });
          },
        },
      );
    } catch (err) {
      if (err instanceof ApiHttpError) return refuse(err);
      throw err;
    }
  }

  /** `GET /api/v1/assignments`: the assignments of the caller's cities, newest first, with their standing now. */
  async list(q: AssignmentListQuery, scope: Scope): Promise<AssignmentListResponse> {
    const { regions, events, clock } = this.deps;
    const cities = this.citiesOf(scope);
    if (cities === null) throw noCityLevel();
    const root = regions.root()!;
    // the whole platform reads every assignment; a city user its cities'
    const { items, total } = await events.assignments(q, scope.kind === 'county' ? null : cities.map((c) => c.id));
    const now = clock.now().getTime();
    return {
      items: items.map((r) => ({
        eventId: r.eventId,
        countyId: r.countyId,
        countyName: r.countyName,
        byRegionId: r.byRegionId,
        byRegionName: r.byRegionName,
        byUser: { userId: r.byUserId, displayName: r.byUserName },
        at: r.at,
        dueAt: r.dueAt,
        note: r.note,
        reportedAt: r.reportedAt,
        outcome: r.outcome,
        itemCode: r.itemCode,
        itemName: r.itemName,
        urgency: r.urgency,
        address: r.address,
        status: r.status,
        standing: assignmentStanding(r, now),
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
      counties: (scope.kind === 'county' ? regions.under(root.id, 'county') : cities.flatMap((c) => regions.under(c.id, 'county'))).map((c) => ({ id: c.id, name: c.name })),
    };
  }

  /**
   * The cities a scope holds: every city of the platform for the whole platform, else the cities
   * among (or under) its granted areas; empty for a county's or a town's user. Null on a county
   * server, which has no city to assign from.
   */
  private citiesOf(scope: Scope): IndexedRegion[] | null {
    const { regions } = this.deps;
    const root = regions.root();
    if (!root || root.level === 'county') return null;
    if (scope.kind === 'county') return regions.under(root.id, 'city');
    const held = new Map<string, IndexedRegion>();
    for (const area of scope.areas) {
      const r = regions.get(area);
      if (r && (r.level === 'city' || r.level === 'province')) for (const c of regions.under(r.id, 'city')) held.set(c.id, c);
    }
    return [...held.values()];
  }
}

function noCityLevel(): ApiHttpError {
  return new ApiHttpError(409, 'no_city_level', 'error.no_city_level', []);
}
