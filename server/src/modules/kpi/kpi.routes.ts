import type { FastifyInstance } from 'fastify';
import { kpiPeriod, kpiQuerySchema, type KpiResponse } from '../../../../shared/contracts/kpi.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, zodFields } from '../../http/errors.js';
import { requestLang } from '../../http/error-handler.js';
import { t } from '../../http/messages.js';
import { jsonSchema } from '../../http/openapi.js';
import { scopeTowns } from '../events/event-view.js';
import type { KpiRepo } from './kpi.repo.js';
import { buildKpiResponse } from './kpi.service.js';

/** Parses the query and resolves its period (plain days, defaults) on the server's clock. */
function parseQuery(raw: unknown, now: Date) {
  const result = kpiQuerySchema.safeParse(raw);
  if (!result.success) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', zodFields(result.error));
  const period = kpiPeriod(result.data, now);
  if (!period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
  return { ...period, groupBy: result.data.groupBy };
}

/** `GET /api/v1/kpis`: the evaluation of domain.md §5 over a period, in the caller's towns. */
export function registerKpiRoutes(app: FastifyInstance, deps: { kpis: KpiRepo; clock: Clock }): void {
  app.get(
    '/api/v1/kpis',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'KPIs of the period [from, to) (days or instants; default today, China time): filing, dispatch, closure, on-time closure, rework and extension rates, optionally per town, village, grid, team or handler, ranked',
        description:
          'Accepted/filed/dispatched count admitted cases reported in the period; due/closed/on time/rework/extended count cases whose closing deadline falls in the period (carry-overs included; not filed, void, merged and not-admitted cases are never due). Rates in percent, null when the denominator is 0. Only the towns of the caller\'s scope. Groups rank by on-time closure rate, then closure rate; groups without due cases last. `autoDispatch.share` is the percentage of the dispatched cases reported in the period that the machine dispatched.',
        querystring: jsonSchema(kpiQuerySchema),
      },
    },
    async (req): Promise<KpiResponse> => {
      const q = parseQuery(req.query, deps.clock.now());
      const groupBy = q.groupBy ?? null;
      const rows = deps.kpis.counts({ from: q.from, to: q.to }, scopeTowns(req.principal!.user.scope), groupBy);
      const unnamed = t(requestLang(req), groupBy === 'worker' ? 'kpi.no_handler' : 'kpi.no_team');
      return buildKpiResponse({ from: q.from.toISOString(), to: q.to.toISOString(), groupBy }, rows, unnamed);
    },
  );
}
