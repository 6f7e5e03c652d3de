import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  assessmentDecisionParamsSchema,
  assessmentDecisionSchema,
  assessmentExportQuerySchema,
  assessmentPeriodCreateSchema,
  assessmentPeriodParamsSchema,
  assessmentProposalSchema,
  assessmentResultsQuerySchema,
  assessmentReviewsSchema,
  type AssessmentPeriod,
  type AssessmentResponse,
  type OwnAssessmentResponse,
} from '../../../../shared/contracts/assessment.js';
import { commandCenterName } from '../../../../shared/contracts/briefing.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { auditActor } from '../auth/auth.plugin.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import { assessmentPrintPage, assessmentWorkbook } from './assessment-export.js';
import type { AssessmentActor, AssessmentService } from './assessment.service.js';

export interface AssessmentRouteDeps {
  assessment: AssessmentService;
  regions: RegionIndex;
  audit: AuditRepo;
  clock: Clock;
  /** The worker's record linked to an account (the field app's own reads). */
  workerOfUser(userId: string): Promise<{ id: string; townId: string } | null>;
}

const actorOf = (req: FastifyRequest): AssessmentActor => ({ userId: req.principal!.user.id, scope: req.principal!.user.scope, audit: auditActor(req) });

const RULES =
  'Rules and formulas: docs/WORKFORCE.md "Assessment" and shared/domain/assessment.ts. 勤 and 绩 are computed from `GET /api/v1/workforce/activity` of the period (live while it is open, frozen with their figures when it closes); 德 and 能 are scored by the town grid offices; ranks are within the town and the county; ratings 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below.';

