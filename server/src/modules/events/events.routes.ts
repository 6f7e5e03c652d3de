import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { eventIdSchema, eventIntakeSchema, eventListQuerySchema, type EventListResponse, type EventRecord } from '../../../../shared/contracts/events.js';
import { periodIsEmpty } from '../../../../shared/contracts/period.js';
import { ACTIONS, actionRequestSchema, actionSchema, type ActionResult, type TimelineResponse } from '../../../../shared/contracts/workflow.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { EventsRepo } from './events.repo.js';
import type { EventsService } from './events.service.js';
import type { WorkflowService } from './workflow.service.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { eventView, inScope, scopeTowns, seesPersonalData } from './event-view.js';
import type { CountyArea } from '../geo/county-area.js';

const idParams = z.object({ id: eventIdSchema }).strict();
const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/);

/** The Idempotency-Key header, if any (400 when malformed). */
function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw new ApiHttpError(400, 'invalid_body', 'error.bad_idempotency_key', [{ field: 'Idempotency-Key', code: 'bad_format' }]);
  return parsed.data;
}

/**
 * The action of an actions body, checked first: a body whose `action` is missing or unknown
 * gets one clear error naming `action` and the actions there are, not the union's internals.
 */
function checkAction(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: '(body)', code: 'wrong_type' }]);
  }
  const { action } = body as Record<string, unknown>;
  if (!actionSchema.safeParse(action).success) {
    throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [
      { field: 'action', code: action === undefined ? 'required' : 'not_allowed', params: { allowed: ACTIONS.join(', ') } },
    ]);
  }
}

export function registerEventRoutes(
  app: FastifyInstance,
  deps: { service: EventsService; workflow: WorkflowService; repo: EventsRepo; audit: AuditRepo; area: CountyArea },
): void {
  /** The case, if it exists and lies in the caller's scope (a refusal is audited). */
  const readable = async (req: FastifyRequest, id: string): Promise<EventRecord> => {
    const event = await deps.repo.get(id);
    if (!event) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    const { user } = req.principal!;
    if (!inScope(user.scope, event.townId)) {
      await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'event', objectId: id });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
    }
    return event;
  };

  app.get(
    '/api/v1/events',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: 'List events (newest first), filtered and paginated; only the towns of the caller\'s scope',
        description:
          'Filters combine: `status` (comma-separated), `town` (403 `out_of_scope` outside the caller\'s towns), `since`, the report period `[from, to)` (plain days, China time, a day as `to` meaning its end, or instants; 400 naming `to` when it is not after `from`), `item` (item code) and `team` (the team that holds or last held the case). ' +
          '`total` counts every match, for paging.',
        querystring: jsonSchema(eventListQuerySchema),
      },
    },
    async (req): Promise<EventListResponse> => {
      const query = parseOr400(eventListQuerySchema, req.query, 'query');
      if (periodIsEmpty(query)) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
      const { user } = req.principal!;
      if (query.town && !inScope(user.scope, query.town)) {
        await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: query.town });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: query.town });
      }
      // Read the high-water mark first: a client that replays from it may see a change twice
      // (and drop it by seq), but never misses one.
      const seq = await deps.repo.lastSeq();
      const { items, total } = await deps.repo.list(query, scopeTowns(user.scope));
      const full = seesPersonalData(user.roles);
      return { items: items.map((e) => eventView(e, full)), total, page: query.page, pageSize: query.pageSize, seq };
    },
  );

  app.get(
    '/api/v1/events/:id',
    { config: { access: { permission: 'events:read' } }, schema: { tags: ['events'], summary: 'One event', params: jsonSchema(idParams) } },
    async (req) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      return eventView(await readable(req, id), seesPersonalData(req.principal!.user.roles));
    },
  );

  app.get(
    '/api/v1/events/:id/timeline',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: "A case's timeline: every step, who did it in which role, when, where, with notes and attachments",
        description:
          'Entries oldest first, one per change (the same `seq` as the live feed). A merged case also carries its master\'s timeline, so its reporters see the outcome; ' +
          'when the master lies in a town outside the caller\'s scope, only `master: { eventId, withheld: true, townId, status }` (its entries are withheld).',
        params: jsonSchema(idParams),
      },
    },
    async (req): Promise<TimelineResponse> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      return deps.workflow.timeline(await readable(req, id), req.principal!.user.scope);
    },
  );

  app.post(
    '/api/v1/events/:id/actions',
    {
      config: { access: { permission: 'case:act' } },
      schema: {
        tags: ['events'],
        summary: 'Act on a case: file, reject, void, dispatch, accept, return, start, report, verify, rework, close, extensions, supervise, merge',
        description:
          'The body is `{ action, ... }` with the fields of that action, plus optional `note`, `position` and `attachments`. Each action needs its own permission (403 `forbidden` naming it). ' +
          'An action the case\'s state does not allow → 409 `illegal_transition` with `status` and `allowed`; nothing changes. ' +
          'Separation of duties (reporter, handler and verifier are different people) → 403 `separation_of_duties`; a team member acting on another team\'s case → 403 `not_your_team`. ' +
          'Every action is written with its timeline entry and audit record in one transaction and pushed as `event:changed` with `kind` = the action. ' +
          '`attachments` must be photos stored with `POST /api/v1/attachments` by the actor, or already on the case (422 `unknown_attachment` naming the index). ' +
          '`position` must lie in the county or within its margin (422 `outside_county`). ' +
          'With an `Idempotency-Key` header (the field app retries queued actions) a retry with the same body returns the first answer with `Idempotent-Replayed: true` and changes and pushes nothing; the same key with another body, case or user → 422 `idempotency_conflict`.',
        params: jsonSchema(idParams),
        body: jsonSchema(actionRequestSchema),
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 128 } } },
      },
    },
    async (req, reply): Promise<ActionResult> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const key = idempotencyKeyOf(req);
      checkAction(req.body);
      const request = parseOr400(actionRequestSchema, req.body, 'body');
      deps.area.requireInside(request.position, 'position');
      const { result, replayed } = await deps.workflow.actOnce(id, request, { principal: req.principal!, ctx: requestContext(req) }, key);
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return result;
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
          'Finds the micro-grid, grid, village and town of the location, stores the case with a global gap-free sequence number and pushes `event:changed`. ' +
          'An item in the active catalog starts the file step (deadlines on the working calendar), is flagged with duplicate candidates, and is filed and dispatched by the machine when the item says so. ' +
          'An item not in the active catalog is recorded as `not_admitted` (201) with the reason and the receiving body. `selfHandled` with `result` records a case handled on the spot and closes it (422 when the item does not allow it); only a field worker in person may (403 `forbidden` naming `case:self-handle` for API keys and other roles, audited). ' +
          'With an `Idempotency-Key` header a retry returns the same event and stores nothing. 400 names each bad field; 422 when the place is outside the county or the address is unknown.',
        body: jsonSchema(eventIntakeSchema),
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 128 } } },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req);
      const body = parseOr400(eventIntakeSchema, req.body, 'body');
      // grouped: intakes arriving together share one commit; the 201 goes out once this one is durable
      const { created, replayed } = await deps.service.intakeGrouped(body, key, { principal: req.principal!, ctx: requestContext(req) });
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.status(201).header('Location', `/api/v1/events/${created.id}`).send(created);
    },
  );
}
