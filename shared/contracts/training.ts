import { z } from 'zod';
import { cleanText } from './text.js';
import { workerIdSchema, type AgeBand, type EDUCATIONS, type Employment, type WORKER_GRADES, type WorkerStatus } from './workforce.js';

/**
 * Training of grid workers (issue 16 part 3) and the workforce composition dashboard (part 5).
 * Paths: `/api/v1/training/…` (OpenAPI tag `training`) and `GET /api/v1/workforce/composition`
 * (tag `workforce`); docs/WORKFORCE.md. Courses are by the paper's six subjects (党建知识、政策法规、
 * 业务知识、职业操守、系统操作、综合素质); sessions are the county's (no town) or a town's; a worker's
 * hours are the attendance rows of sessions held in the year; the yearly requirement is a setting.
 */

export const TRAINING_SUBJECTS = ['party_building', 'policy_law', 'business', 'ethics', 'system_operation', 'general_quality'] as const;
export type TrainingSubject = (typeof TRAINING_SUBJECTS)[number];

export const TRAINING_MODES = ['online', 'offline'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];

const townIdSchema = z.string().regex(/^\d{9}$/);
const day = z.iso.date();
const hoursSchema = z.number().positive().max(100);
/** Training ids: `TC…` courses, `TS…` sessions, `CE…` certificates. */
const courseIdSchema = z.string().regex(/^TC[0-9A-Za-z-]{1,40}$/);
const sessionIdSchema = z.string().regex(/^TS[0-9A-Za-z-]{1,40}$/);
/** A year of the statistics. */
const yearSchema = z.coerce.number().int().min(2000).max(2100);

/* ----------------------------------------------------------------------------------- settings */

/** `GET/PUT /api/v1/training/settings`: the hours of training each worker needs a year (default 24). */
export const trainingSettingsSchema = z.object({ yearlyHours: z.number().positive().max(500) }).strict();
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = { yearlyHours: 24 };

/* ------------------------------------------------------------------------------------ courses */

export const courseCreateSchema = z
  .object({
    subject: z.enum(TRAINING_SUBJECTS),
    title: cleanText({ max: 100 }),
    /** The course's planned hours; a session may run shorter or longer. */
    hours: hoursSchema,
  })
  .strict();
export type CourseCreate = z.infer<typeof courseCreateSchema>;

export const courseListQuerySchema = z.object({ subject: z.enum(TRAINING_SUBJECTS).optional() }).strict();

export interface TrainingCourse {
  id: string;
  subject: TrainingSubject;
  title: string;
  hours: number;
  createdBy: string;
  createdAt: string;
}

export interface TrainingCourseList {
  items: TrainingCourse[];
}

/* ----------------------------------------------------------------------------------- sessions */

export const sessionCreateSchema = z
  .object({
    courseId: courseIdSchema,
    mode: z.enum(TRAINING_MODES),
    /** The town that holds it (one of the caller's); null: the county's (a county-scope grid office only). */
    townId: townIdSchema.nullable(),
    heldOn: day,
    place: cleanText({ max: 100 }),
    trainer: cleanText({ max: 50 }),
    /** Hours the session ran: each attendee's hours are at most these. */
    hours: hoursSchema,
  })
  .strict();
export type SessionCreate = z.infer<typeof sessionCreateSchema>;

export const sessionListQuerySchema = z
  .object({
    /** Sessions held in this year (default: all). */
    year: yearSchema.optional(),
    /** A town of the caller's scope: its sessions and the county's. */
    town: townIdSchema.optional(),
    courseId: courseIdSchema.optional(),
  })
  .strict();

export const sessionParamsSchema = z.object({ id: sessionIdSchema }).strict();

export interface TrainingSession {
  id: string;
  course: { id: string; subject: TrainingSubject; title: string };
  mode: TrainingMode;
  /** Null: the county's session. */
  town: { id: string; name: string } | null;
  heldOn: string;
  place: string;
  trainer: string;
  hours: number;
  /** Attendance rows recorded. */
  attendees: number;
  createdBy: string;
  createdAt: string;
}

export interface TrainingAttendanceRow {
  workerId: string;
  name: string;
  townId: string;
  hours: number;
  passed: boolean | null;
  recordedBy: string;
  recordedAt: string;
}

export interface TrainingSessionDetail extends TrainingSession {
  attendance: TrainingAttendanceRow[];
}

export interface TrainingSessionList {
  items: TrainingSession[];
}

/**
 * Body of `PUT /api/v1/training/sessions/{id}/attendance`: each worker's hours (at most the
 * session's) and whether they passed (null or absent: no test). An upsert per worker: rows not
 * named stay; a worker named again is overwritten. Each worker once.
 */
export const attendanceBodySchema = z
  .array(
    z
      .object({
        workerId: workerIdSchema,
        hours: z.number().min(0).max(100),
        passed: z.boolean().nullable().optional(),
      })
      .strict(),
  )
  .min(1)
  .max(1000)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (seen.has(r.workerId)) ctx.addIssue({ code: 'custom', path: [i, 'workerId'], message: 'duplicate_id', params: { code: 'duplicate_id' } });
      seen.add(r.workerId);
    });
  });
