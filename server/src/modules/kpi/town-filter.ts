import type { FastifyRequest } from 'fastify';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, scopeTowns } from '../events/event-view.js';
import type { RegionIndex } from '../regions/region-index.js';

/** Refuses a region outside the caller's scope: 403 `out_of_scope`, audited as a denial, as `GET /events` does. */
async function outOfScope(req: FastifyRequest, deps: { audit: AuditRepo }, field: 'town' | 'area', id: string): Promise<never> {
  await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: field === 'town' ? 'town' : 'region', objectId: id });
  throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field, code: 'out_of_scope' }], { what: id });
}

/**
 * The towns a figure covers: the one asked for (`town`), else all of the caller's. A town outside
 * the caller's scope is refused (403 `out_of_scope`, audited as a denial, as `GET /events` does)
 * before its existence is checked, so a town user learns nothing of other towns; an unknown town
 * is a 400 naming the field. Shared by the KPI and analysis routes.
 */
export async function townsOf(req: FastifyRequest, town: string | undefined, deps: { regions: RegionIndex; audit: AuditRepo }): Promise<string[] | null> {
  const user = req.principal!.user;
  if (town === undefined) return scopeTowns(user.scope);
  if (!inScope(user.scope, town)) await outOfScope(req, deps, 'town', town);
  if (deps.regions.get(town)?.level !== 'town') {
    throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'town', code: 'unknown_town' }]);
  }
  return [town];
}

/**
 * The towns of one county or city (`area`, the KPI drill-down) that lie in the caller's scope.
 * Checked as `town` is: an area holding none of the caller's towns is refused (403, audited)
 * before its existence is checked, so a county user learns nothing of the city's other counties;
 * for the whole platform's users an id that is not a county or city of it is a 400 naming `area`.
 * An area only partly in the scope (a town user asking for their county) gives the towns of it
 * they see: the drill-down never shows more than the scope, and never refuses what it does show.
 */
export async function areaTownsOf(req: FastifyRequest, area: string, deps: { regions: RegionIndex; audit: AuditRepo }): Promise<string[]> {
  const scope = req.principal!.user.scope;
  const towns = deps.regions.townsUnder(area);
  const seen = scope.kind === 'county' ? towns : towns.filter((t) => scope.towns.includes(t));
  if (scope.kind !== 'county' && seen.length === 0) await outOfScope(req, deps, 'area', area);
  const level = deps.regions.get(area)?.level;
  if (level !== 'county' && level !== 'city') {
    throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'area', code: 'unknown_area' }]);
  }
  return seen;
}
