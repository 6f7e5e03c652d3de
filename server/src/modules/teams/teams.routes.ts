import type { FastifyInstance } from 'fastify';
import { teamListQuerySchema, type TeamListResponse } from '../../../../shared/contracts/teams.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, scopeTowns, seesPersonalData } from '../events/event-view.js';
import type { TeamsRepo } from './teams.repo.js';

/** `GET /api/v1/teams`: the field teams for the dispatch dialog and the team board. */
export function registerTeamRoutes(app: FastifyInstance, deps: { teams: TeamsRepo; audit: AuditRepo }): void {
  app.get(
    '/api/v1/teams',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: 'Field teams with status, home area, last position and open case load; only the caller\'s towns (and the county units)',
        querystring: jsonSchema(teamListQuerySchema),
      },
    },
    async (req): Promise<TeamListResponse> => {
      const query = parseOr400(teamListQuerySchema, req.query, 'query');
      const { user } = req.principal!;
      if (query.town && !inScope(user.scope, query.town)) {
        deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: query.town });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: query.town });
      }
      const items = deps.teams.list(query, scopeTowns(user.scope));
      if (seesPersonalData(user.roles)) return { items };
      return { items: items.map((t) => ({ ...t, leader: { name: maskName(t.leader.name), phone: maskPhone(t.leader.phone) } })) };
    },
  );
}
