import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  attendanceBodySchema,
  certificateCreateSchema,
  certificateListQuerySchema,
  courseCreateSchema,
  courseListQuerySchema,
  meQuerySchema,
  progressQuerySchema,
  sessionCreateSchema,
  sessionListQuerySchema,
  sessionParamsSchema,
  trainingSettingsSchema,
  type TrainingCourseList,
  type TrainingMeResponse,
  type TrainingProgressResponse,
  type TrainingSessionDetail,
  type TrainingSessionList,
  type TrainingSettings,
  type WorkerCertificateList,
} from '../../../../shared/contracts/training.js';
import { commandCenterName } from '../../../../shared/contracts/briefing.js';
import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { auditActor } from '../auth/auth.plugin.js';
import { inScope, scopeTowns } from '../events/event-view.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import { buildProgress } from './training-progress.js';
import { trainingWorkbook } from './training-xlsx.js';
import { TrainingRepo } from './training.repo.js';
import { TrainingService } from './training.service.js';

export interface TrainingRouteDeps {
  store: Store;
  settings: SettingsRepo;
  regions: RegionIndex;
  audit: AuditRepo;
  clock: Clock;
}

const TAGS = ['training'];

/**
 * Grid workers' training (`/api/v1/training/…`, issue 16 part 3) and the workforce composition
 * dashboard (`/api/v1/workforce/composition`, part 5). Reading needs `workforce:read` and sees the
 * caller's towns (and the county's sessions); writing needs `workforce:manage` in scope; a field
 * worker reads their own hours (`workforce:own`, `GET /api/v1/training/me`).
 */
