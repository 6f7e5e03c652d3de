import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { eventIntakeSchema, eventListQuerySchema, type EventListResponse } from '../../../../shared/contracts/events.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { EventsRepo } from './events.repo.js';
import type { EventsService } from './events.service.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { eventView, inScope, scopeTowns, seesPersonalData } from './event-view.js';

const idParams = z.object({ id: z.string().regex(/^EV\d{12}$/) }).strict();
const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/);

export function registerEventRoutes(app: FastifyInstance, deps: { service: EventsService; repo: EventsRepo; audit: AuditRepo }): void {
  app.get(
    '/api/v1/events',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: 'List events (newest first), filtered and paginated; only the towns of the caller\'s scope',
        querystring: jsonSchema(eventListQuerySchema),
      },
    },
    async (req): Promise<EventListResponse> => {
      const query = parseOr400(eventListQuerySchema, req.query, 'query');
      const { user } = req.principal!;
      if (query.town && !inScope(user.scope, query.town)) {
        deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: query.town });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: query.town });
      }
      // Read the high-water mark first: a client that replays from it may see a change twice
      // (and drop it by seq), but never misses one.
      const seq = deps.repo.lastSeq();
      const { items, total } = deps.repo.list(query, scopeTowns(user.scope));
      const full = seesPersonalData(user.roles);
      return { items: items.map((e) => eventView(e, full)), total, page: query.page, pageSize: query.pageSize, seq };
    },
  );

  app.get(
    '/api/v1/events/:id',
    { config: { access: { permission: 'events:read' } }, schema: { tags: ['events'], summary: 'One event', params: jsonSchema(idParams) } },
    async (req) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const event = deps.repo.get(id);
      if (!event) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
      const { user } = req.principal!;
      if (!inScope(user.scope, event.townId)) {
        deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'event', objectId: id });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
      }
      return eventView(event, seesPersonalData(user.roles));
    },
  );

  app.post(
    '/api/v1/events',
    {
      config: { access: { permission: 'events:create' } },
      schema: {
        tags: ['events'],
        summary: 'Report an event: the one intake for every source',
        description:
          'Finds the micro-grid, grid, village and town of the location, stores the case with a global gap-free sequence number and pushes `event:changed`. With an `Idempotency-Key` header a retry returns the same event and stores nothing. 400 names each bad field; 422 when the place is outside the county or the address is unknown.',
        body: jsonSchema(eventIntakeSchema),
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 128 } } },
      },
    },
    async (req, reply) => {
      const rawKey = req.headers['idempotency-key'];
      let key: string | null = null;
      if (rawKey !== undefined) {
        const parsed = idempotencyKeySchema.safeParse(rawKey);
        if (!parsed.success) {
          throw new ApiHttpError(400, 'invalid_body', 'error.bad_idempotency_key', [{ field: 'Idempotency-Key', code: 'bad_format' }]);
        }
        key = parsed.data;
      }
      const body = parseOr400(eventIntakeSchema, req.body, 'body');
      const { created, replayed } = deps.service.intake(body, key, { principal: req.principal!, ctx: requestContext(req) });
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.status(201).header('Location', `/api/v1/events/${created.id}`).send(created);
    },
  );
}
