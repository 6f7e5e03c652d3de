import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  teamIdSchema,
  teamListQuerySchema,
  teamPositionSchema,
  teamStatusRequestSchema,
  trailQuerySchema,
  type TeamListResponse,
  type TeamPositionResult,
  type TeamSummary,
  type TrailResponse,
} from '../../../../shared/contracts/teams.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, scopeTowns, seesPersonalData } from '../events/event-view.js';
import type { TeamsLive } from './teams-live.js';
import type { TeamsRepo } from './teams.repo.js';

const idParams = z.object({ id: teamIdSchema }).strict();

const maskedTeam = (t: TeamSummary): TeamSummary => ({ ...t, leader: { name: maskName(t.leader.name), phone: maskPhone(t.leader.phone) } });

/**
 * `GET /api/v1/teams`: the field teams for the dispatch dialog and the team board; positions
 * reported by field devices, trails, and team status.
 */
export function registerTeamRoutes(app: FastifyInstance, deps: { teams: TeamsRepo; live: TeamsLive; audit: AuditRepo }): void {
  app.get(
    '/api/v1/teams',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: "Field teams with status, home area, the county each serves (`countyId`), last position and open case load; only the caller's towns and the units of their counties",
        querystring: jsonSchema(teamListQuerySchema),
      },
    },
    async (req): Promise<TeamListResponse> => {
      const query = parseOr400(teamListQuerySchema, req.query, 'query');
      const { user } = req.principal!;
      if (query.town && !inScope(user.scope, query.town)) {
        await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: query.town });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: query.town });
      }
      const items = await deps.teams.list(query, scopeTowns(user.scope));
      if (seesPersonalData(user.roles)) return { items };
      return { items: items.map(maskedTeam) };
    },
  );

  app.post(
    '/api/v1/teams/:id/position',
    {
      // checked in the service: a member of the team (teams:report) or a tracking gateway (teams:track)
      config: { access: { permission: 'session:own' } },
      schema: {
        tags: ['teams'],
        summary:
          "A field device reports its team's position (WGS84, or GCJ-02 with crs 'gcj02', converted): a member of the team (teams:report), or a vehicle-tracking gateway for a team of its scope (teams:track). `at` may be at most 2 min ahead of the server and 24 h old; a position outside the county's box plus its margin (positionMarginKm) → 422 `outside_county`. Stored in the trail; consoles get it batched in `team:moved` (at most once a second)",
        params: jsonSchema(idParams),
        body: jsonSchema(teamPositionSchema),
      },
    },
    async (req): Promise<TeamPositionResult> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(teamPositionSchema, req.body, 'body');
      return await deps.live.reportPosition(id, body, { principal: req.principal!, ctx: requestContext(req) });
    },
  );

  app.get(
    '/api/v1/teams/:id/trail',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['teams'],
        summary: "A team's positions since `since` (default: the last hour), oldest first; a team the caller may see (its towns' teams and the units of their counties)",
        params: jsonSchema(idParams),
        querystring: jsonSchema(trailQuerySchema),
      },
    },
    async (req): Promise<TrailResponse> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const { since } = parseOr400(trailQuerySchema, req.query, 'query');
      return await deps.live.trail(id, since, { principal: req.principal!, ctx: requestContext(req) });
    },
  );

  app.post(
    '/api/v1/teams/:id/status',
    {
      // checked in the service: the team's own members (teams:report) or dispatchers (case:dispatch)
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['teams'],
        summary:
          "Sets a team's status (available, en_route, on_scene, busy, off_duty): a member for their own team (teams:report) or a dispatcher (case:dispatch) for a team in scope. Audited `team:status`; pushed as `team:changed`",
        params: jsonSchema(idParams),
        body: jsonSchema(teamStatusRequestSchema),
      },
    },
    async (req): Promise<{ team: TeamSummary }> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const { status } = parseOr400(teamStatusRequestSchema, req.body, 'body');
      const team = await deps.live.setStatus(id, status, { principal: req.principal!, ctx: requestContext(req) });
      return { team: seesPersonalData(req.principal!.user.roles) ? team : maskedTeam(team) };
    },
  );
}
