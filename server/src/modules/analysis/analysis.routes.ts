import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  agendaQuerySchema,
  analysisPeriod,
  analysisQuerySchema,
  hotSpotQuerySchema,
  MAX_ANALYSIS_DAYS,
  trendQuerySchema,
  type AgendaResponse,
  type AnalysisScope,
  type HotSpotsResponse,
  type HoursResponse,
  type MixResponse,
  type TrendResponse,
} from '../../../../shared/contracts/analysis.js';
import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';
import type { Clock } from '../../core/clock.js';
import { requestLang } from '../../http/error-handler.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { AnalysisRepo } from './analysis.repo.js';
import { AnalysisService } from './analysis.service.js';

export interface AnalysisRouteDeps {
  analysis: AnalysisRepo;
  audit: AuditRepo;
  /** The platform's tree: which ids are towns, and the region the agenda is titled after. */
  regions: RegionIndex;
  clock: Clock;
}

const FILTERS =
  'Filters: `from`, `to` (plain days, China time, both inclusive; default the 30 days ending today; at most ' +
  `${MAX_ANALYSIS_DAYS} days) and \`town\` (one town of the caller's scope: 403 \`out_of_scope\` outside it, 400 for an unknown town). ` +
  'Reported = admitted cases reported (the KPI\'s `accepted`); filed, dispatched and closed count the cases filed, dispatched or closed in the period.';

/**
 * `GET /api/v1/analysis/*`: the figures of the analysis screen (分析研判) and the daily meeting's
 * agenda, read with `kpi:read`, over the caller's towns only.
 */
export function registerAnalysisRoutes(app: FastifyInstance, deps: AnalysisRouteDeps): void {
  const service = new AnalysisService(deps.analysis);
  const towns = (req: FastifyRequest, town: string | undefined) => townsOf(req, town, deps);

  /** The query parsed, its period resolved on the server's clock and its towns checked. */
  async function filtersOf<S extends z.ZodType<{ from?: string; to?: string; town?: string }>>(req: FastifyRequest, schema: S): Promise<{ q: z.infer<S>; scope: AnalysisScope; towns: string[] | null }> {
    const q = parseOr400(schema, req.query, 'query');
    const period = analysisPeriod(q, chinaDayOf(deps.clock.now()));
    if ('code' in period) throw new ApiHttpError(400, 'invalid_query', 'error.invalid_query', [{ field: period.field, code: period.code, params: { limit: MAX_ANALYSIS_DAYS } }]);
    return { q, scope: { ...period, town: q.town ?? null }, towns: await towns(req, q.town) };
  }

  const route = { config: { access: { permission: 'kpi:read' } } } as const;

  app.get(
    '/api/v1/analysis/trend',
    {
      ...route,
      schema: {
        tags: ['analysis'],
        summary: 'Reported, filed, dispatched and closed cases per day, week (Monday–Sunday) or month, with year-on-year (同比) and period-on-period (环比) changes',
        description: `${FILTERS} Buckets are cut to the period (\`partial\`). 同比 compares with the same days a year before; 环比 with the day, week or month before (a cut bucket: as many days just before it; the whole period: as many days just before it). Changes in percent, null when the base is 0.`,
        querystring: jsonSchema(trendQuerySchema),
      },
    },
    async (req): Promise<TrendResponse> => {
      const { q, scope, towns } = await filtersOf(req, trendQuerySchema);
      return service.trend(scope, q.unit ?? 'day', towns);
    },
  );

  app.get(
    '/api/v1/analysis/mix',
    { ...route, schema: { tags: ['analysis'], summary: 'Reported cases by category and by intake channel, largest first, with shares', description: FILTERS, querystring: jsonSchema(analysisQuerySchema) } },
    async (req): Promise<MixResponse> => {
      const { scope, towns } = await filtersOf(req, analysisQuerySchema);
      return service.mix(scope, towns, requestLang(req));
    },
  );

  app.get(
    '/api/v1/analysis/hours',
    {
      ...route,
      schema: { tags: ['analysis'], summary: 'Reported cases by weekday (0 = Monday) and hour of the day, China time', description: FILTERS, querystring: jsonSchema(analysisQuerySchema) },
    },
    async (req): Promise<HoursResponse> => {
      const { scope, towns } = await filtersOf(req, analysisQuerySchema);
      return service.hours(scope, towns);
    },
  );

  app.get(
    '/api/v1/analysis/hot-spots',
    {
      ...route,
      schema: {
        tags: ['analysis'],
        summary: 'Hot spots: grids where the same item was reported at least `min` times (default 2) in the period, ranked by count, with their cases and places',
        description: `${FILTERS} Merged duplicates and voided reports are no recurrence. Each hot spot names the grid (town › village › grid, label point, bounds for the map), the micro-grids where the item recurred itself, and its case ids.`,
        querystring: jsonSchema(hotSpotQuerySchema),
      },
    },
    async (req): Promise<HotSpotsResponse> => {
      const { q, scope, towns } = await filtersOf(req, hotSpotQuerySchema);
      return service.hotSpots(scope, towns, q.min ?? 2, q.limit ?? 100);
    },
  );

  app.get(
    '/api/v1/analysis/agenda',
    {
      ...route,
      schema: {
        tags: ['analysis'],
        summary: 'The agenda of the daily analysis meeting (日常研判分析会): the week\'s hot spots, the day\'s repeat items, overdue and supervised cases',
        description:
          '`date` (default today, China time) and `town` (as the other analysis routes). Hot spots cover the 7 days ending with `date`; a repeat is a case of the day whose micro-grid had a case of the same item in the 30 days before; overdue and supervised cases are those open when the agenda is made.',
        querystring: jsonSchema(agendaQuerySchema),
      },
    },
    async (req): Promise<AgendaResponse> => {
      const q = parseOr400(agendaQuerySchema, req.query, 'query');
      const now = deps.clock.now();
      const inScope = await towns(req, q.town);
      const town = q.town ? { id: q.town, name: deps.regions.get(q.town)?.name ?? q.town } : null;
      // titled after the scope's root: a city user's city, a county user's county, the platform's root
      const root = deps.regions.rootOf(req.principal!.user.scope);
      const area = root ? { id: root.id, name: root.name } : { id: '', name: '' };
      return service.agenda(q.date ?? chinaDayOf(now), { town, area }, inScope, now);
    },
  );
}
