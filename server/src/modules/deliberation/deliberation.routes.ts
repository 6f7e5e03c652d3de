import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  agendaDraftQuerySchema,
  deliberationListQuerySchema,
  deliberationMeetingRequestSchema,
  deliberationNoticeSchema,
  deliberationParamsSchema,
  deliberationTaskRequestSchema,
  type AgendaDraft,
  type DeliberationListResponse,
  type DeliberationMeetingView,
} from '../../../../shared/contracts/deliberation.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { requestLang } from '../../http/error-handler.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { Actor } from '../events/workflow.service.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { DeliberationService } from './deliberation.service.js';
import { NOT_PUBLISHED_PAGE, renderPublicPage } from './public-page.js';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;
const idempotencyHeader = { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 128 } } } as const;

export interface DeliberationRoutesDeps {
  service: DeliberationService;
  regions: RegionIndex;
  audit: AuditRepo;
  /** Requests a minute one address may make to the public page. */
  publicReadsPerMinute: number;
}

const actorOf = (req: FastifyRequest): Actor => ({ principal: req.principal!, ctx: requestContext(req) });

function keyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw !== undefined && (typeof raw !== 'string' || !idempotencyKeyPattern.test(raw))) {
    throw new ApiHttpError(400, 'invalid_body', 'error.bad_idempotency_key', [{ field: 'Idempotency-Key', code: 'bad_format' }]);
  }
  return raw ?? null;
}

/**
 * The grid deliberation day (网格议事日, issue 16 part 6): `/api/v1/deliberation/…` (OpenAPI tag
 * `deliberation`; read with `workforce:read`, recorded with `workforce:manage`, both within the
 * caller's towns) and the residents' page of a published meeting, `/public/deliberation/{id}`.
 */
