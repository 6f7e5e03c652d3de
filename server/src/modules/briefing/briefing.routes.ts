import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { briefingFileName, briefingQuerySchema, chinaDateTime, commandCenterName, type BriefingResponse } from '../../../../shared/contracts/briefing.js';
import type { Clock } from '../../core/clock.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { auditActor } from '../auth/auth.plugin.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import { seesPersonalData } from '../events/event-view.js';
import { briefingCsv } from './briefing-csv.js';
import { drawBriefingMap } from './briefing-map.js';
import { briefingPeriod, type BriefingService, type Period } from './briefing.service.js';
import { briefingWorkbook } from './briefing-xlsx.js';

/** What each figure counts: one text for the OpenAPI document (docs/WORKFLOW.md says the same). */
const DEFINITIONS =
  'The period is [from, to): days or instants as `GET /api/v1/kpis` takes them (China time; a plain day as `to` is that whole day); with neither, the shift ending near the server\'s now ' +
  '(the running shift once more than half of it has passed, else the one that ended last, per `GET /api/v1/settings/shifts`). At most 93 days. ' +
  'Counts of what happened count the period: `reported` = cases reported in it (every channel, not admitted included), `notAdmitted` = of those not admitted, ' +
  '`filed` = cases filed in it (by a person or machine dispatch), `dispatched` = cases dispatched to a team in it (a re-dispatch counts the case once), ' +
  '`closed` = cases closed in it, `closedOnTime` = of those closed by their closing deadline. ' +
  'Counts of what stands are taken at `asOf` = `to`, or now if earlier, from the steps recorded before it: `open` = cases open then (not closed, rejected, voided, merged or not admitted), ' +
  '`overdueOpen` = of those past their closing deadline (应结案时间, as extended), `nearDeadline` = open, not overdue, due before `nearDeadlineUntil` (the end of the shift running at `asOf`), ' +
  '`supervisedOpen` = open and put under supervision (督办) before `asOf`. ' +
  '`kpis` is exactly `computeKpis(kpiCounts)` where `kpiCounts` is `GET /api/v1/kpis` `total.counts` for the period; `byArea` gives the same per area of `areaLevel` (zeros included) and adds up to the totals. ' +
  'The briefing is named after `area`, the root of the caller\'s scope (their county or city, the platform\'s root; a town user\'s town), and ranks the areas one level below it: the towns of a county, the counties of a city, the cities of a province; each area\'s figures are its towns\' summed. ' +
  '`comparison` has the same figures for the previous shift and the same shift a week earlier (for a period that is not one shift: the period of equal length before it, and the period a week earlier). ' +
  'Also: `shift` and its duty lead, `issue` (第 N 期: the shift\'s number in its year), the open cases overdue, near their deadline and supervised (most pressing first, at most 50 each), ' +
  'top items, hot spots (grids with 2+ reports of one item in the period), notable cases (P0/P1 reported, or supervised, in the period) with their timelines up to `asOf`, and each team\'s activity. ' +
  'Only the caller\'s towns; no reporter data.';

const QUERY = jsonSchema(briefingQuerySchema);

/** `attachment` with an ASCII name for old clients and the real (Chinese) name in UTF-8 (RFC 6266). */
function attachment(reply: FastifyReply, name: string): FastifyReply {
  const ascii = name.replace('交班简报', 'briefing').replace(/[^\x20-\x7e]/g, '_');
  return reply.header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}

/**
 * `GET /api/v1/briefings` (JSON), `/export.xlsx`, `/export.csv` and `/map.svg`: the shift briefing
 * (交班简报) over the caller's towns, for the roles that read figures (kpi:read). Exports are
 * audited (`briefing:export`): the XLSX lists reporters, unmasked for roles that see them.
 */