/** Routes of the periodic assessment (德能勤绩, issue 16 part 4): `/api/v1/assessment/…`. */
export function registerAssessmentRoutes(app: FastifyInstance, deps: AssessmentRouteDeps): void {
  const { assessment } = deps;

  app.get(
    '/api/v1/assessment/periods',
    { config: { access: { permission: 'workforce:read' } }, schema: { tags: ['assessment'], summary: 'Assessment periods (德能勤绩), newest first' } },
    async (): Promise<{ periods: AssessmentPeriod[] }> => ({ periods: await assessment.periods() }),
  );

  app.get(
    '/api/v1/assessment/me',
    {
      config: { access: { permission: 'workforce:own' } },
      schema: {
        tags: ['assessment'],
        summary: "A grid worker's own assessment (the record linked to the account): each closed period's frozen scores, ranks out of how many were ranked, rating, figures, comment and the lists approved for the worker",
        description: "Every period, newest first; an open period (its ranks still move) and one the worker was not assessed in come without a result. 404 `no_worker_record` when no record is linked to the account (as `GET /api/v1/workforce/me`).",
      },
    },
    async (req): Promise<OwnAssessmentResponse> => {
      const worker = await deps.workerOfUser(req.principal!.user.id);
      if (!worker) throw new ApiHttpError(404, 'no_worker_record', 'error.no_worker_record');
      return assessment.own(worker.id, worker.townId);
    },
  );

  app.post(
    '/api/v1/assessment/periods',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['assessment'],
        summary: 'Open an assessment period: by default the quarter holding today, weights 德 20 能 20 勤 30 绩 30',
        description: `The county's grid office only (a county-scope account; 403 otherwise). Periods never overlap (409 \`assessment_state\`, field \`startsOn\` \`overlaps\`); at most 366 days; weights whole percents adding up to 100. Its id is the quarter (2026-Q4), half (2026-H1) or year (2026-Y) it is, else 2026-MMDD-MMDD. Audited \`assessment:period_create\`. ${RULES}`,
        body: jsonSchema(assessmentPeriodCreateSchema),
      },
    },
    async (req, reply) => {
      const body = parseOr400(assessmentPeriodCreateSchema, req.body ?? {}, 'body');
      const period = await assessment.create(body, actorOf(req));
      return reply.status(201).header('Location', `/api/v1/assessment/periods/${period.id}`).send(period);
    },
  );

  app.get(
    '/api/v1/assessment/periods/:id',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['assessment'],
        summary: "A period's results for the caller's towns (or `town`): scores, totals, ranks, ratings, suggested and decided lists, the figures",
        description: `Rows best first (county rank), the workers not yet scored for 德 and 能 last. \`town\` outside the caller's scope: 403 \`out_of_scope\`. ${RULES}`,
        params: jsonSchema(assessmentPeriodParamsSchema),
        querystring: jsonSchema(assessmentResultsQuerySchema),
      },
    },
    async (req): Promise<AssessmentResponse> => {
      const { id } = parseOr400(assessmentPeriodParamsSchema, req.params, 'params');
      const q = parseOr400(assessmentResultsQuerySchema, req.query, 'query');
      const towns = await townsOf(req, q.town, deps);
      return assessment.results(id, towns);
    },
  );

  app.put(
    '/api/v1/assessment/periods/:id/reviews',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['assessment'],
        summary: '德 and 能 of workers of the caller\'s towns (0–100 in half points, with a comment), while the period is open',
        description:
          'All or nothing: a worker not assessed in the period (422, `reviews[i].workerId` `not_assessed`), twice (`duplicate`) or outside the caller\'s towns (403 `out_of_scope`) refuses the whole body. A later review of a worker replaces the earlier. Closed period: 409 `assessment_state`. Audited `assessment:review`.',
        params: jsonSchema(assessmentPeriodParamsSchema),
        body: jsonSchema(assessmentReviewsSchema),
      },
    },
    async (req) => {
      const { id } = parseOr400(assessmentPeriodParamsSchema, req.params, 'params');
      const body = parseOr400(assessmentReviewsSchema, req.body, 'body');
      return assessment.review(id, body, actorOf(req));
    },
  );

  app.post(
    '/api/v1/assessment/periods/:id/close',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['assessment'],
        summary: 'Close a period after its last day: 勤 and 绩 computed once more and frozen with their figures, totals, ranks and ratings',
        description: 'The county\'s grid office only. Before the day after its last day: 409 `assessment_state`. Workers without 德 and 能 keep 勤 and 绩 but no total, rank or rating. Audited `assessment:close`.',
        params: jsonSchema(assessmentPeriodParamsSchema),
      },
    },
    async (req) => {
      const { id } = parseOr400(assessmentPeriodParamsSchema, req.params, 'params');
      return assessment.close(id, actorOf(req));
    },
  );

  app.post(
    '/api/v1/assessment/periods/:id/proposals',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['assessment'],
        summary: 'Propose a worker of the caller\'s towns for the reward list (以奖代补) or the exit-review list, with why',
        description: 'On a closed period (409 otherwise); once per worker and list (409). The result\'s `suggested` says whom the rules suggest; the proposer may propose others, with the reason. Audited `assessment:propose`.',
        params: jsonSchema(assessmentPeriodParamsSchema),
        body: jsonSchema(assessmentProposalSchema),
      },
    },
    async (req, reply) => {
      const { id } = parseOr400(assessmentPeriodParamsSchema, req.params, 'params');
      const body = parseOr400(assessmentProposalSchema, req.body, 'body');
      await assessment.propose(id, body, actorOf(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/assessment/periods/:id/proposals/:workerId/:list/decision',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: ['assessment'],
        summary: 'Decide a proposal (approved or rejected) with the reason: a second person, never the proposer',
        description: 'The proposer deciding their own proposal: 403 `separation_of_duties`. Decided once (409 `assessment_state`). Audited `assessment:decide`.',
        params: jsonSchema(assessmentDecisionParamsSchema),
        body: jsonSchema(assessmentDecisionSchema),
      },
    },
    async (req, reply) => {
      const { id, workerId, list } = parseOr400(assessmentDecisionParamsSchema, req.params, 'params');
      const body = parseOr400(assessmentDecisionSchema, req.body, 'body');
      await assessment.decide(id, workerId, list, body, actorOf(req));
      return reply.status(204).send();
    },
  );

  /** The results as papers: the workbook or the printable page, audited as one export. */
  const exported = async (req: FastifyRequest, format: 'xlsx' | 'html') => {
    const { id } = parseOr400(assessmentPeriodParamsSchema, req.params, 'params');
    const q = parseOr400(assessmentExportQuerySchema, req.query, 'query');
    const towns = await townsOf(req, q.town, deps);
    const res = await assessment.results(id, towns);
    const root = deps.regions.rootOf(req.principal!.user.scope)?.name ?? '';
    const scope = q.town === undefined ? root : (deps.regions.get(q.town)?.name ?? q.town);
    const input = { res, scope, center: commandCenterName(root), generatedAt: deps.clock.now().toISOString() };
    const body = format === 'xlsx' ? await assessmentWorkbook(input) : assessmentPrintPage(input);
    await deps.audit.record({ ...auditActor(req), action: 'assessment:export', result: 'success', objectType: 'assessment', objectId: id, details: { format, town: q.town ?? null, rows: res.rows.length } });
    return { body, name: `assessment-${id}${q.town ? `-${q.town}` : ''}` };
  };

  app.get(
    '/api/v1/assessment/periods/:id/export.xlsx',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['assessment'],
        summary: "A period's results as XLSX: results, the reward list, the exit-review list, how it was computed",
        description: 'The same rows and figures as `GET /api/v1/assessment/periods/{id}` for the same `town`. Audited `assessment:export`.',
        params: jsonSchema(assessmentPeriodParamsSchema),
        querystring: jsonSchema(assessmentExportQuerySchema),
      },
    },
    async (req, reply) => {
      const { body, name } = await exported(req, 'xlsx');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="${name}.xlsx"`)
        .header('Content-Length', (body as Buffer).length)
        .send(body);
    },
  );

  app.get(
    '/api/v1/assessment/periods/:id/print',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['assessment'],
        summary: "A period's results as a printable page (A4 landscape, with the lists, the formulas and lines to sign)",
        description: 'HTML, the same figures as the XLSX. Audited `assessment:export`.',
        params: jsonSchema(assessmentPeriodParamsSchema),
        querystring: jsonSchema(assessmentExportQuerySchema),
      },
    },
    async (req, reply) => {
      const { body } = await exported(req, 'html');
      return reply.type('text/html; charset=utf-8').send(body);
    },
  );
}
