import type {
  TrainingAttendanceRow,
  TrainingCourse,
  TrainingMeResponse,
  TrainingMode,
  TrainingSession,
  TrainingSubject,
  WorkerCertificate,
} from '../../../../shared/contracts/training.js';
import type { Employment, WorkerStatus } from '../../../../shared/contracts/workforce.js';
import type { Store } from '../../db/store.js';
import type { HoursRow, ProgressWorkerRow } from './training-progress.js';

/** A worker with the town of their grid (grid → village → town). */
const PLACE = 'JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id';
const WORKER_PLACE = `workers w ${PLACE}`;

const marks = (list: readonly unknown[]) => list.map(() => '?').join(',') || 'NULL';

interface CourseRow {
  id: string;
  subject: TrainingSubject;
  title: string;
  hours: number;
  created_by: string;
  created_at: string;
}

interface SessionRow {
  id: string;
  course_id: string;
  subject: TrainingSubject;
  title: string;
  mode: TrainingMode;
  town_id: string | null;
  town_name: string | null;
  held_on: string;
  place: string;
  trainer: string;
  hours: number;
  attendees: number;
  created_by: string;
  created_at: string;
}

interface CertificateRow {
  id: string;
  worker_id: string;
  worker_name: string;
  title: string;
  number: string;
  issued_on: string;
  session_id: string | null;
  created_by: string;
  created_at: string;
}

const course = (r: CourseRow): TrainingCourse => ({ id: r.id, subject: r.subject, title: r.title, hours: Number(r.hours), createdBy: r.created_by, createdAt: r.created_at });

