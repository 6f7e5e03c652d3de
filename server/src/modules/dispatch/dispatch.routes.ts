import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { eventIdSchema, type EventRecord } from '../../../../shared/contracts/events.js';
import type { RecommendationsResponse } from '../../../../shared/contracts/workflow.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, seesPersonalData } from '../events/event-view.js';
import { maskedRecommendations, type DispatchRecommender } from './dispatch.service.js';

const idParams = z.object({ id: eventIdSchema }).strict();

export interface DispatchRouteDeps {
  recommender: DispatchRecommender;
  /** The stored case (EventsRepo.get). */
  eventOf: (id: string) => Promise<EventRecord | null>;
  /** The item of the catalog version that governs the case (CatalogRepo.itemOf). */
  itemOf: (version: number, code: string) => CatalogItem | null;
  audit: AuditRepo;
  clock: Clock;
}

/**
 * `GET /api/v1/events/{id}/recommendations`: the ranking is answered for an admitted case in any
 * state (for a closed case it is only informative); whether dispatch is allowed now is the
 * workflow's answer (`allowedActions`), which the console already has. A not-admitted case has
 * no catalog item, so no team type to rank by: 409 `illegal_transition` with its state and no
 * allowed actions.
 */
export function registerDispatchRoutes(app: FastifyInstance, deps: DispatchRouteDeps): void {
  app.get(
    '/api/v1/events/:id/recommendations',
    {
      config: { access: { permission: 'case:dispatch' } },
      schema: {
        tags: ['events'],
        summary: 'Teams ranked for a case (机器派单推荐), with the reasons, and the micro-grid roster to call',
        description:
          'County units, the town\'s and the village\'s teams, ranked: eligible teams (the item\'s team type, not off duty, someone besides the reporter to handle it) first, among them any team that returned the case (`returned_before`) last; reasons carry their points (type, home village/town, "5包1" roster, distance, availability, load). Dispatching a team marked ineligible needs `override.reason` where the rule allows it (off duty, another type) and is refused where it does not (separation of duties). Names and phones of the roster are masked for roles that do not see personal data. 403 outside the caller\'s towns; 409 for a not-admitted case (no item to rank for).',
        params: jsonSchema(idParams),
      },
    },
    async (req): Promise<RecommendationsResponse> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const event = await deps.eventOf(id);
      if (!event) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
      const { user } = req.principal!;
      if (!inScope(user.scope, event.townId)) {
        await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'event', objectId: id });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
      }
      const item = event.status === 'not_admitted' ? null : deps.itemOf(event.catalogVersion, event.itemCode);
      if (!item) {
        throw new ApiHttpError(409, 'illegal_transition', 'error.not_dispatchable', [], { id, status: event.status }, { status: event.status, allowed: [] });
      }
      const res = await deps.recommender.recommend(event, item, deps.clock.now());
      return seesPersonalData(user.roles) ? res : maskedRecommendations(res);
    },
  );
}
