import { randomUUID } from 'node:crypto';
import type {
  AttendanceBody,
  CertificateCreate,
  CourseCreate,
  SessionCreate,
  TrainingCourse,
  TrainingSessionDetail,
  TrainingSettings,
  WorkerCertificate,
} from '../../../../shared/contracts/training.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditActor } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { inScope } from '../events/event-view.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import { roundHours } from './training-progress.js';
import type { TrainingRepo, WorkerPlace } from './training.repo.js';

type Field = { field: string; code: string; params?: Record<string, unknown> };

const refused = (fields: Field[]) => new ApiHttpError(422, 'training_invalid', 'error.training_invalid', fields);

const newId = (prefix: 'TC' | 'TS' | 'CE') => `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 20)}`;

/**
 * Why a worker may not be recorded at a session (null: they may): unknown, left, outside the
 * session's town (a town's session), or outside the caller's scope (a county session recorded
 * by a town's grid office). Pure.
 */
export function attendeeProblem(worker: WorkerPlace | undefined, sessionTown: string | null, scope: Scope): string | null {
  if (!worker) return 'unknown_worker';
  if (worker.status === 'left') return 'worker_left';
  if (sessionTown !== null && worker.townId !== sessionTown) return 'worker_outside_town';
  if (!inScope(scope, worker.townId)) return 'worker_out_of_scope';
  return null;
}

/** Training writes: each in one transaction with its audit record; refusals write nothing. */
export class TrainingService {
  constructor(private readonly deps: { store: Store; repo: TrainingRepo; settings: SettingsRepo; audit: AuditRepo; clock: Clock }) {}

  async createCourse(actor: AuditActor & { userId: string }, body: CourseCreate): Promise<TrainingCourse> {
    const { store, repo, audit, clock } = this.deps;
    const course: TrainingCourse = { id: newId('TC'), subject: body.subject, title: body.title, hours: body.hours, createdBy: actor.userId, createdAt: clock.now().toISOString() };
    await store.inTransaction(async () => {
      await repo.insertCourse(course);
      await audit.append({ ...actor, action: 'training:course_create', result: 'success', objectType: 'training_course', objectId: course.id, details: { subject: course.subject, title: course.title, hours: course.hours } });
    });
    return course;
  }

  /** A session of a course: the county's (townId null, county scope only) or a town's in the caller's scope (checked by the route). */
  async createSession(actor: AuditActor & { userId: string }, body: SessionCreate): Promise<TrainingSessionDetail> {
    const { store, repo, audit, clock } = this.deps;
    if (!(await repo.course(body.courseId))) throw refused([{ field: 'courseId', code: 'unknown_course' }]);
    const id = newId('TS');
    await store.inTransaction(async () => {
      await repo.insertSession({ id, ...body, createdBy: actor.userId, createdAt: clock.now().toISOString() });
      await audit.append({ ...actor, action: 'training:session_create', result: 'success', objectType: 'training_session', objectId: id, details: { ...body } });
    });
    return (await this.detail(id))!;
  }

  async detail(id: string): Promise<TrainingSessionDetail | null> {
    const session = await this.deps.repo.session(id);
    return session ? { ...session, attendance: await this.deps.repo.attendance(id) } : null;
  }

  /**
   * Records the attendance rows (upsert per worker) of a session the caller may see. Every row is
   * checked first: a worker unknown, left, outside the session's town or the caller's scope, or
   * hours over the session's refuse the whole body (422 naming each row's field), nothing written.
   */
  async recordAttendance(actor: AuditActor & { userId: string }, scope: Scope, sessionId: string, rows: AttendanceBody): Promise<TrainingSessionDetail> {
    const { store, repo, audit, clock } = this.deps;
    const session = await repo.session(sessionId);
    if (!session || (session.town !== null && !inScope(scope, session.town.id))) {
      throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: sessionId });
    }
    const workers = await repo.workerPlaces(rows.map((r) => r.workerId));
    const problems: Field[] = [];
    rows.forEach((r, i) => {
      const problem = attendeeProblem(workers.get(r.workerId), session.town?.id ?? null, scope);
      if (problem) problems.push({ field: `${i}.workerId`, code: problem });
      if (r.hours > session.hours) problems.push({ field: `${i}.hours`, code: 'over_session_hours', params: { limit: session.hours } });
    });
    if (problems.length > 0) throw refused(problems);
    const at = clock.now().toISOString();
    await store.inTransaction(async () => {
      const before = new Map((await repo.attendance(sessionId)).map((a) => [a.workerId, { hours: a.hours, passed: a.passed }]));
      for (const r of rows) await repo.upsertAttendance(sessionId, { workerId: r.workerId, hours: r.hours, passed: r.passed ?? null }, actor.userId, at);
      await audit.append({
        ...actor,
        action: 'training:attendance',
        result: 'success',
        objectType: 'training_session',
        objectId: sessionId,
        details: {
          rows: rows.length,
          hours: roundHours(rows.reduce((s, r) => s + r.hours, 0)),
          workers: rows.map((r) => ({ workerId: r.workerId, hours: r.hours, passed: r.passed ?? null, before: before.get(r.workerId) ?? null })),
        },
      });
    });
    return (await this.detail(sessionId))!;
  }

  async createCertificate(actor: AuditActor & { userId: string }, scope: Scope, body: CertificateCreate): Promise<WorkerCertificate> {
    const { store, repo, audit, clock } = this.deps;
    const worker = (await repo.workerPlaces([body.workerId])).get(body.workerId);
    const problem = attendeeProblem(worker, null, scope);
    if (problem) throw refused([{ field: 'workerId', code: problem }]);
    const sessionId = body.sessionId ?? null;
    if (sessionId !== null) {
      const session = await repo.session(sessionId);
      if (!session || (session.town !== null && !inScope(scope, session.town.id))) throw refused([{ field: 'sessionId', code: 'unknown_session' }]);
      if (!(await repo.attended(sessionId, body.workerId))) throw refused([{ field: 'sessionId', code: 'not_attended' }]);
    }
    const id = newId('CE');
    await store.inTransaction(async () => {
      await repo.insertCertificate({ id, workerId: body.workerId, title: body.title, number: body.number, issuedOn: body.issuedOn, sessionId, createdBy: actor.userId, createdAt: clock.now().toISOString() });
      await audit.append({ ...actor, action: 'training:certificate', result: 'success', objectType: 'worker', objectId: body.workerId, details: { certificateId: id, title: body.title, number: body.number, issuedOn: body.issuedOn, sessionId } });
    });
    return (await repo.certificates({ id, towns: null }))[0]!;
  }

  /** Replaces the yearly hour requirement (county grid office); audited as a settings change with before and after. */
  async updateSettings(actor: AuditActor & { userId: string }, value: TrainingSettings): Promise<TrainingSettings> {
    const { store, settings, audit, clock } = this.deps;
    await store.inTransaction(async () => {
      const before = await settings.training();
      await settings.saveTraining(value, clock.now().toISOString(), actor.userId);
      await audit.append({ ...actor, action: 'settings:change', result: 'success', objectType: 'settings', objectId: 'training', details: { before, after: value } });
    });
    return settings.training();
  }
}