export type AttendanceBody = z.infer<typeof attendanceBodySchema>;

/* ------------------------------------------------------------------------------- certificates */

export const certificateCreateSchema = z
  .object({
    workerId: workerIdSchema,
    title: cleanText({ max: 100 }),
    number: cleanText({ max: 64 }),
    issuedOn: day,
    /** The session it was earned at, if any (the worker must have attended it). */
    sessionId: sessionIdSchema.nullable().optional(),
  })
  .strict();
export type CertificateCreate = z.infer<typeof certificateCreateSchema>;

/** `GET /api/v1/training/certificates?workerId` (one worker's) or `?town` (the workers of a town in scope). */
export const certificateListQuerySchema = z.object({ workerId: workerIdSchema.optional(), town: townIdSchema.optional() }).strict();

export interface WorkerCertificate {
  id: string;
  workerId: string;
  workerName: string;
  title: string;
  number: string;
  issuedOn: string;
  sessionId: string | null;
  createdBy: string;
  createdAt: string;
}

export interface WorkerCertificateList {
  items: WorkerCertificate[];
}

/* ----------------------------------------------------------------------------------- progress */

export const progressQuerySchema = z.object({ year: yearSchema.optional(), town: townIdSchema.optional() }).strict();
export const meQuerySchema = z.object({ year: yearSchema.optional() }).strict();

export type HoursBySubject = Record<TrainingSubject, number>;

/** One worker's training in a year: hours of sessions held in it (attendance rows), by subject. */
export interface WorkerTrainingProgress {
  workerId: string;
  name: string;
  town: { id: string; name: string };
  grid: { id: string; name: string };
  employment: Employment;
  status: WorkerStatus;
  hours: number;
  bySubject: HoursBySubject;
  required: number;
  /** Fewer hours than required. */
  behind: boolean;
  /** Hours still missing (0 when not behind). */
  shortBy: number;
  /** Certificates issued to the worker (all years). */
  certificates: number;
}

export interface TrainingTotals {
  workers: number;
  hours: number;
  /** Average hours per worker (0 without workers). */
  averageHours: number;
  bySubject: HoursBySubject;
  behind: number;
  met: number;
  /** Percentage of workers meeting the requirement; null without workers. */
  metShare: number | null;
  certificates: number;
}

/** `GET /api/v1/training/progress?year&town`: workers not left, by town then id; town totals and the scope's. */
export interface TrainingProgressResponse {
  year: number;
  required: number;
  workers: WorkerTrainingProgress[];
  towns: Array<{ town: { id: string; name: string } } & TrainingTotals>;
  total: TrainingTotals;
}

/** `GET /api/v1/training/me?year`: the field worker's own hours, sessions and certificates. */
export interface TrainingMeResponse {
  year: number;
  required: number;
  progress: WorkerTrainingProgress;
  sessions: Array<{ sessionId: string; heldOn: string; subject: TrainingSubject; title: string; mode: TrainingMode; hours: number; passed: boolean | null }>;
  certificates: WorkerCertificate[];
}

/* -------------------------------------------------------------------------- composition (part 5) */

/** `GET /api/v1/workforce/composition?town&asOf` (asOf a day, China time; default today). */
export const compositionQuerySchema = z.object({ town: townIdSchema.optional(), asOf: day.optional() }).strict();

export type GradeCounts = Record<`${(typeof WORKER_GRADES)[number]}`, number>;
export type AgeBandCounts = Record<AgeBand, number>;
export type EducationCounts = Record<(typeof EDUCATIONS)[number] | 'other', number>;

/**
 * The workforce's composition on a day. `workers`: in service that day (started by it, not left
 * by it); the structure figures count those. Shares in percent (one decimal), null when their
 * denominator is 0. Turnover: workers who left in the 12 months up to asOf ÷ the average of the
 * headcounts 12 months before asOf and on asOf, in percent. Trained: workers in service whose
 * attendance hours of sessions held in asOf's year up to asOf meet the yearly requirement.
 */
export interface CompositionFigures {
  workers: number;
  active: number;
  onLeave: number;
  fullTime: number;
  partTime: number;
  fullTimeShare: number | null;
  grades: GradeCounts;
  ageBands: AgeBandCounts;
  /** Workers aged 50 or older (age = asOf's year − birth year). */
  aged50Plus: number;
  aged50PlusShare: number | null;
  education: EducationCounts;
  turnover: { left: number; headcountStart: number; headcountEnd: number; averageHeadcount: number; rate: number | null };
  trained: number;
  trainedShare: number | null;
}

export interface CompositionResponse {
  asOf: string;
  year: number;
  requiredHours: number;
  towns: Array<{ town: { id: string; name: string } } & CompositionFigures>;
  total: CompositionFigures;
}
