import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rolesAllow } from '../../../../shared/contracts/auth.js';
import { kpiPeriod } from '../../../../shared/contracts/kpi.js';
import {
  activityQuerySchema,
  workerActivityQuerySchema,
  workerIdSchema,
  type WorkerActivityResponse,
  type WorkerCoverageResponse,
} from '../../../../shared/contracts/workforce.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope } from '../events/event-view.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { ActivityRepo, ActivityWorkerRow } from './activity.repo.js';
import type { ActivityService } from './activity.service.js';

const idParams = z.object({ id: workerIdSchema }).strict();

export interface ActivityRouteDeps {
  activity: ActivityService;
  repo: ActivityRepo;
  regions: RegionIndex;
  clock: Clock;
  audit: AuditRepo;
}

/** The period [from, to) of the query on the server's clock, as `GET /api/v1/kpis` resolves it; `to` not after `from` is a 400 naming `to`. */
function periodOf(q: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const period = kpiPeriod(q, now);
  if (!period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
  return period;
}

const PERIOD = 'The period [from, to): days or instants, China days, default today (as `GET /api/v1/kpis`); `to` not after `from` → 400 naming `to`.';

/**
 * Workload and activity of the grid workers, computed from the system's own records
 * (docs/WORKFORCE.md): one worker's figures and coverage map, and every worker of the caller's towns.
 */
export function registerActivityRoutes(app: FastifyInstance, deps: ActivityRouteDeps): void {
  /**
   * The worker a caller may read: with workforce:read one of their towns (403 `out_of_scope`,
   * audited, outside them), with workforce:own only the worker whose linked account they are
   * (403 `forbidden`, audited, for another); an unknown worker is a 404.
   */
  async function readableWorker(req: FastifyRequest, id: string): Promise<ActivityWorkerRow> {
    const principal = req.principal!;
    const { user } = principal;
    const deny = async (reason: string, err: ApiHttpError): Promise<never> => {
      await deps.audit.record({ ...who(principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason, objectType: 'worker', objectId: id });
      throw err;
    };
    const reader = rolesAllow(user.roles, 'workforce:read');
    if (!reader && !rolesAllow(user.roles, 'workforce:own')) {
      await deny('missing workforce:read', new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission: 'workforce:read' }, { permission: 'workforce:read' }));
    }
    const [worker] = await deps.repo.workers({ towns: null, workerId: id });
    if (reader) {
      if (worker && !inScope(user.scope, worker.townId)) await deny('out_of_scope', new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id }));
    } else if (!worker || worker.userId !== user.id) {
      // a field worker reads their own record only: another worker's (or an unknown id) is refused alike
      await deny('not_own_worker', new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission: 'workforce:read' }, { permission: 'workforce:read' }));
    }
    if (!worker) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    return worker;
  }

  app.get(
    '/api/v1/workforce/activity',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['workforce'],
        summary: "Workload and activity of every grid worker of the caller's towns (or of the one `town` asked for) over the period: households served, patrol time, distance, days and micro-grid coverage, reports by item, cases handled, closed, on time, reworked, returned, workload per 100 households and weighted by grid difficulty",
        description: `${PERIOD} \`town\`: one town of the caller's scope (403 \`out_of_scope\` outside it, 400 for an unknown town). Workers who left before the period are not listed. Formulas: docs/WORKFORCE.md.`,
        querystring: jsonSchema(activityQuerySchema),
      },
    },
    async (req): Promise<WorkerActivityResponse> => {
      const q = parseOr400(activityQuerySchema, req.query, 'query');
      const period = periodOf(q, deps.clock.now());
      const towns = await townsOf(req, q.town, deps);
      return { from: period.from.toISOString(), to: period.to.toISOString(), workers: await deps.activity.activity(period, { towns }) };
    },
  );

  app.get(
    '/api/v1/workforce/workers/:id/activity',
    {
      // checked here: workforce:read in the caller's towns, or workforce:own for the caller's own worker
      config: { access: { permission: 'session:own' } },
      schema: {
        tags: ['workforce'],
        summary: "One grid worker's workload and activity over the period (the figures of `GET /api/v1/workforce/activity`): workforce:read in the caller's towns, or workforce:own for the worker linked to the caller's account",
        description: `${PERIOD} A worker of another town → 403 \`out_of_scope\`; a field worker asking for another worker → 403 \`forbidden\`; both audited. An unknown worker → 404.`,
        params: jsonSchema(idParams),
        querystring: jsonSchema(workerActivityQuerySchema),
      },
    },
    async (req): Promise<WorkerActivityResponse> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const q = parseOr400(workerActivityQuerySchema, req.query, 'query');
      const period = periodOf(q, deps.clock.now());
      const worker = await readableWorker(req, id);
      return { from: period.from.toISOString(), to: period.to.toISOString(), workers: await deps.activity.activity(period, { worker }) };
    },
  );

  app.get(
    '/api/v1/workforce/workers/:id/coverage',
    {
      config: { access: { permission: 'session:own' } },
      schema: {
        tags: ['workforce'],
        summary: "The patrol coverage map of one grid worker over the period: a GeoJSON FeatureCollection of the micro-grids served (`kind: 'microGrid'`, with the worker's positions inside, `covered` and `lastAt`) and the patrol spans (`kind: 'track'` line strings)",
        description: `${PERIOD} Access as \`GET /api/v1/workforce/workers/{id}/activity\`. A worker serving no micro-grid of their own is shown with every micro-grid of their grid.`,
        params: jsonSchema(idParams),
        querystring: jsonSchema(workerActivityQuerySchema),
      },
    },
    async (req): Promise<WorkerCoverageResponse> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const q = parseOr400(workerActivityQuerySchema, req.query, 'query');
      const period = periodOf(q, deps.clock.now());
      const worker = await readableWorker(req, id);
      return deps.activity.coverage(period, worker);
    },
  );
}
