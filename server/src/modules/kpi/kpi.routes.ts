import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  gridWorkerQuerySchema,
  kpiExportQuerySchema,
  kpiPeriod,
  kpiQuerySchema,
  platformKpiAreas,
  type GridWorkerResponse,
  type KpiExportTable,
  type KpiGroupBy,
  type KpiResponse,
} from '../../../../shared/contracts/kpi.js';
import { commandCenterName } from '../../../../shared/contracts/briefing.js';
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
import type { RegionIndex } from '../regions/region-index.js';
import { buildGridWorkerResponse, buildKpiResponse, rollUpTowns } from './kpi.service.js';
import { areaTownsOf, townsOf } from './town-filter.js';

type Schema = typeof kpiQuerySchema | typeof kpiExportQuerySchema | typeof gridWorkerQuerySchema;

/** Parses the query and resolves its period (plain days, defaults) on the server's clock. */
function parseQuery<S extends Schema>(schema: S, raw: unknown, now: Date) {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', zodFields(result.error));
  if (result.data.town !== undefined && result.data.area !== undefined) {
    throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'area', code: 'area_with_town' }]);
  }
  const period = kpiPeriod(result.data, now);
  if (!period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'to', code: 'not_after_from' }]);
  return { ...period, q: result.data as ReturnType<S['parse']> };
}

export interface KpiRouteDeps {
  kpis: KpiRepo;
  /** The platform's tree: a town's county and city, an area's towns, the scope's name. */
  regions: RegionIndex;
  clock: Clock;
  audit: AuditRepo;
}

/** Which towns a query covers: one town, the towns of one county or city, or none asked for (the caller's all). */
interface Where {
  town: string | undefined;
  area: string | undefined;
}

const PERIOD =
  'The period [from, to) (days or instants; default today, China time), `town` (one town of the caller\'s scope: 403 `out_of_scope` outside it, 400 for an unknown town; e.g. `town=…&groupBy=grid` drills down from a town to its grids) ' +
  'or `area` (a county or city of a platform holding towns of the caller\'s scope, 403 `out_of_scope` when it holds none, 400 when it is no county or city: the figures of its towns in the scope; e.g. `area=<county>&groupBy=town` drills down from a county to its towns; not with `town`).';

/** `GET /api/v1/kpis`, the grid workers' evaluation and the XLSX of either: evaluation (督导考评) over a period, in the caller's towns. */
export function registerKpiRoutes(app: FastifyInstance, deps: KpiRouteDeps): void {
  const towns = (req: FastifyRequest, where: Where) =>
    where.area !== undefined ? areaTownsOf(req, where.area, deps) : townsOf(req, where.town, deps);

  /** A county or city grouping this platform has not got (a county server's counties, a city's cities) is a 400 naming `groupBy`. */
  function checkGrouping(groupBy: KpiGroupBy | KpiExportTable | null): void {
    if (groupBy !== 'county' && groupBy !== 'city') return;
    if (!platformKpiAreas(deps.regions.root()?.level ?? 'county').includes(groupBy)) {
      throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: 'groupBy', code: groupBy === 'county' ? 'no_county_level' : 'no_city_level' }]);
    }
  }

  /** The town rows of the query, rolled up to counties or cities through the region tree when asked. */
  async function countRows(period: { from: Date; to: Date }, scope: string[] | null, groupBy: KpiGroupBy | null) {
    if (groupBy !== 'county' && groupBy !== 'city') return deps.kpis.counts(period, scope, groupBy);
    const areaOf = (town: string) => {
      const id = groupBy === 'county' ? deps.regions.countyOf(town) : deps.regions.cityOf(town);
      const region = id === null ? undefined : deps.regions.get(id);
      return region ? { id: region.id, name: region.name } : null;
    };
    return rollUpTowns(await deps.kpis.counts(period, scope, 'town'), areaOf);
  }

  async function kpiResponse(req: FastifyRequest, q: { from: Date; to: Date; groupBy: KpiGroupBy | null } & Where): Promise<KpiResponse> {
    checkGrouping(q.groupBy);
    const lang = requestLang(req);
    const rows = await countRows({ from: q.from, to: q.to }, await towns(req, q), q.groupBy);
    const unnamed = t(lang, q.groupBy === 'worker' ? 'kpi.no_handler' : 'kpi.no_team');
    const named = q.groupBy === 'teamType' ? rows.map((r) => ({ ...r, name: r.key === '' ? null : teamTypeName(r.key, lang) })) : rows;
    return buildKpiResponse({ from: q.from.toISOString(), to: q.to.toISOString(), groupBy: q.groupBy }, named, unnamed);
  }

  async function gridWorkers(req: FastifyRequest, q: { from: Date; to: Date } & Where): Promise<GridWorkerResponse> {
    const scope = await towns(req, q);
    const period = { from: q.from, to: q.to };
    const gridCounts = new Map((await deps.kpis.counts(period, scope, 'grid')).map((r) => [r.key, r.counts]));
    return buildGridWorkerResponse({ from: q.from.toISOString(), to: q.to.toISOString(), town: q.town ?? null }, await deps.kpis.gridWorkers(period, scope), gridCounts);
  }

  app.get(
    '/api/v1/kpis',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'KPIs of the period [from, to) (days or instants; default today, China time): filing, dispatch, closure, on-time closure, rework and extension rates, optionally per city, county, town, village, grid, team, team type or handler, ranked',
        description:
          'Accepted/filed/dispatched count admitted cases reported in the period; due/closed/on time/rework/extended count cases whose closing deadline falls in the period (carry-overs included; not filed, void, merged and not-admitted cases are never due). Rates in percent, null when the denominator is 0. Only the towns of the caller\'s scope, or the one `town` asked for, or those of the `area` (a county or city) asked for. `groupBy=county` (a platform of several counties) and `groupBy=city` (a province\'s) sum the groups of the towns each county or city holds; a grouping the platform has not got is a 400 naming `groupBy`. Groups rank by on-time closure rate, then closure rate; groups without due cases last. `autoDispatch.share` is the percentage of the dispatched cases reported in the period that the machine dispatched.',
        querystring: jsonSchema(kpiQuerySchema),
      },
    },
    async (req): Promise<KpiResponse> => {
      const { q, ...period } = parseQuery(kpiQuerySchema, req.query, deps.clock.now());
      return kpiResponse(req, { ...period, groupBy: q.groupBy ?? null, town: q.town, area: q.area });
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
      return gridWorkers(req, { ...period, town: q.town, area: q.area });
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
      const base = { from: period.from, to: period.to, town: q.town, area: q.area };
      const data = table === 'gridWorker' ? { workers: await gridWorkers(req, base) } : { kpis: await kpiResponse(req, { ...base, groupBy: table }) };
      // named after the scope's root (a city user's city, the platform's root), the town or area asked for
      const root = deps.regions.rootOf(req.principal!.user.scope)?.name ?? '';
      const asked = q.town ?? q.area;
      const scope = asked === undefined ? root : (deps.regions.get(asked)?.name ?? asked);
      const body = await kpiWorkbook({ table, from: period.from.toISOString(), to: period.to.toISOString(), scope, generatedAt: now.toISOString(), center: commandCenterName(root), ...data });
      const rows = data.workers ? data.workers.workers.length : data.kpis!.groups.length;
      await deps.audit.record({
        ...auditActor(req),
        action: 'kpi:export',
        result: 'success',
        objectType: 'kpi',
        objectId: table,
        details: { from: period.from.toISOString(), to: period.to.toISOString(), town: q.town ?? null, ...(q.area ? { area: q.area } : {}), groupBy: table, rows },
      });
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