export function registerBriefingRoutes(app: FastifyInstance, deps: { briefings: BriefingService; audit: Pick<AuditRepo, 'record'>; clock: Clock }): void {
  const { briefings } = deps;
  const resolve = async (req: FastifyRequest): Promise<{ period: Period; scope: Scope; now: Date }> => {
    const q = parseOr400(briefingQuerySchema, req.query, 'query');
    const now = deps.clock.now();
    return { period: briefingPeriod(q, now, await briefings.shifts()), scope: req.principal!.user.scope, now };
  };
  const exported = (req: FastifyRequest, format: 'xlsx' | 'csv', b: BriefingResponse, details: Record<string, unknown> = {}) =>
    deps.audit.record({
      ...auditActor(req),
      action: 'briefing:export',
      result: 'success',
      objectType: 'briefing',
      objectId: `${b.period.from}/${b.period.to}`,
      details: { format, from: b.period.from, to: b.period.to, ...details },
    });

  app.get(
    '/api/v1/briefings',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: { tags: ['events'], summary: 'The shift briefing (交班简报) of a period (default: the shift ending now), as JSON', description: DEFINITIONS, querystring: QUERY },
    },
    async (req): Promise<BriefingResponse> => {
      const { period, scope, now } = await resolve(req);
      return await briefings.build(period, scope, now);
    },
  );

  app.get(
    '/api/v1/briefings/export.xlsx',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'The shift briefing as a workbook: summary, areas (towns, counties or cities), cases reported, open cases, items, hot spots, teams, notable timelines',
        description:
          'The same figures as `GET /api/v1/briefings` in numeric cells (rates as fractions formatted as percent, times in China time). The cases sheet lists reporters, masked for roles that do not see personal data. Audited as `briefing:export`.',
        querystring: QUERY,
      },
    },
    async (req, reply) => {
      const { period, scope, now } = await resolve(req);
      const b = await briefings.build(period, scope, now);
      const full = seesPersonalData(req.principal!.user.roles);
      const reported = await briefings.reportedCases(period, scope, now, full);
      const body = await briefingWorkbook({ briefing: b, reported, open: await briefings.openCases(period, scope, now), center: commandCenterName(b.area.name) });
      await exported(req, 'xlsx', b, { personalData: full ? 'unmasked' : 'masked', cases: reported.length });
      return attachment(reply, briefingFileName(b.period, 'xlsx'))
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Length', body.length)
        .send(body);
    },
  );

  app.get(
    '/api/v1/briefings/export.csv',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'The shift briefing\'s figures as CSV (UTF-8 with BOM): the total and one row per area it ranks (town, county or city)',
        description: 'The counts and rates of `GET /api/v1/briefings` (`counts`, `kpis`, `byArea`), RFC 4180. Audited as `briefing:export`.',
        querystring: QUERY,
      },
    },
    async (req, reply) => {
      const { period, scope, now } = await resolve(req);
      const b = await briefings.build(period, scope, now);
      const body = Buffer.from(briefingCsv(b), 'utf8');
      await exported(req, 'csv', b);
      return attachment(reply, briefingFileName(b.period, 'csv')).type('text/csv; charset=utf-8').header('Content-Length', body.length).send(body);
    },
  );

  app.get(
    '/api/v1/briefings/map.svg',
    {
      config: { access: { permission: 'kpi:read' } },
      schema: {
        tags: ['events'],
        summary: 'The briefing\'s map picture (SVG): the areas it ranks (towns, counties or cities) and the period\'s cases as urgency marks',
        description: 'Drawn on the server from the regions table: the areas the briefing ranks fill the picture (the caller\'s towns, or the counties or cities holding them), their neighbours faintly around; cases reported in the period as ▲ P0, ◆ P1, ■ P2, ● P3, filled while open at `asOf`, hollow once finished.',
        querystring: QUERY,
      },
    },
    async (req, reply) => {
      const { period, scope, now } = await resolve(req);
      const map = await briefings.mapData(period, scope, now);
      const title = `事件分布图 ${chinaDateTime(period.from)} 至 ${chinaDateTime(period.to)}`;
      return reply.type('image/svg+xml; charset=utf-8').send(drawBriefingMap({ ...map, title }));
    },
  );
}
