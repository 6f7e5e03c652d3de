import { z } from 'zod';
import { dayOrInstantSchema } from './period.js';
import { teamIdSchema } from './ids.js';

/**
 * The grid workforce (队伍建设, issue 16): each grid worker's record, kept by the town's grid office
 * (网格办), read by the county, a worker's own read by the worker (the field account linked to the
 * record). Paths: `/api/v1/workforce/…` (docs/WORKFORCE.md, OpenAPI tag `workforce`).
 */

export const WORKER_ID_PATTERN = /^W\d{4,8}$/;
export const workerIdSchema = z.string().regex(WORKER_ID_PATTERN);

export const EMPLOYMENTS = ['full_time', 'part_time'] as const;
export type Employment = (typeof EMPLOYMENTS)[number];

/** A worker's standing: 在岗, 请假, 离职 (left: kept for turnover and history, never deleted). */
export const WORKER_STATUSES = ['active', 'on_leave', 'left'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

/** Pay grades of the career path (paper: 多档薪酬; 1 = entry, 5 = the highest). */
export const WORKER_GRADES = [1, 2, 3, 4, 5] as const;
export type WorkerGrade = (typeof WORKER_GRADES)[number];

/** Education as the roster import normalises it (composition statistics). */
export const EDUCATIONS = ['junior_high', 'senior_high', 'junior_college', 'bachelor'] as const;
export type Education = (typeof EDUCATIONS)[number];

/** Age bands of the composition statistics (the paper: 71% are 50 or older). Age is counted at the period's or today's year. */
export const AGE_BANDS = ['under_30', '30_39', '40_49', '50_59', '60_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBandOf(birthYear: number, year: number): AgeBand {
  const age = year - birthYear;
  if (age < 30) return 'under_30';
  if (age < 40) return '30_39';
  if (age < 50) return '40_49';
  if (age < 60) return '50_59';
  return '60_plus';
}

/** The "5包1" roles a person may hold on micro-grids (micro_grid_roster). */
export const FIVE_ROLES = ['town_cadre', 'medical_worker', 'community_police', 'unit_leader', 'unit_assistant'] as const;
export type FiveRole = (typeof FIVE_ROLES)[number];

/** One worker's record. `phone` is masked for roles that do not see personal data. */
export interface WorkerRecord {
  id: string;
  name: string;
  gender: 'F' | 'M';
  birthYear: number;
  ageBand: AgeBand;
  education: Education | string;
  phone: string;
  employment: Employment;
  grade: WorkerGrade;
  status: WorkerStatus;
  /** YYYY-MM-DD; null where the roster never said. */
  startedOn: string | null;
  leftOn: string | null;
  grid: { id: string; code: string; name: string };
  village: { id: string; name: string };
  town: { id: string; name: string };
  /** The micro-grids the worker serves. */
  microGrids: Array<{ id: string; code: string; name: string }>;
  /** "5包1" roles held, by micro-grid (roster rows whose person id is the worker's). */
  fiveRoles: Array<{ microGridId: string; role: FiveRole }>;
  team: { id: string; name: string } | null;
  /** The field account linked to the record (positions and self-reports are the worker's through it). */
  account: { userId: string; username: string } | null;
  updatedAt: string | null;
}

export const workerListQuerySchema = z
  .object({
    /** One town of the caller's scope (403 `out_of_scope` outside it). */
    town: z.string().regex(/^\d{9}$/).optional(),
    gridId: z.string().regex(/^\d{6,24}$/).optional(),
    status: z.enum(WORKER_STATUSES).optional(),
    employment: z.enum(EMPLOYMENTS).optional(),
    grade: z.coerce.number().int().min(1).max(5).optional(),
    /** Name, id or phone (contains). */
    q: z.string().trim().min(1).max(64).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type WorkerListQuery = z.infer<typeof workerListQuerySchema>;

export interface WorkerListResponse {
  items: WorkerRecord[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Body of `PATCH /api/v1/workforce/workers/{id}`: the fields the grid office keeps (the roster
 * import sets the rest). `status: 'left'` needs `leftOn`; returning to active clears it.
 */
export const workerPatchSchema = z
  .object({
    grade: z.number().int().min(1).max(5).optional(),
    status: z.enum(WORKER_STATUSES).optional(),
    leftOn: z.iso.date().nullable().optional(),
    startedOn: z.iso.date().nullable().optional(),
    employment: z.enum(EMPLOYMENTS).optional(),
    education: z.enum(EDUCATIONS).optional(),
    phone: z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/).optional(),
    teamId: teamIdSchema.nullable().optional(),
    /** The micro-grids served: each must be in the worker's grid. */
    microGridIds: z.array(z.string().regex(/^\d{6,24}$/)).max(50).optional(),
    /** Link (or unlink, null) the field account of a user holding the field_worker role. */
    userId: z.string().min(1).max(64).nullable().optional(),
    /** Why (kept in the audit trail). */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), { message: 'nothing to change' });
export type WorkerPatch = z.infer<typeof workerPatchSchema>;

/** `GET /api/v1/workforce/workers/export`: the list's filters and the format. */
export const workerExportQuerySchema = z
  .object({
    town: z.string().regex(/^\d{9}$/).optional(),
    status: z.enum(WORKER_STATUSES).optional(),
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
  })
  .strict();

/* ---------------------------------------------------------------- workload and activity (part 2) */

/**
 * `GET /api/v1/workforce/workers/{id}/activity?from&to` and, for every worker in scope,
 * `GET /api/v1/workforce/activity?from&to[&town]`: a worker's workload and activity in the
 * period, computed from the system's own records (formulas in docs/WORKFORCE.md).
 */
export const activityQuerySchema = z
  .object({
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
    town: z.string().regex(/^\d{9}$/).optional(),
  })
  .strict();
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export interface WorkerActivity {
  workerId: string;
  name: string;
  gridId: string;
  townId: string;
  /** Households of the micro-grids the worker serves (the grid's, shared, where none are assigned). */
  households: number;
  patrol: {
    /** Sum of patrol spans: consecutive positions of the worker no more than 10 min apart. */
    minutes: number;
    /** Great-circle distance along those spans, metres; jumps faster than 30 km/h are not counted. */
    metres: number;
    /** Days with at least one patrol span. */
    days: number;
    /** Micro-grids served with at least one position inside them in the period, and how many are served. */
    microGridsCovered: number;
    microGridsServed: number;
  };
  /** Cases the worker reported (grid patrol), in total and by item. */
  reported: { total: number; selfHandled: number; byItem: Array<{ itemCode: string; itemName: string; count: number }> };
  /** Cases the worker handled (acted on as handler through the linked account, or self-handled). */
  handled: { total: number; closed: number; onTime: number; reworked: number; returned: number };
  /**
   * Workload: reported + handled cases per 100 households served, and that figure weighted by the
   * grid's difficulty (the grid's cases per household against the county's, over the period).
   */
  workload: { perHundredHouseholds: number | null; gridDifficulty: number; weighted: number | null };
}

export interface WorkerActivityResponse {
  from: string;
  to: string;
  workers: WorkerActivity[];
}

/** Query of `GET /api/v1/workforce/workers/{id}/activity` and `…/coverage`: the period only (no `town`). */
export const workerActivityQuerySchema = activityQuerySchema.omit({ town: true }).strict();

/** A micro-grid the worker serves, on the coverage map. */
export interface CoverageMicroGridProperties {
  kind: 'microGrid';
  id: string;
  code: string;
  name: string;
  /** The worker's positions inside it in the period. */
  positions: number;
  covered: boolean;
  /** The last of those positions' time; null when none. */
  lastAt: string | null;
}

/** One patrol span of the worker (its positions in time order, jumps included), on the coverage map. */
export interface CoverageTrackProperties {
  kind: 'track';
  from: string;
  to: string;
  minutes: number;
  metres: number;
}

/**
 * `GET /api/v1/workforce/workers/{id}/coverage?from&to`: a GeoJSON FeatureCollection (WGS84) of the
 * micro-grids the worker serves (polygons) and the worker's patrol spans (line strings), for the map.
 */
export interface WorkerCoverageResponse {
  type: 'FeatureCollection';
  workerId: string;
  from: string;
  to: string;
  features: Array<
    | { type: 'Feature'; geometry: { type: 'Polygon'; coordinates: number[][][] }; properties: CoverageMicroGridProperties }
    | { type: 'Feature'; geometry: { type: 'LineString'; coordinates: number[][] }; properties: CoverageTrackProperties }
  >;
}

/* -------------------------------------------------------------- deliberation day (part 6, 网格议事日) */

export const AGENDA_SOURCES = ['hot_spot', 'repeat', 'resident', 'other'] as const;
export type AgendaSource = (typeof AGENDA_SOURCES)[number];

export interface AgendaItem {
  title: string;
  source: AgendaSource;
  /** What the draft drew it from: an item code with a count, a case id… null when typed in. */
  ref: string | null;
  /** Cases behind the point (the draft's evidence), at most a few ids. */
  eventIds?: string[];
}

export interface DeliberationTask {
  seq: number;
  title: string;
  eventId: string;
  /** The case's state now, its deadline and whether it closed on time: tracked to closure. */
  status: string;
  dueAt: string | null;
  closedAt: string | null;
}

export interface DeliberationMeeting {
  id: string;
  grid: { id: string; code: string; name: string };
  town: { id: string; name: string };
  heldOn: string;
  place: string;
  host: string;
  participants: Array<{ name: string; role: string }>;
  agenda: AgendaItem[];
  decisions: string[];
  tasks: DeliberationTask[];
  notice: string | null;
  publishedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