export function registerTrainingRoutes(app: FastifyInstance, deps: TrainingRouteDeps): void {
  const repo = new TrainingRepo(deps.store);
  const service = new TrainingService({ store: deps.store, repo, settings: deps.settings, audit: deps.audit, clock: deps.clock });

  const actor = (req: FastifyRequest) => ({ ...auditActor(req), userId: req.principal!.user.id });
  const scopeOf = (req: FastifyRequest) => req.principal!.user.scope;
  const thisYear = () => Number(chinaDayOf(deps.clock.now()).slice(0, 4));

  /** A town named in a body, outside the caller's scope: 403 `out_of_scope`, audited as a denial (as a query's `town` is). */
  async function bodyTownInScope(req: FastifyRequest, town: string): Promise<void> {
    if (!inScope(scopeOf(req), town)) {
      await deps.audit.record({ ...auditActor(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'town', objectId: town });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'townId', code: 'out_of_scope' }], { what: town });
    }
    if (deps.regions.get(town)?.level !== 'town') throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'townId', code: 'unknown_town' }]);
  }

  async function progress(req: FastifyRequest, year: number, town: string | undefined): Promise<TrainingProgressResponse> {
    const towns = await townsOf(req, town, deps);
    const [workers, hours, certificates, settings] = await Promise.all([
      repo.progressWorkers({ towns }),
      repo.hours({ from: `${year}-01-01`, to: `${year}-12-31`, towns }),
      repo.certificateCounts(towns),
      deps.settings.training(),
    ]);
    return buildProgress({ year, required: settings.yearlyHours, workers, hours, certificates });
  }

  app.get(
    '/api/v1/training/settings',
    { config: { access: { permission: 'workforce:read' } }, schema: { tags: TAGS, summary: "The grid workers' yearly training requirement (hours a year; default 24)" } },
    async (): Promise<TrainingSettings> => deps.settings.training(),
  );

  app.put(
    '/api/v1/training/settings',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: { tags: TAGS, summary: "Replace the yearly training requirement: the county's grid office only (403 `out_of_scope` for a town's); audited as `settings:change`", body: jsonSchema(trainingSettingsSchema) },
    },
    async (req): Promise<TrainingSettings> => {
      const body = parseOr400(trainingSettingsSchema, req.body, 'body');
      if (scopeOf(req).kind !== 'county') {
        await deps.audit.record({ ...auditActor(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'settings', objectId: 'training' });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: 'training settings' });
      }
      return service.updateSettings(actor(req), body);
    },
  );

  app.get(
    '/api/v1/training/courses',
    { config: { access: { permission: 'workforce:read' } }, schema: { tags: TAGS, summary: 'Training courses, optionally of one subject (the six subjects of the source paper), oldest first', querystring: jsonSchema(courseListQuerySchema) } },
    async (req): Promise<TrainingCourseList> => ({ items: await repo.courses(parseOr400(courseListQuerySchema, req.query, 'query').subject) }),
  );

  app.post(
    '/api/v1/training/courses',
    { config: { access: { permission: 'workforce:manage' } }, schema: { tags: TAGS, summary: 'Create a training course (subject, title, planned hours); audited as `training:course_create`', body: jsonSchema(courseCreateSchema) } },
    async (req, reply) => reply.status(201).send(await service.createCourse(actor(req), parseOr400(courseCreateSchema, req.body, 'body'))),
  );

  app.get(
    '/api/v1/training/sessions',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: TAGS,
        summary: "Training sessions, newest first: the county's and those of the caller's towns (or of the one `town`), optionally of one year and one course",
        querystring: jsonSchema(sessionListQuerySchema),
      },
    },
    async (req): Promise<TrainingSessionList> => {
      const q = parseOr400(sessionListQuerySchema, req.query, 'query');
      const towns = q.town !== undefined ? await townsOf(req, q.town, deps) : scopeTowns(scopeOf(req));
      return { items: await repo.sessions({ towns, courseId: q.courseId, ...(q.year !== undefined ? { from: `${q.year}-01-01`, to: `${q.year}-12-31` } : {}) }) };
    },
  );

  app.post(
    '/api/v1/training/sessions',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: TAGS,
        summary: "Create a training session of a course: a town's (`townId` in the caller's scope) or the county's (`townId: null`, the county's grid office only: 403 `county_scope_only`); audited as `training:session_create`",
        description: 'An unknown course is a 422 `training_invalid` naming `courseId`.',
        body: jsonSchema(sessionCreateSchema),
      },
    },
    async (req, reply) => {
      const body = parseOr400(sessionCreateSchema, req.body, 'body');
      if (body.townId === null && scopeOf(req).kind !== 'county') {
        await deps.audit.record({ ...auditActor(req), action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'training_session', objectId: 'county' });
        throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'townId', code: 'county_scope_only' }], { what: 'county' });
      }
      if (body.townId !== null) await bodyTownInScope(req, body.townId);
      return reply.status(201).send(await service.createSession(actor(req), body));
    },
  );

  app.get(
    '/api/v1/training/sessions/:id',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: { tags: TAGS, summary: "One session with its attendance (the rows of workers in the caller's towns); 404 for another town's", params: jsonSchema(sessionParamsSchema) },
    },
    async (req): Promise<TrainingSessionDetail> => {
      const { id } = parseOr400(sessionParamsSchema, req.params, 'params');
      const scope = scopeOf(req);
      const detail = await service.detail(id);
      if (!detail || (detail.town !== null && !inScope(scope, detail.town.id))) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
      return { ...detail, attendance: detail.attendance.filter((a) => inScope(scope, a.townId)) };
    },
  );

  app.put(
    '/api/v1/training/sessions/:id/attendance',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: TAGS,
        summary: "Record attendance: each worker's hours (at most the session's) and pass; an upsert per worker (rows not named stay); audited as `training:attendance`",
        description:
          "Workers must exist, not have left, belong to the session's town (any town for a county session) and to the caller's scope: otherwise 422 `training_invalid` naming each row's field (`0.workerId`, `2.hours`…) and nothing is written.",
        params: jsonSchema(sessionParamsSchema),
        body: jsonSchema(attendanceBodySchema),
      },
    },
    async (req): Promise<TrainingSessionDetail> => {
      const { id } = parseOr400(sessionParamsSchema, req.params, 'params');
      const body = parseOr400(attendanceBodySchema, req.body, 'body');
      const scope = scopeOf(req);
      const detail = await service.recordAttendance(actor(req), scope, id, body);
      return { ...detail, attendance: detail.attendance.filter((a) => inScope(scope, a.townId)) };
    },
  );

  app.post(
    '/api/v1/training/certificates',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: {
        tags: TAGS,
        summary: "Record a worker's certificate (optionally earned at a session they attended); audited as `training:certificate`",
        description: 'A worker unknown, left or outside the caller\'s scope, or a session unknown or not attended, is a 422 `training_invalid` naming the field.',
        body: jsonSchema(certificateCreateSchema),
      },
    },
    async (req, reply) => reply.status(201).send(await service.createCertificate(actor(req), scopeOf(req), parseOr400(certificateCreateSchema, req.body, 'body'))),
  );

  app.get(
    '/api/v1/training/certificates',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: { tags: TAGS, summary: "Certificates by worker: one worker's (`workerId`) or those of the caller's towns (or the one `town`)", querystring: jsonSchema(certificateListQuerySchema) },
    },
    async (req): Promise<WorkerCertificateList> => {
      const q = parseOr400(certificateListQuerySchema, req.query, 'query');
      const towns = q.town !== undefined ? await townsOf(req, q.town, deps) : scopeTowns(scopeOf(req));
      return { items: await repo.certificates({ towns, workerId: q.workerId }) };
    },
  );

  app.get(
    '/api/v1/training/progress',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: TAGS,
        summary: "Each worker's training hours in a year by subject, the requirement, who is behind and by how much, certificates; the towns' and the scope's totals",
        description:
          "`year` (default this year, China time); `town` one town of the caller's scope (403 `out_of_scope` outside it). Workers not left (active or on leave), by town then id. Hours: the worker's attendance rows at sessions held in the year.",
        querystring: jsonSchema(progressQuerySchema),
      },
    },
    async (req): Promise<TrainingProgressResponse> => {
      const q = parseOr400(progressQuerySchema, req.query, 'query');
      return progress(req, q.year ?? thisYear(), q.town);
    },
  );

  app.get(
    '/api/v1/training/progress/export',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: { tags: TAGS, summary: 'The same progress as XLSX: a row per worker, the towns\' totals and notes; audited as `training:export`', querystring: jsonSchema(progressQuerySchema) },
    },
    async (req, reply) => {
      const q = parseOr400(progressQuerySchema, req.query, 'query');
      const year = q.year ?? thisYear();
      const data = await progress(req, year, q.town);
      const root = deps.regions.rootOf(req.principal!.user.scope)?.name ?? '';
      const scope = q.town === undefined ? root : (deps.regions.get(q.town)?.name ?? q.town);
      const now = deps.clock.now();
      const body = await trainingWorkbook({ progress: data, scope, generatedAt: now.toISOString(), center: commandCenterName(root) });
      await deps.audit.record({ ...auditActor(req), action: 'training:export', result: 'success', objectType: 'training', objectId: String(year), details: { year, town: q.town ?? null, rows: data.workers.length } });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="training-${year}${q.town ? `-${q.town}` : ''}.xlsx"`)
        .header('Content-Length', body.length)
        .send(body);
    },
  );

  app.get(
    '/api/v1/training/me',
    {
      config: { access: { permission: 'workforce:own' } },
      schema: { tags: TAGS, summary: "A grid worker's own training in a year (the worker record linked to the account): hours by subject, sessions, certificates; 404 `no_worker_record` when no record is linked (as `GET /api/v1/workforce/me`)", querystring: jsonSchema(meQuerySchema) },
    },
    async (req): Promise<TrainingMeResponse> => {
      const q = parseOr400(meQuerySchema, req.query, 'query');
      const year = q.year ?? thisYear();
      const workerId = await repo.workerOfUser(req.principal!.user.id);
      const worker = workerId === null ? undefined : (await repo.progressWorkers({ towns: null, workerId }))[0];
      if (!worker) throw new ApiHttpError(404, 'no_worker_record', 'error.no_worker_record');
      const [hours, certificates, settings, sessions] = await Promise.all([
        repo.hours({ from: `${year}-01-01`, to: `${year}-12-31`, towns: null, workerId: worker.id }),
        repo.certificates({ towns: null, workerId: worker.id }),
        deps.settings.training(),
        repo.workerSessions(worker.id, `${year}-01-01`, `${year}-12-31`),
      ]);
      const p = buildProgress({ year, required: settings.yearlyHours, workers: [worker], hours, certificates: new Map([[worker.id, certificates.length]]) });
      return { year, required: settings.yearlyHours, progress: p.workers[0]!, sessions, certificates };
    },
  );
}
