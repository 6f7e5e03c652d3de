import { z } from 'zod';
import { teamIdSchema } from './ids.js';
import { madeAtSchema } from './made-at.js';
import { decimalIntParam } from './params.js';
import { dayOrInstantSchema } from './period.js';
import { cleanText } from './text.js';

/**
 * A case id: `EV`, the China Standard Time day it was reported (yyyymmdd) and its number that
 * day, zero-padded to 4 digits and longer when it needs (EV202612039999, then EV2026120310000):
 * 99,999,999 cases a day. The one pattern every route, body and form accepts.
 */
export const EVENT_ID_PATTERN = /^EV\d{8}(?:\d{4}|[1-9]\d{4,7})$/;
export const eventIdSchema = z.string().regex(EVENT_ID_PATTERN);

/** Largest number of a case in one day that its id can carry. */
export const MAX_EVENTS_PER_DAY = 99_999_999;

/** The id of the `n`th case (from 1) of a China day `yyyymmdd`. */
export function formatEventId(day: string, n: number): string {
  if (!/^\d{8}$/.test(day) || !Number.isSafeInteger(n) || n < 1 || n > MAX_EVENTS_PER_DAY) throw new RangeError(`no event id for case ${n} of day ${day}`);
  return `EV${day}${String(n).padStart(4, '0')}`;
}

/** Urgency tiers (catalog-reference §2): P0 特急 red, P1 紧急 orange, P2 一般 yellow, P3 复杂 blue. */
export const URGENCIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const urgencySchema = z.enum(URGENCIES);
export type Urgency = z.infer<typeof urgencySchema>;

/** Intake channels (catalog-reference §3). One intake serves them all. */
export const EVENT_SOURCES = [
  'grid_patrol', // 网格员巡查上报
  'hotline_12345', // 12345 政务热线
  'video_ai', // 视频 AI / 雪亮工程
  'citizen_app', // 浙里办 / 小程序 群众上报
  'police_110', // 110 非警务警情
  'department', // 部门推送 / 上级交办
  'petition', // 信访 / 来访
] as const;
export const eventSourceSchema = z.enum(EVENT_SOURCES);
export type EventSource = z.infer<typeof eventSourceSchema>;

/**
 * Case states of the standard closed loop (domain.md §4). The transitions between them are
 * defined once, in shared/domain/workflow.ts; this list only names them.
 */
export const EVENT_STATUSES = [
  'reported', // 已上报（待立案）
  'filed', // 已立案（待派遣）
  'rejected', // 不予立案
  'void', // 已作废
  'dispatched', // 已派遣（待签收）
  'accepted', // 已签收
  'in_progress', // 处置中
  'handled', // 已反馈（待核查）
  'verified', // 已核查（待结案）
  'closed', // 已结案
  'merged', // 已合并（重复件，随主件办理）
  'not_admitted', // 不予受理（不在入格事项清单内，已记录并告知承接单位）
] as const;
export const eventStatusSchema = z.enum(EVENT_STATUSES);
export type EventStatus = z.infer<typeof eventStatusSchema>;

/** States in which a case is still open (needs someone's action). */
export const OPEN_STATUSES: readonly EventStatus[] = ['reported', 'filed', 'dispatched', 'accepted', 'in_progress', 'handled', 'verified'];

/** States in which the assigned team holds the case. */
export const TEAM_STATUSES: readonly EventStatus[] = ['dispatched', 'accepted', 'in_progress'];

/** Steps of the closed loop that carry a deadline (each item sets a limit per step and urgency). */
export const STEPS = ['file', 'dispatch', 'handle', 'verify'] as const;
export type Step = (typeof STEPS)[number];

/** How near its deadline the current step is: `warning` after 80 % of its time, `overdue` after all of it. */
export type DeadlineState = 'ok' | 'warning' | 'overdue';

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** WGS84 point. */
export const pointSchema = z.object({ lon, lat }).strict();
export type Point = z.infer<typeof pointSchema>;

/** Unified address (统一地址) code of a household. */
export const addressCodeSchema = z.string().regex(/^\d{18,24}$/);

