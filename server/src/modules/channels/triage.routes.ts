import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { triageDismissSchema, triageIdSchema, triageListQuerySchema, triageResolveSchema, type TriageItem, type TriageListResponse } from '../../../../shared/contracts/channels.js';
import type { EventCreated } from '../../../../shared/contracts/events.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { Actor } from '../events/workflow.service.js';
import type { TriageCaseBuilder, TriageQueue } from './triage-queue.js';

const idParams = z.object({ id: triageIdSchema }).strict();

/**
 * The triage queue (待人工甄别) for the command room: dispatchers, duty officers and shift leads
 * (`case:file`), in their towns; county users also see reports not yet placed in any town.
 */
export function registerTriageRoutes(app: FastifyInstance, deps: { triage: TriageQueue; builder: TriageCaseBuilder }): void {
  const actorOf = (req: FastifyRequest): Actor => ({ principal: req.principal!, ctx: requestContext(req) });

  app.get(
    '/api/v1/triage',
    {
      config: { access: { permission: 'case:file' } },
      schema: {
        tags: ['events'],
        summary: 'The triage queue: channel reports waiting for a person to choose their item or place',
        description:
          'Pending items oldest first (`status=resolved|dismissed` for decided ones, newest first), with the reasons (`item_uncertain` with the classifier\'s suggestions and their words, `address_unresolved`). ' +
          'Changes are pushed as `triage:changed { id, channel, status, townId, eventId }`: refetch on it.',
        querystring: jsonSchema(triageListQuerySchema),
      },
    },
    async (req): Promise<TriageListResponse> => {
      const query = parseOr400(triageListQuerySchema, req.query, 'query');
      const { user } = req.principal!;
      return deps.triage.list(user.scope, user.roles, query.status, query.limit);
    },
  );

  app.get(
    '/api/v1/triage/:id',
    { config: { access: { permission: 'case:file' } }, schema: { tags: ['events'], summary: 'One triage item', params: jsonSchema(idParams) } },
    async (req): Promise<TriageItem> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const actor = actorOf(req);
      return deps.triage.view(await deps.triage.get(id, actor), actor);
    },
  );

  app.post(
    '/api/v1/triage/:id/resolve',
    {
      config: { access: { permission: 'case:file' } },
      schema: {
        tags: ['events'],
        summary: 'Choose the item (and the place, when it was unresolved): the case is created through the one intake',
        description:
          '201 with the answer of `POST /api/v1/events`. `location` is required when the reasons include `address_unresolved` (400 otherwise). An item already resolved or dismissed → 409 `triage_decided`. ' +
          'The case is idempotent on the channel id: the channel\'s retries then answer this case.',
        params: jsonSchema(idParams),
        body: jsonSchema(triageResolveSchema),
      },
    },
    async (req, reply): Promise<EventCreated> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(triageResolveSchema, req.body, 'body');
      const answer = await deps.triage.resolve(id, body, deps.builder, actorOf(req));
      if (answer.kind !== 'created') throw new Error('a resolved triage item answers its case');
      return reply.status(201).header('Location', `/api/v1/events/${answer.created.id}`).send(answer.created);
    },
  );

  app.post(
    '/api/v1/triage/:id/dismiss',
    {
      config: { access: { permission: 'case:file' } },
      schema: { tags: ['events'], summary: 'Dismiss a queued report with the reason (a repeat call, a test): kept and audited', params: jsonSchema(idParams), body: jsonSchema(triageDismissSchema) },
    },
    async (req): Promise<TriageItem> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const { reason } = parseOr400(triageDismissSchema, req.body, 'body');
      return deps.triage.dismiss(id, reason, actorOf(req));
    },
  );
}
