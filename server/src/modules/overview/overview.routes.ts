import type { FastifyInstance } from 'fastify';
import { overviewDay, overviewQuerySchema, type OverviewResponse } from '../../../../shared/contracts/overview.js';
import { STATUS_LABELS } from '../../../../shared/domain/labels.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import { inScope, scopeTowns } from '../events/event-view.js';
import type { KpiRepo } from '../kpi/kpi.repo.js';
import type { CategoryCount, OverviewRepo } from './overview.repo.js';
import { buildOverview, trendStart } from './overview.service.js';

const DESCRIPTION = [
  "Today's figures of the wall (大屏), the 7-day trend, the category mix and the town ranking, over the caller's towns only (or `town`, one of them: 403 `out_of_scope` outside them, 404 for no such town).",
  '`date` is a China calendar day (default: today on the server\'s clock); the day is [00:00, 24:00) China time. Flow figures count what happened during the day, each by the time of its own step:',
  '`reported` (上报) cases reported during the day through any channel, whatever their state now, not-admitted and merged ones included;',
  '`filed` (立案) cases filed during the day, by hand, by the machine or self-handled on the spot;',
  '`dispatched` (派遣) cases whose latest dispatch to a team fell on the day (a case returned and dispatched again counts once, on the day of its last dispatch);',
  '`closed` (结案) cases closed during the day, whenever reported;',
  "`onTimeRate` (按期结案率) closed on time / due of the day in percent, the KPI of `GET /api/v1/kpis?from=<date>&to=<date>` (domain.md §5), null when nothing was due.",
  'State figures are the situation at `asOf` (the server\'s clock), whatever day was asked for:',
  '`inProgress` (处置中) cases dispatched and not yet closed (待签收, 已签收, 处置中, 已反馈, 已核查);',
  '`overdueNow` (超期) open cases whose current step is past its deadline (by the clock or by the deadline monitor), the queue\'s 超期 tab;',
  '`teamsOnDuty` (在岗队伍) teams of the scope not off duty (the units of its counties included, as `GET /api/v1/teams` lists them), of `teamsTotal`.',
  '`trend`: reported and closed per day for the 7 days ending with `date`, oldest first. `categories`: the day\'s reported cases by catalog category (names in zh-CN and en), most first.',
  '`towns`: every town of the scope with its reported, closed, overdue now and on-time rate, ranked as `GET /api/v1/kpis?groupBy=town` ranks (on-time closure, then closure rate; equal rates share a rank; towns with nothing due last).',
  '`units` (with `unitLevel`): on a platform of several counties, the same columns per county (one city\'s platform) or per city (several cities), summed over the scope\'s towns (the on-time rate over the summed counts), ranked alike; empty with `unitLevel` null on a county server and for one `town`.',
].join(' ');

/** `GET /api/v1/overview`: the wall's figures of a day, in the caller's towns. */
export function registerOverviewRoutes(app: FastifyInstance, deps: { overview: OverviewRepo; kpis: KpiRepo; catalog: CatalogRepo; audit: AuditRepo; clock: Clock }): void {
  /** A category's names: from the catalog version its case was taken in under; not-admitted matters have no catalog category. */
  const categoryName = (row: CategoryCount): { name: string; nameEn: string } => {
    if (row.category === 'not_admitted') return { name: STATUS_LABELS.not_admitted['zh-CN'], nameEn: STATUS_LABELS.not_admitted.en };
    const item = deps.catalog.itemOf(row.catalogVersion, row.itemCode) ?? deps.catalog.lastVersionWith(row.itemCode)?.item ?? null;
    return item ? { name: item.categoryName, nameEn: item.categoryNameEn } : { name: row.category, nameEn: row.category };
  };

  app.get(
    '/api/v1/overview',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: "The wall's figures of a day (default today, China time): reported, filed, dispatched, in progress, closed, on-time rate, overdue now, teams on duty; 7-day trend, category mix, town ranking",
        description: DESCRIPTION,
        querystring: jsonSchema(overviewQuerySchema),
      },
    },
    async (req): Promise<OverviewResponse> => {
      const q = parseOr400(overviewQuerySchema, req.query, 'query');
      const { user } = req.principal!;
      if (q.town !== undefined && !inScope(user.scope, q.town)) {
        await deps.audit.record({ ...who(req.principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: q.town });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'town', code: 'out_of_scope' }], { what: q.town });
      }
      if (q.town !== undefined && !(await deps.overview.hasTown(q.town))) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: q.town });
      const now = deps.clock.now();
      const day = overviewDay(q.date, now);
      const towns = q.town !== undefined ? [q.town] : scopeTowns(user.scope);
      const period = { from: day.from, to: day.to };
      const week = { from: trendStart(day.from), to: day.to };
      return buildOverview({
        day,
        now,
        townId: q.town ?? null,
        flows: await deps.overview.flows(period, towns),
        state: await deps.overview.state(now, towns),
        teams: await deps.overview.teams(towns),
        reportedPerDay: await deps.overview.perDay('reported_at', week, towns),
        closedPerDay: await deps.overview.perDay('closed_at', week, towns),
        categories: await deps.overview.categories(period, towns),
        kpiTotal: (await deps.kpis.counts(period, towns, null))[0]?.counts ?? { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 },
        kpiTowns: await deps.kpis.counts(period, towns, 'town'),
        towns: await deps.overview.towns(period, now, towns),
        units: q.town === undefined ? await deps.overview.units() : undefined,
        categoryName,
      });
    },
  );
}
