import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  gridWorkerQuerySchema,
  kpiExportQuerySchema,
  kpiPeriod,
  kpiQuerySchema,
  type GridWorkerResponse,
  type KpiExportTable,
  type KpiGroupBy,
  type KpiResponse,
} from '../../../../shared/contracts/kpi.js';
import type { TeamType } from '../../../../shared/contracts/catalog.js';
import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';
import { TEAM_TYPE_LABELS } from '../../../../shared/domain/labels.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, zodFields } from '../../http/errors.js';
import { requestLang } from '../../http/error-handler.js';
import { t, type Lang } from '../../http/messages.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { auditActor } from '../auth/auth.plugin.js';
import { kpiWorkbook } from './kpi-xlsx.js';
import type { KpiRepo } from './kpi.repo.js';
import { buildGridWorkerResponse, buildKpiResponse } from './kpi.service.js';
import { townsOf } from './town-filter.js';

type Schema = typeof kpiQuerySchema | typeof kpiExportQuerySchema | typeof gridWorkerQuerySchema;

/** Parses the query and resolves its period (plain days, defaults) on the server's clock. */
function parseQuery<S extends Schema>(schema: S, raw: unknown, now: Date) {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', zodFields(result.error));
  const period = kpiPeriod(result.data, now);
  if (!period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
  return { ...period, q: result.data as ReturnType<S['parse']> };
}

export interface KpiRouteDeps {
  kpis: KpiRepo;
  clock: Clock;
  audit: AuditRepo;
}

const PERIOD =
  'The period [from, to) (days or instants; default today, China time) and `town` (one town of the caller\'s scope: 403 `out_of_scope` outside it, 400 for an unknown town; e.g. `town=…&groupBy=grid` drills down from a town to its grids).';

/** `GET /api/v1/kpis`, the grid workers' evaluation and the XLSX of either: evaluation (督导考评) over a period, in the caller's towns. */
export function registerKpiRoutes(app: FastifyInstance, deps: KpiRouteDeps): void {
  const towns = (req: FastifyRequest, town: string | undefined) => townsOf(req, town, { isTown: (id) => deps.kpis.isTown(id), audit: deps.audit });

  function kpiResponse(req: FastifyRequest, q: { from: Date; to: Date; groupBy: KpiGroupBy | null; town: string | undefined }): KpiResponse {
    const lang = requestLang(req);
    const rows = deps.kpis.counts({ from: q.from, to: q.to }, towns(req, q.town), q.groupBy);
    const unnamed = t(lang, q.groupBy === 'worker' ? 'kpi.no_handler' : 'kpi.no_team');
    const named = q.groupBy === 'teamType' ? rows.map((r) => ({ ...r, name: r.key === '' ? null : teamTypeName(r.key, lang) })) : rows;
    return buildKpiResponse({ from: q.from.toISOString(), to: q.to.toISOString(), groupBy: q.groupBy }, named, unnamed);
  }

  function gridWorkers(req: FastifyRequest, q: { from: Date; to: Date; town: string | undefined }): GridWorkerResponse {
    const scope = towns(req, q.town);
    const period = { from: q.from, to: q.to };
    const gridCounts = new Map(deps.kpis.counts(period, scope, 'grid').map((r) => [r.key, r.counts]));
    return buildGridWorkerResponse({ from: q.from.toISOString(), to: q.to.toISOString(), town: q.town ?? null }, deps.kpis.gridWorkers(period, scope), gridCounts);
  }

  app.get(
    '/api/v1/kpis',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'KPIs of the period [from, to) (days or instants; default today, China time): filing, dispatch, closure, on-time closure, rework and extension rates, optionally per town, village, grid, team, team type or handler, ranked',
        description:
          'Accepted/filed/dispatched count admitted cases reported in the period; due/closed/on time/rework/extended count cases whose closing deadline falls in the period (carry-overs included; not filed, void, merged and not-admitted cases are never due). Rates in percent, null when the denominator is 0. Only the towns of the caller\'s scope, or the one `town` asked for. Groups rank by on-time closure rate, then closure rate; groups without due cases last. `autoDispatch.share` is the percentage of the dispatched cases reported in the period that the machine dispatched.',
        querystring: jsonSchema(kpiQuerySchema),
      },
    },
    async (req): Promise<KpiResponse> => {
      const { q, ...period } = parseQuery(kpiQuerySchema, req.query, deps.clock.now());
      return kpiResponse(req, { ...period, groupBy: q.groupBy ?? null, town: q.town });
    },
  );

  app.get(
    '/api/v1/kpis/grid-workers',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: "Grid workers' evaluation: each worker's grid patrol reports per 100 households of their grid, ranked, beside the grid's KPIs; full-time and part-time totals",
        description: `${PERIOD} A worker is linked to cases by the phone they report from (the roster's workers are not user accounts); the closed-loop figures are those of the worker's grid.`,
        querystring: jsonSchema(gridWorkerQuerySchema),
      },
    },
    async (req): Promise<GridWorkerResponse> => {
      const { q, ...period } = parseQuery(gridWorkerQuerySchema, req.query, deps.clock.now());
      return gridWorkers(req, { ...period, town: q.town });
    },
  );

  app.get(
    '/api/v1/kpis/export.xlsx',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'The ranked evaluation table of the same query as XLSX: `groupBy` a KPI grouping (default town) or `gridWorker`',
        description: `${PERIOD} Numeric cells, rates as percentages, Chinese headers frozen at the top, and a sheet of notes (period, scope, formulas). Audited as \`kpi:export\`.`,
        querystring: jsonSchema(kpiExportQuerySchema),
      },
    },
    async (req, reply) => {
      const now = deps.clock.now();
      const { q, ...period } = parseQuery(kpiExportQuerySchema, req.query, now);
      const table: KpiExportTable = q.groupBy ?? 'town';
      const base = { from: period.from, to: period.to, town: q.town };
      const data = table === 'gridWorker' ? { workers: gridWorkers(req, base) } : { kpis: kpiResponse(req, { ...base, groupBy: table }) };
      const county = deps.kpis.countyName();
      const scope = q.town ? (deps.kpis.regionName(q.town) ?? q.town) : county;
      const body = await kpiWorkbook({ table, from: period.from.toISOString(), to: period.to.toISOString(), scope, generatedAt: now.toISOString(), center: `${county}社会治理综合指挥中心`, ...data });
      const rows = data.workers ? data.workers.workers.length : data.kpis!.groups.length;
      deps.audit.record({ ...auditActor(req), action: 'kpi:export', result: 'success', objectType: 'kpi', objectId: table, details: { from: period.from.toISOString(), to: period.to.toISOString(), town: q.town ?? null, groupBy: table, rows } });
      const name = `kpi-${table}-${chinaDayOf(period.from)}-${chinaDayOf(new Date(period.to.getTime() - 1))}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .header('Content-Length', body.length)
        .send(body);
    },
  );
}

function teamTypeName(key: string, lang: Lang): string {
  return TEAM_TYPE_LABELS[key as TeamType]?.[lang] ?? key;
}
