import type { FastifyRequest } from 'fastify';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, scopeTowns } from '../events/event-view.js';

/**
 * The towns a figure covers: the one asked for (`town`), else all of the caller's. A town outside
 * the caller's scope is refused (403 `out_of_scope`, audited as a denial, as `GET /events` does)
 * before its existence is checked, so a town user learns nothing of other towns; an unknown town
 * is a 400 naming the field. Shared by the KPI and analysis routes.
 */
export function townsOf(req: FastifyRequest, town: string | undefined, deps: { isTown(id: string): boolean; audit: AuditRepo }): string[] | null {
  const user = req.principal!.user;
  if (town === undefined) return scopeTowns(user.scope);
  if (!inScope(user.scope, town)) {
    deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: town });
    throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: town });
  }
  if (!deps.isTown(town)) {
    throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'town', code: 'unknown_town' }]);
  }
  return [town];
}
