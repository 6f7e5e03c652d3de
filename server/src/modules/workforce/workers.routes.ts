import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rolesAllow } from '../../../../shared/contracts/auth.js';
import { commandCenterName } from '../../../../shared/contracts/briefing.js';
import {
  workerExportQuerySchema,
  workerIdSchema,
  workerListQuerySchema,
  workerPatchSchema,
  type WorkerListResponse,
  type WorkerRecord,
} from '../../../../shared/contracts/workforce.js';
import { maskPhone } from '../../../../shared/domain/masking.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { auditActor, requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import { inScope, seesPersonalData } from '../events/event-view.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import { workersCsv, workersWorkbook } from './worker-xlsx.js';
import { WorkersRepo } from './workers.repo.js';
import { WorkersService } from './workers.service.js';

export interface WorkerRouteDeps {
  store: Store;
  regions: RegionIndex;
  audit: AuditRepo;
  clock: Clock;
}

const idParams = z.object({ id: workerIdSchema }).strict();

/**
 * Whether the caller sees workers' phones in full: the roles that see personal data, and the grid
 * office (网格办), who keeps these records and calls the workers (their work contact, not a
 * resident's data; residents' data stays masked for it elsewhere). A field worker reads only
 * their own record.
 */
const seesWorkerPhones = (req: FastifyRequest) => {
  const roles = req.principal!.user.roles;
  return seesPersonalData(roles) || rolesAllow(roles, 'workforce:manage');
};
const shown = (req: FastifyRequest, w: WorkerRecord): WorkerRecord => (seesWorkerPhones(req) ? w : { ...w, phone: maskPhone(w.phone) });

const SCOPE = 'Only workers of the caller\'s towns (the town of the worker\'s grid); `town` outside the scope is a 403 `out_of_scope` (audited), an unknown town a 400.';

/**
 * Grid workers' records (队伍建设, issue 16): list, one record, the caller's own, changes by the grid
 * office, and the export as XLSX or CSV in the roster import's columns (docs/WORKFORCE.md).
 */
export function registerWorkerRoutes(app: FastifyInstance, deps: WorkerRouteDeps): void {
  const repo = new WorkersRepo(deps.store, deps.clock);
  const service = new WorkersService({ store: deps.store, repo, audit: deps.audit, clock: deps.clock });

  /** The worker, if it exists and its town lies in the caller's scope (a refusal is audited as a denial). */
  const readable = async (req: FastifyRequest): Promise<WorkerRecord> => {
    const { id } = parseOr400(idParams, req.params, 'params');
    const worker = await repo.get(id);
    if (!worker) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    if (!inScope(req.principal!.user.scope, worker.town.id)) {
      await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'worker', objectId: id });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
    }
    return worker;
  };

  app.get(
    '/api/v1/workforce/workers',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['workforce'],
        summary: "Grid workers' records (队伍建设): grade, status, dates, grid and micro-grids served, 5包1 roles, team, linked account; filtered, by id, paged",
        description: `${SCOPE} \`q\` finds a name, id or phone (contains). Phones are masked for roles that do not see personal data (the grid office sees them: it keeps the records).`,
        querystring: jsonSchema(workerListQuerySchema),
      },
    },
    async (req): Promise<WorkerListResponse> => {
      const q = parseOr400(workerListQuerySchema, req.query, 'query');
      const towns = await townsOf(req, q.town, deps);
      const { items, total } = await repo.list({ towns, gridId: q.gridId, status: q.status, employment: q.employment, grade: q.grade, q: q.q }, q.page, q.pageSize);
      return { items: items.map((w) => shown(req, w)), total, page: q.page, pageSize: q.pageSize };
    },
  );

  app.get(
    '/api/v1/workforce/workers/export',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['workforce'],
        summary: "The grid workers' records as XLSX (default) or CSV (UTF-8 with BOM), in the roster import's columns: an exported file imports back",
        description: `${SCOPE} Chinese headers; the first fifteen columns are the roster import's workers columns (docs/IMPORT.md), then the town, village, grid and team names. Audited as \`worker:export\`.`,
        querystring: jsonSchema(workerExportQuerySchema),
      },
    },
    async (req, reply) => {
      const q = parseOr400(workerExportQuerySchema, req.query, 'query');
      const towns = await townsOf(req, q.town, deps);
      const { items } = await repo.list({ towns, status: q.status }, 1, null);
      const workers = items.map((w) => shown(req, w));
      const now = deps.clock.now();
      const root = deps.regions.rootOf(req.principal!.user.scope)?.name ?? '';
      const scope = q.town === undefined ? root : (deps.regions.get(q.town)?.name ?? q.town);
      await deps.audit.record({
        ...auditActor(req),
        action: 'worker:export',
        result: 'success',
        objectType: 'workers',
        objectId: q.town ?? 'scope',
        details: { format: q.format, town: q.town ?? null, status: q.status ?? null, rows: workers.length, phonesMasked: !seesWorkerPhones(req) },
      });
      const name = `workers-${q.town ?? 'all'}${q.status ? `-${q.status}` : ''}-${chinaDay(now)}.${q.format}`;
      reply.header('Content-Disposition', `attachment; filename="${name}"`);
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(workersCsv(workers));
      const body = await workersWorkbook({ workers, scope, status: q.status ?? null, generatedAt: now.toISOString(), center: commandCenterName(root) });
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('Content-Length', body.length).send(body);
    },
  );

  app.get(
    '/api/v1/workforce/me',
    {
      config: { access: { permission: 'workforce:own' } },
      schema: {
        tags: ['workforce'],
        summary: "The caller's own grid worker record (the record linked to the caller's field account)",
        description: '404 `no_worker_record` when no record is linked to the account (the grid office links it: `PATCH /api/v1/workforce/workers/{id}` with `userId`, or the roster import\'s 登录账号 column).',
      },
    },
    async (req): Promise<WorkerRecord> => {
      const worker = await repo.byUser(req.principal!.user.id);
      if (!worker) throw new ApiHttpError(404, 'no_worker_record', 'error.no_worker_record');
      return worker;
    },
  );

  app.get(
    '/api/v1/workforce/workers/:id',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: { tags: ['workforce'], summary: "One grid worker's record (in the caller's scope; 403 `out_of_scope` outside it)", params: jsonSchema(idParams) },
    },
    async (req): Promise<WorkerRecord> => shown(req, await readable(req)),
  );

  app.patch(
    '/api/v1/workforce/workers/:id',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['workforce'],
        summary: "Change a grid worker's record (the grid office): grade, status and dates, employment, education, phone, team, micro-grids served, linked field account",
        description:
          "In the caller's scope. Checked: micro-grids of the worker's grid, an existing team, an account holding the field_worker role and linked to no other worker, `status: 'left'` with `leftOn` (not before `startedOn`); a status other than left without `leftOn` clears it. A breach is a 422 `worker_change_invalid` naming the fields, changes nothing and is audited; a change is written with its audit record (`worker:update`, `{ from, to, reason }`) in one transaction.",
        params: jsonSchema(idParams),
        body: jsonSchema(workerPatchSchema),
      },
    },
    async (req): Promise<WorkerRecord> => {
      parseOr400(idParams, req.params, 'params');
      const patch = parseOr400(workerPatchSchema, req.body, 'body');
      const worker = await readable(req);
      return shown(req, await service.update(worker, patch, auditActor(req)));
    },
  );
}