/**
 * Coordinate system of a reported point: `wgs84` (default, GPS), `gcj02` (most phone map
 * stacks in China) or `bd09` (Baidu Map). The server converts to WGS84 (shared/domain/coords.ts)
 * and stores and returns WGS84 only.
 */
export const CRS_LIST = ['wgs84', 'gcj02', 'bd09'] as const;
export const crsSchema = z.enum(CRS_LIST);

/** A reported point, in WGS84 unless `crs` says otherwise. */
export const reportedPointSchema = z.object({ lon, lat, crs: crsSchema.optional() }).strict();

export const intakeLocationSchema = z.union([reportedPointSchema, z.object({ addressCode: addressCodeSchema }).strict()]);

/** Mainland mobile or landline with area code; digits, optional leading +86, dashes allowed. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^(\+?86[- ]?)?(1\d{10}|0\d{2,3}-?\d{7,8})$/);

/** A number some channels only hand on masked (the 12345 hotline): 138****1234. */
export const maskedPhoneSchema = z
  .string()
  .trim()
  .regex(/^\d{3}\*{4}\d{4}$/);

/** A reporter's number: in full, or masked as the channel gave it. */
export const reporterPhoneSchema = z.union([phoneSchema, maskedPhoneSchema]);

/** Body of `POST /api/v1/events`: the one intake for every source. */
export const eventIntakeSchema = z
  .object({
    /**
     * 自行处置: a grid worker fixed it on the spot. Only for items that allow it; the case is
     * recorded and closed at once, with `result` as the handling result.
     */
    selfHandled: z.boolean().optional(),
    result: cleanText({ max: 2000, multiline: true }).optional(),
    /** Photos uploaded first (`POST /api/v1/attachments`) by the reporter: `[{ id, name }]`. */
    attachments: z
      .array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: cleanText({ max: 200 }) }).strict())
      .max(20)
      .optional(),
    itemCode: z.string().trim().min(1).max(32),
    description: cleanText({ max: 4000, multiline: true }),
    location: intakeLocationSchema,
    source: eventSourceSchema,
    urgency: urgencySchema,
    reporter: z
      .object({
        name: cleanText({ max: 64 }),
        /**
         * Absent for an anonymous report (a resident, an Open311 client without a phone); a
         * masked number (138****1234) when the channel only passes it on masked (12345 hotline).
         * Stored as '' when absent.
         */
        phone: reporterPhoneSchema.optional(),
      })
      .strict(),
    /**
     * When the report was made on a device that may have been offline (ISO 8601 with offset):
     * recorded beside the time received, which alone starts the case's clocks (see made-at.ts).
     */
    madeAt: madeAtSchema.optional(),
  })
  .strict();
export type EventIntake = z.infer<typeof eventIntakeSchema>;

/**
 * 市级交办 (shared/contracts/assignments.ts): a case a city assigned down to one of its counties.
 */
/** The states in which an assigned case's outcome is reported back up. */
export const ASSIGNMENT_OUTCOME_STATUSES = ['closed', 'rejected', 'void', 'merged'] as const satisfies readonly EventStatus[];
export type AssignmentOutcomeStatus = (typeof ASSIGNMENT_OUTCOME_STATUSES)[number];

/**
 * What the county reported back: how the case ended and in its words — the handling result
 * (结案), the reason (不予立案 with the receiving body, 作废), or the case it was merged into.
 */
export interface AssignmentOutcome {
  status: AssignmentOutcomeStatus;
  /** The handling result (closed), the reason (rejected, void) or the master case's id (merged). */
  text: string | null;
  /** Not filed (不予立案): the body it belongs to. */
  receivingBody?: string;
}

/** An assignment as the assigned case carries it (EventRecord.assignment). */
export interface CaseAssignment {
  /** The assigning region (the city) and its name as it assigned the case. */
  byRegionId: string;
  byRegionName: string;
  at: string;
  /** The city's deadline: the case's closing deadline. */
  dueAt: string;
  note: string | null;
  /** When the county's outcome was reported back; null while the case is open. */
  reportedAt: string | null;
  outcome: AssignmentOutcome | null;
}