const session = (r: SessionRow): TrainingSession => ({
  id: r.id,
  course: { id: r.course_id, subject: r.subject, title: r.title },
  mode: r.mode,
  town: r.town_id === null ? null : { id: r.town_id, name: r.town_name ?? r.town_id },
  heldOn: r.held_on,
  place: r.place,
  trainer: r.trainer,
  hours: Number(r.hours),
  attendees: Number(r.attendees),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const certificate = (r: CertificateRow): WorkerCertificate => ({
  id: r.id,
  workerId: r.worker_id,
  workerName: r.worker_name,
  title: r.title,
  number: r.number,
  issuedOn: r.issued_on,
  sessionId: r.session_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const SESSION_SELECT = `
  SELECT s.id, s.course_id, c.subject, c.title, s.mode, s.town_id, t.name AS town_name, s.held_on, s.place, s.trainer, s.hours,
         (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id) AS attendees, s.created_by, s.created_at
    FROM training_sessions s JOIN training_courses c ON c.id = s.course_id LEFT JOIN regions t ON t.id = s.town_id`;

/** A worker as the training rules see them: their town and standing. */
export interface WorkerPlace {
  id: string;
  name: string;
  townId: string;
  status: WorkerStatus;
}

/** Courses, sessions, attendance and certificates of grid workers' training, on the store (both dialects). */
export class TrainingRepo {
  constructor(private readonly store: Store) {}

  async courses(subject: TrainingSubject | undefined): Promise<TrainingCourse[]> {
    const rows = await this.store.all<CourseRow>(
      `SELECT id, subject, title, hours, created_by, created_at FROM training_courses ${subject ? 'WHERE subject = ?' : ''} ORDER BY created_at, id`,
      ...(subject ? [subject] : []),
    );
    return rows.map(course);
  }

  async course(id: string): Promise<TrainingCourse | null> {
    const row = await this.store.get<CourseRow>('SELECT id, subject, title, hours, created_by, created_at FROM training_courses WHERE id = ?', id);
    return row ? course(row) : null;
  }

  async insertCourse(c: TrainingCourse): Promise<void> {
    await this.store.run('INSERT INTO training_courses (id, subject, title, hours, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', c.id, c.subject, c.title, c.hours, c.createdBy, c.createdAt);
  }

  /**
   * Sessions, newest first: the county's and those of `towns` (null: every town's); only held
   * in [from, to] when given, only of one course when given.
   */
  async sessions(f: { towns: readonly string[] | null; from?: string; to?: string; courseId?: string }): Promise<TrainingSession[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.towns !== null) {
      where.push(`(s.town_id IS NULL OR s.town_id IN (${marks(f.towns)}))`);
      args.push(...f.towns);
    }
    if (f.from !== undefined) {
      where.push('s.held_on >= ?');
      args.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('s.held_on <= ?');
      args.push(f.to);
    }
    if (f.courseId !== undefined) {
      where.push('s.course_id = ?');
      args.push(f.courseId);
    }
    const rows = await this.store.all<SessionRow>(`${SESSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.held_on DESC, s.id DESC`, ...args);
    return rows.map(session);
  }

  async session(id: string): Promise<TrainingSession | null> {
    const row = await this.store.get<SessionRow>(`${SESSION_SELECT} WHERE s.id = ?`, id);
    return row ? session(row) : null;
  }

  async insertSession(s: { id: string; courseId: string; mode: TrainingMode; townId: string | null; heldOn: string; place: string; trainer: string; hours: number; createdBy: string; createdAt: string }): Promise<void> {
    await this.store.run(
      'INSERT INTO training_sessions (id, course_id, mode, town_id, held_on, place, trainer, hours, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      s.id,
      s.courseId,
      s.mode,
      s.townId,
      s.heldOn,
      s.place,
      s.trainer,
      s.hours,
      s.createdBy,
      s.createdAt,
    );
  }

  async attendance(sessionId: string): Promise<TrainingAttendanceRow[]> {
    const rows = await this.store.all<{ worker_id: string; name: string; town_id: string; hours: number; passed: number | null; recorded_by: string; recorded_at: string }>(
      `SELECT a.worker_id, w.name, t.id AS town_id, a.hours, a.passed, a.recorded_by, a.recorded_at
         FROM training_attendance a JOIN workers w ON w.id = a.worker_id ${PLACE}
        WHERE a.session_id = ? ORDER BY a.worker_id`,
      sessionId,
    );
    return rows.map((r) => ({ workerId: r.worker_id, name: r.name, townId: r.town_id, hours: Number(r.hours), passed: r.passed === null ? null : Number(r.passed) === 1, recordedBy: r.recorded_by, recordedAt: r.recorded_at }));
  }

  /** The attendance row of one worker at one session, if recorded. */
  async attended(sessionId: string, workerId: string): Promise<boolean> {
    return (await this.store.get('SELECT 1 AS one FROM training_attendance WHERE session_id = ? AND worker_id = ?', sessionId, workerId)) !== undefined;
  }

  /** Writes (or overwrites) one worker's attendance. Call inside a store transaction. */
  async upsertAttendance(sessionId: string, r: { workerId: string; hours: number; passed: boolean | null }, by: string, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO training_attendance (session_id, worker_id, hours, passed, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, worker_id) DO UPDATE SET hours = excluded.hours, passed = excluded.passed, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      sessionId,
      r.workerId,
      r.hours,
      r.passed === null ? null : r.passed ? 1 : 0,
      by,
      at,
    );
  }

  /** The workers named (those that exist), with their town and status. */
  async workerPlaces(ids: readonly string[]): Promise<Map<string, WorkerPlace>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.all<{ id: string; name: string; town_id: string; status: WorkerStatus }>(
      `SELECT w.id, w.name, t.id AS town_id, w.status FROM ${WORKER_PLACE} WHERE w.id IN (${marks(ids)}) ORDER BY w.id`,
      ...ids,
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, townId: r.town_id, status: r.status }]));
  }

  /** The worker whose record is linked to the account, if any. */
  async workerOfUser(userId: string): Promise<string | null> {
    return (await this.store.get<{ id: string }>('SELECT id FROM workers WHERE user_id = ?', userId))?.id ?? null;
  }

  async insertCertificate(c: { id: string; workerId: string; title: string; number: string; issuedOn: string; sessionId: string | null; createdBy: string; createdAt: string }): Promise<void> {
    await this.store.run(
      'INSERT INTO worker_certificates (id, worker_id, title, number, issued_on, session_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      c.id,
      c.workerId,
      c.title,
      c.number,
      c.issuedOn,
      c.sessionId,
      c.createdBy,
      c.createdAt,
    );
  }

  /** Certificates of one worker, or of the workers of `towns` (null: all), by worker then issue day. */
  async certificates(f: { workerId?: string; towns: readonly string[] | null; id?: string }): Promise<WorkerCertificate[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.id !== undefined) {
      where.push('c.id = ?');
      args.push(f.id);
    }
    if (f.workerId !== undefined) {
      where.push('c.worker_id = ?');
      args.push(f.workerId);
    }
    if (f.towns !== null) {
      where.push(`t.id IN (${marks(f.towns)})`);
      args.push(...f.towns);
    }
    const rows = await this.store.all<CertificateRow>(
      `SELECT c.id, c.worker_id, w.name AS worker_name, c.title, c.number, c.issued_on, c.session_id, c.created_by, c.created_at
         FROM worker_certificates c JOIN workers w ON w.id = c.worker_id ${PLACE}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.worker_id, c.issued_on, c.id`,
      ...args,
    );
    return rows.map(certificate);
  }

  /** Workers not left of `towns` (null: all; or only `workerId`), by town code then id. */
  async progressWorkers(f: { towns: readonly string[] | null; workerId?: string }): Promise<ProgressWorkerRow[]> {
    const where = ["w.status <> 'left'"];
    const args: unknown[] = [];
    if (f.towns !== null) {
      where.push(`t.id IN (${marks(f.towns)})`);
      args.push(...f.towns);
    }
    if (f.workerId !== undefined) {
      where.length = 0;
      where.push('w.id = ?');
      args.length = 0;
      args.push(f.workerId);
    }
    const rows = await this.store.all<{ id: string; name: string; town_id: string; town_name: string; grid_id: string; grid_name: string; employment: Employment; status: WorkerStatus }>(
      `SELECT w.id, w.name, t.id AS town_id, t.name AS town_name, g.id AS grid_id, g.name AS grid_name, w.employment, w.status
         FROM ${WORKER_PLACE} WHERE ${where.join(' AND ')} ORDER BY t.code, w.id`,
      ...args,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, townId: r.town_id, townName: r.town_name, gridId: r.grid_id, gridName: r.grid_name, employment: r.employment, status: r.status }));
  }

  /** Attendance hours summed by worker and subject, of sessions held in [from, to] (days), for the workers of `towns` (null: all; or one worker). */
  async hours(f: { from: string; to: string; towns: readonly string[] | null; workerId?: string }): Promise<HoursRow[]> {
    const where = ['s.held_on >= ?', 's.held_on <= ?'];
    const args: unknown[] = [f.from, f.to];
    if (f.workerId !== undefined) {
      where.push('a.worker_id = ?');
      args.push(f.workerId);
    } else if (f.towns !== null) {
      where.push(`t.id IN (${marks(f.towns)})`);
      args.push(...f.towns);
    }
    const rows = await this.store.all<{ worker_id: string; subject: TrainingSubject; hours: number }>(
      `SELECT a.worker_id, c.subject, SUM(a.hours) AS hours
         FROM training_attendance a
         JOIN training_sessions s ON s.id = a.session_id
         JOIN training_courses c ON c.id = s.course_id
         JOIN workers w ON w.id = a.worker_id ${PLACE}
        WHERE ${where.join(' AND ')}
        GROUP BY a.worker_id, c.subject ORDER BY a.worker_id, c.subject`,
      ...args,
    );
    return rows.map((r) => ({ workerId: r.worker_id, subject: r.subject, hours: Number(r.hours) }));
  }

  /** The sessions a worker attended that were held in [from, to], by day. */
  async workerSessions(workerId: string, from: string, to: string): Promise<TrainingMeResponse['sessions']> {
    const rows = await this.store.all<{ id: string; held_on: string; subject: TrainingSubject; title: string; mode: TrainingMode; hours: number; passed: number | null }>(
      `SELECT s.id, s.held_on, c.subject, c.title, s.mode, a.hours, a.passed
         FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id JOIN training_courses c ON c.id = s.course_id
        WHERE a.worker_id = ? AND s.held_on >= ? AND s.held_on <= ? ORDER BY s.held_on, s.id`,
      workerId,
      from,
      to,
    );
    return rows.map((r) => ({ sessionId: r.id, heldOn: r.held_on, subject: r.subject, title: r.title, mode: r.mode, hours: Number(r.hours), passed: r.passed === null ? null : Number(r.passed) === 1 }));
  }

  /** Certificates counted by worker, for the workers of `towns` (null: all). */
  async certificateCounts(towns: readonly string[] | null): Promise<Map<string, number>> {
    const rows = await this.store.all<{ worker_id: string; n: number }>(
      `SELECT c.worker_id, COUNT(*) AS n FROM worker_certificates c JOIN workers w ON w.id = c.worker_id ${PLACE}
        ${towns !== null ? `WHERE t.id IN (${marks(towns)})` : ''} GROUP BY c.worker_id ORDER BY c.worker_id`,
      ...(towns ?? []),
    );
    return new Map(rows.map((r) => [r.worker_id, Number(r.n)]));
  }
}