export function registerDeliberationRoutes(app: FastifyInstance, deps: DeliberationRoutesDeps): void {
  const { service } = deps;

  app.get(
    '/api/v1/deliberation/agenda-draft',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['deliberation'],
        summary: 'A drafted agenda for a grid\'s deliberation day, from its cases of the 90 days before `asOf`',
        description:
          'Three groups, in this order: hot spots (`hot_spot`: items with ≥3 cases, most first, at most 5), repeat items (`repeat`: the same item at the same unified address, or micro-grid without one, ≥2 times, at most 5), ' +
          'residents\' reports (`resident`: resident page, Open311, 12345 and petitions still open, or closed in the last 14 days; open first, newest first, at most 10). ' +
          'Merged and voided cases are left out. Each point carries `ref` (item code×count, item@place, or the case id) and `eventIds` (the newest cases behind it, at most 5). ' +
          'The grid must lie in the caller\'s towns (403 `out_of_scope`); an unknown grid is a 400 naming `gridId`.',
        querystring: jsonSchema(agendaDraftQuerySchema),
      },
    },
    async (req): Promise<AgendaDraft> => service.agendaDraft(parseOr400(agendaDraftQuerySchema, req.query, 'query'), actorOf(req)),
  );

  app.post(
    '/api/v1/deliberation/meetings',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['deliberation'],
        summary: 'Record a grid\'s deliberation day; each follow-up task becomes a case in the closed loop',
        description:
          '`heldOn` is a day not after today (China time; 400 `day_in_future`). The grid must lie in the caller\'s towns (403 `out_of_scope`). ' +
          'Each task becomes a case through the one intake (source `department`, channel `deliberation`, reporter the grid\'s deliberation day, urgency the item\'s default unless given) at `location` ' +
          '(a point, `addressCode` or `microGridId` inside the grid; default the grid\'s label point): its item must be in the active catalog (422 `unknown_item` naming `tasks[i].itemCode`), a place outside the grid is a 400 `outside_grid` naming `tasks[i].location`. ' +
          'All is checked before anything is written; the meeting, its tasks\' cases and rows are then written in one transaction (nothing half-written). ' +
          'With an `Idempotency-Key` a retry with the same body returns the same meeting and stores nothing (`Idempotent-Replayed: true`); the key with another body → 422 `idempotency_conflict`. Audited `deliberation:create` and `deliberation:task_add` per task.',
        body: jsonSchema(deliberationMeetingRequestSchema),
        headers: idempotencyHeader,
      },
    },
    async (req, reply) => {
      const key = keyOf(req);
      const body = parseOr400(deliberationMeetingRequestSchema, req.body, 'body');
      const { meeting, replayed } = await service.create(body, key, actorOf(req));
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.status(201).header('Location', `/api/v1/deliberation/meetings/${meeting.id}`).send(meeting);
    },
  );

  app.post(
    '/api/v1/deliberation/meetings/:id/tasks',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['deliberation'],
        summary: 'Add a follow-up task to a recorded deliberation day (a case through the one intake)',
        description:
          'As a task of `POST /api/v1/deliberation/meetings` (fields named without the `tasks[i].` prefix); numbered after the meeting\'s last task. The case and the task\'s row are written in one transaction. ' +
          'Answers 201 with the meeting (the new task last); `Location` names the case. `Idempotency-Key` as for a case (per meeting). Audited `deliberation:task_add`.',
        params: jsonSchema(deliberationParamsSchema),
        body: jsonSchema(deliberationTaskRequestSchema),
        headers: idempotencyHeader,
      },
    },
    async (req, reply) => {
      const { id } = parseOr400(deliberationParamsSchema, req.params, 'params');
      const key = keyOf(req);
      const body = parseOr400(deliberationTaskRequestSchema, req.body, 'body');
      const { meeting, eventId, replayed } = await service.addTask(id, body, key, actorOf(req));
      if (replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.status(201).header('Location', `/api/v1/events/${eventId}`).send(meeting);
    },
  );

  app.get(
    '/api/v1/deliberation/meetings',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['deliberation'],
        summary: 'Deliberation days in the caller\'s towns, newest day first, each task\'s case state read live',
        description:
          'Filters: `gridId`, `town` (in the caller\'s scope, else 403 `out_of_scope`), meeting days `from`/`to` (inclusive). Each task carries its case\'s `status`, `dueAt`, `closedAt` and `overdue` now; ' +
          '`summary` counts tasks open, closed (ended) and overdue.',
        querystring: jsonSchema(deliberationListQuerySchema),
      },
    },
    async (req): Promise<DeliberationListResponse> => {
      const q = parseOr400(deliberationListQuerySchema, req.query, 'query');
      const towns = await townsOf(req, q.town, deps);
      return service.list(q, towns, actorOf(req));
    },
  );

  app.get(
    '/api/v1/deliberation/meetings/:id',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: { tags: ['deliberation'], summary: 'One deliberation day, its tasks tracked to closure', params: jsonSchema(deliberationParamsSchema) },
    },
    async (req): Promise<DeliberationMeetingView> => service.get(parseOr400(deliberationParamsSchema, req.params, 'params').id, actorOf(req)),
  );

  app.post(
    '/api/v1/deliberation/meetings/:id/notice',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['deliberation'],
        summary: 'Publish (or replace) the public notice of a deliberation day: its page /public/deliberation/{id} opens to residents',
        description: 'Audited `deliberation:publish`. The public page shows the grid, the day, the agenda titles, the decisions, the notice and each task\'s progress; nothing personal.',
        params: jsonSchema(deliberationParamsSchema),
        body: jsonSchema(deliberationNoticeSchema),
      },
    },
    async (req): Promise<DeliberationMeetingView> => {
      const { id } = parseOr400(deliberationParamsSchema, req.params, 'params');
      const { notice } = parseOr400(deliberationNoticeSchema, req.body, 'body');
      return service.publish(id, notice, actorOf(req));
    },
  );

  // a browser (asking for HTML) is shown a page; any other client the API's error body
  const notFound = (req: FastifyRequest, reply: FastifyReply, id: string) => {
    if (!String(req.headers.accept ?? '').includes('text/html')) {
      return reply.status(404).header('Cache-Control', 'no-store').send(new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id.slice(0, 40) }).toBody(requestLang(req)));
    }
    return reply.status(404).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(NOT_PUBLISHED_PAGE);
  };
  // its own prefix, so that a path the router cannot match (an over-long id) gets this 404 too, not the console's
  void app.register(
    async (scope) => {
      scope.setNotFoundHandler((req, reply) => notFound(req, reply, ''));
      // what the `:id` route cannot match (an id over the router's length) ends here, not in the console's fallback
      scope.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, (req, reply) => notFound(req, reply, ''));
      scope.get(
        '/:id',
        {
          config: {
            access: { public: true },
            rateLimit: { max: deps.publicReadsPerMinute, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `public-deliberation:${req.ip}` },
          },
          schema: {
            tags: ['deliberation'],
            summary: 'The residents\' page of a published deliberation day (HTML, zh-CN, no login)',
            description:
              'Grid, day, agenda titles, decisions, the notice and each follow-up task as 处理中/已办结; nothing personal. 404 for an unknown or unpublished meeting (the same answer for both): ' +
              'an HTML page when the client asks for `text/html` (a browser), else the API\'s error body.',
            params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          },
        },
        async (req, reply) => {
          const parsed = deliberationParamsSchema.safeParse(req.params);
          if (!parsed.success) return notFound(req, reply, String((req.params as { id?: unknown }).id ?? ''));
          const meeting = await service.published(parsed.data.id);
          if (!meeting) return notFound(req, reply, parsed.data.id);
          return reply
            .header('Cache-Control', 'no-cache')
            .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            .type('text/html; charset=utf-8')
            .send(renderPublicPage(meeting));
        },
      );
    },
    { prefix: '/public/deliberation' },
  );
}
