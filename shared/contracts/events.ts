import { z } from 'zod';

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
 * Case states of the standard closed loop (domain.md §4). The transitions between them
 * belong to the workflow module; this list only names them.
 */
export const EVENT_STATUSES = [
  'reported', // 已上报
  'filed', // 已立案
  'rejected', // 不予立案
  'void', // 作废
  'dispatched', // 已派遣
  'in_progress', // 处置中
  'handled', // 已反馈
  'verified', // 已核查
  'closed', // 已结案
] as const;
export const eventStatusSchema = z.enum(EVENT_STATUSES);
export type EventStatus = z.infer<typeof eventStatusSchema>;

/** States in which a case is still open (needs someone's action). */
export const OPEN_STATUSES: readonly EventStatus[] = ['reported', 'filed', 'dispatched', 'in_progress', 'handled', 'verified'];

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** WGS84 point. */
export const pointSchema = z.object({ lon, lat }).strict();
export type Point = z.infer<typeof pointSchema>;

/** Unified address (统一地址) code of a household. */
export const addressCodeSchema = z.string().regex(/^\d{18,24}$/);

export const intakeLocationSchema = z.union([pointSchema, z.object({ addressCode: addressCodeSchema }).strict()]);

/** Mainland mobile or landline with area code; digits, optional leading +86, dashes allowed. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^(\+?86[- ]?)?(1\d{10}|0\d{2,3}-?\d{7,8})$/);

/** Body of `POST /api/v1/events`: the one intake for every source. */
export const eventIntakeSchema = z
  .object({
    itemCode: z.string().trim().min(1).max(32),
    description: z.string().trim().min(1).max(4000),
    location: intakeLocationSchema,
    source: eventSourceSchema,
    urgency: urgencySchema,
    reporter: z
      .object({
        name: z.string().trim().min(1).max(64),
        phone: phoneSchema,
      })
      .strict(),
  })
  .strict();
export type EventIntake = z.infer<typeof eventIntakeSchema>;

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

/** Query of `GET /api/v1/events`. `status` accepts a comma-separated list. */
export const eventListQuerySchema = z
  .object({
    status: csvOf(EVENT_STATUSES).optional(),
    town: z.string().regex(/^\d{9}$/).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
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