/** A case as the API returns it. Times are ISO 8601 UTC. */
export interface EventRecord {
  id: string;
  /** Sequence number of the last change to this event. */
  seq: number;
  itemCode: string;
  itemName: string;
  category: string;
  description: string;
  source: EventSource;
  urgency: Urgency;
  status: EventStatus;
  location: Point;
  addressCode: string | null;
  /** Readable address: the household's unified address, or town › village › grid. */
  address: string;
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  reporter: { name: string; phone: string };
  reportedAt: string;
  updatedAt: string;
  /** Deadline of the current step, null when the case is finished. */
  deadlineAt: string | null;
  closedAt: string | null;

  // --- the closed loop (workflow) ---
  /** Catalog version whose item and limits govern this case. */
  catalogVersion: number;
  /** The step whose deadline `deadlineAt` is; null when the case is finished. */
  step: Step | null;
  /** When the current step started (its deadline counts from here). */
  stepStartedAt: string | null;
  /** When the current step passes 80 % of its time. */
  warnAt: string | null;
  deadlineState: DeadlineState;
  /** The case's closing deadline (应结案时间): what "due" counts in the KPIs; moved by extensions. */
  dueAt: string | null;
  /** The team the case is dispatched to. */
  teamId: string | null;
  teamName: string | null;
  /** Dispatched by the machine (机器派单), not by a person. */
  autoDispatched: boolean;
  /** 自行处置: reported and handled on the spot by the same grid worker. */
  selfHandled: boolean;
  /** Under supervision (督办). */
  supervised: boolean;
  reworkCount: number;
  extensionCount: number;
  /** A pending extension request, awaiting approval. */
  extensionRequest: { requestedAt: string; by: string; reason: string; limit: { value: number; unit: 'minutes' | 'work_hours' | 'work_days' | 'days' } } | null;
  /** Handling result as reported back by the team (a merged case shows its master's). */
  result: string | null;
  /** Not filed (不予立案) or not admitted (不予受理): why, and the body it belongs to. */
  refusal: { reason: string; receivingBody: string } | null;
  /** Open cases this one may duplicate (same item, near, recent); empty when none. */
  duplicateCandidates: string[];
  /** Merged into this master case (status `merged`). */
  masterId: string | null;
  /** The master's status, for a merged case: its reporters follow the master's outcome. */
  masterStatus: EventStatus | null;
  /** Cases merged into this one. */
  mergedIds: string[];
  /** 市级交办: the city that assigned this case down, its deadline and instructions; null for any other case. */
  assignment: CaseAssignment | null;
  /**
   * A case forwarded from a county's own server (modules/forwarding): the county and the case's
   * number there. Absent for every other case. It is handled on the county's server.
   */
  forwardedFrom?: { county: string; eventId: string };
}

/** `201` answer of `POST /api/v1/events`. */
export interface EventCreated {
  id: string;
  seq: number;
  status: EventStatus;
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  event: EventRecord;
}

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

/**
 * Query of `GET /api/v1/events`. `status` accepts a comma-separated list. `from` and `to` bound
 * the report time as `[from, to)`: plain days (China time; a day as `to` means its end) or
 * instants, as `GET /api/v1/kpis` takes them (resolve with period.ts).
 */
export const eventListQuerySchema = z
  .object({
    status: csvOf(EVENT_STATUSES).optional(),
    town: z.string().regex(/^\d{9}$/).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
    /** Cases of one item (its catalog code, or a not-admitted matter's code). */
    item: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/).optional(),
    /** Cases dispatched to one team (the team that holds or last held the case). */
    team: teamIdSchema.optional(),
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 1000 }).default(100),
  })
  .strict();
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

export interface EventListResponse {
  items: EventRecord[];
  page: number;
  pageSize: number;
  total: number;
  /**
   * The highest committed change sequence when this page was read. A client that
   * loads a snapshot connects its socket with `auth.lastSeq = seq` so no change is missed.
   */
  seq: number;
}
