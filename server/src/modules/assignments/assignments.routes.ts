import type { FastifyInstance } from 'fastify';
import { assignmentListQuerySchema, assignmentRequestSchema, type AssignmentListResponse } from '../../../../shared/contracts/assignments.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { AssignmentsService } from './assignments.service.js';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;

export function registerAssignmentRoutes(app: FastifyInstance, deps: { assignments: AssignmentsService }): void {
  app.post(
    '/api/v1/assignments',
    {
      config: { access: { permission: 'case:assign_down' } },
      schema: {
        tags: ['events'],
        summary: '市级交办: assign a case down to a county, with the city\'s deadline',
        description:
          'For a user whose scope holds the county\'s city (the whole platform of a city or province, or a city granted as an area): 403 `not_city_scope` for a county\'s or a town\'s user, 409 `no_city_level` on a county server. ' +
          'The case enters through the one intake (source `department`, details naming the city and the user) in the town of `location` (a point or `addressCode`), which must lie in `countyId` (422 `outside_county`); ' +
          'its item must be in the active catalog (422 `unknown_item`), `urgency` one of the item\'s (default: the item\'s default). ' +
          '`dueAt` (after now, at most 90 days ahead) is the case\'s closing deadline, which no dispatch or county extension moves; the steps keep the catalog\'s limits. ' +
          'The case is pushed as `event:changed` to the county\'s consoles with `event.assignment`; when the county closes it, does not file it, voids or merges it, the outcome is recorded on the assignment and raised to the city as an `assignment_reported` alert. ' +
          'With an `Idempotency-Key` header a retry with the same body returns the same case and stores nothing (`Idempotent-Replayed: true`); the key with another body → 422 `idempotency_conflict`. Every assignment and refusal is audited `event:assign_down`.',
        body: jsonSchema(assignmentRequestSchema),
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 128 } } },
      },
    },
    async (req, reply) => {
      const raw = req.headers['idempotency-key'];
      if (raw !== undefined && (typeof raw !== 'string' || !idempotencyKeyPattern.test(raw))) {
        throw new ApiHttpError(400, 'invalid_body', 'error.bad_idempotency_key', [{ field: 'Idempotency-Key', code: 'bad_format' }]);
      }
      const body = parseOr400(assignmentRequestSchema, req.body, 'body');
      const { created, replayed } = await deps.assignments.assign(body, raw ?? null, { principal: req.principal!, ctx: requestContext(req) });
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.status(201).header('Location', `/api/v1/events/${created.id}`).send(created);
    },
  );

  app.get(
    '/api/v1/assignments',
    {
      config: { access: { permission: 'case:assign_down' } },
      schema: {
        tags: ['events'],
        summary: '市级交办: the caller\'s cities\' assignments, newest first, with status, deadline standing and outcome',
        description:
          '`state` open (no outcome yet), reported or all (default). Each row: the case\'s item, place and state now, the city\'s deadline and `standing` (open, overdue, on_time, late), the outcome once reported; ' +
          '`counties` lists the counties the caller may assign to. 409 `no_city_level` on a county server.',
        querystring: jsonSchema(assignmentListQuerySchema),
      },
    },
    async (req): Promise<AssignmentListResponse> => {
      const query = parseOr400(assignmentListQuerySchema, req.query, 'query');
      return deps.assignments.list(query, req.principal!.user.scope);
    },
  );
}
