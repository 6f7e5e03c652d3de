import { z } from 'zod';
import type { Role } from './auth.js';
import { timeLimitSchema, type TeamType } from './catalog.js';
import { eventIdSchema, type EventRecord, type EventStatus } from './events.js';
import { madeAtSchema } from './made-at.js';
import { cleanText } from './text.js';
import { teamIdSchema } from './ids.js';

/**
 * Actions of the closed loop, sent as `POST /api/v1/events/{id}/actions { action, ... }`.
 * Which action is allowed in which state is defined once, in shared/domain/workflow.ts.
 */
export const ACTIONS = [
  'file', // 立案
  'reject', // 不予立案（说明理由和承接单位）
  'void', // 作废
  'dispatch', // 派遣（或改派）
  'accept', // 签收（处置力量）
  'return', // 回退（处置力量把任务交回指挥中心）
  'start', // 开始处置（到场）
  'report', // 处置反馈
  'verify', // 核查通过
  'rework', // 核查不通过，返工
  'close', // 结案
  'request-extension', // 申请延期
  'approve-extension', // 批准延期
  'deny-extension', // 驳回延期
  'supervise', // 督办
  'merge', // 合并到主件（重复件）
] as const;
export const actionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof actionSchema>;

/** A WGS84 position of the actor when acting in the field. */
export const positionSchema = z
  .object({
    lon: z.number().finite().min(-180).max(180),
    lat: z.number().finite().min(-90).max(90),
    accuracy: z.number().finite().min(0).max(100_000).optional(),
  })
  .strict();
export type Position = z.infer<typeof positionSchema>;

/**
 * A file already stored (photos come through the field app's upload); referenced by id. The
 * server records and shows it under its stored (sanitised) name, whatever `name` is sent.
 */
export const attachmentSchema = z
  .object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: cleanText({ max: 200 }) })
  .strict();
export type Attachment = z.infer<typeof attachmentSchema>;

const note = cleanText({ max: 2000, multiline: true });
const common = {
  note: note.optional(),
  position: positionSchema.optional(),
  attachments: z.array(attachmentSchema).max(20).optional(),
  /** When the action was made on a device that may have been offline (see made-at.ts): recorded, never used as the action's time. */
  madeAt: madeAtSchema.optional(),
};
const reason = cleanText({ max: 500, multiline: true });

/**
 * A dispatcher's written reason for sending a team the ranking marks ineligible when the rule
 * may be overridden (`INELIGIBILITY_OVERRIDABLE` in shared/domain/recommend.ts): recorded on the
 * timeline entry (`details.override`) and the audit record. Without it such a dispatch is refused
 * (422 `team_ineligible` naming `override.reason`); a rule that may not be overridden is refused
 * with it too.
 */
export const dispatchOverrideSchema = z.object({ reason }).strict();
export type DispatchOverride = z.infer<typeof dispatchOverrideSchema>;

/** Body of `POST /api/v1/events/{id}/actions`, one shape per action. */
export const actionRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('file'), ...common }).strict(),
  z.object({ action: z.literal('reject'), reason, receivingBody: cleanText({ max: 128 }), ...common }).strict(),
  z.object({ action: z.literal('void'), reason, ...common }).strict(),
  z.object({ action: z.literal('dispatch'), teamId: teamIdSchema, override: dispatchOverrideSchema.optional(), ...common }).strict(),
  z.object({ action: z.literal('accept'), ...common }).strict(),
  z.object({ action: z.literal('return'), reason, ...common }).strict(),
  z.object({ action: z.literal('start'), ...common }).strict(),
  z.object({ action: z.literal('report'), result: cleanText({ max: 2000, multiline: true }), ...common }).strict(),
  z.object({ action: z.literal('verify'), ...common }).strict(),
  z.object({ action: z.literal('rework'), reason, ...common }).strict(),
  z.object({ action: z.literal('close'), ...common }).strict(),
  z.object({ action: z.literal('request-extension'), reason, extension: timeLimitSchema, ...common }).strict(),
  z.object({ action: z.literal('approve-extension'), ...common }).strict(),
  z.object({ action: z.literal('deny-extension'), reason, ...common }).strict(),
  z.object({ action: z.literal('supervise'), note, position: positionSchema.optional(), attachments: common.attachments, madeAt: common.madeAt }).strict(),
  z.object({ action: z.literal('merge'), intoId: eventIdSchema, ...common }).strict(),
]);
export type ActionRequest = z.infer<typeof actionRequestSchema>;

/** One line of a case's timeline (`GET /api/v1/events/{id}/timeline`). */
export interface TimelineEntry {
  /** Change sequence this step produced (the same number as on the live feed). */
  seq: number;
  eventId: string;
  /** An action name, or `intake`, `auto-dispatch`, `deadline-warning`, `deadline-overdue`, `master-updated`. */
  action: Action | 'intake' | 'not-admitted' | 'self-handled' | 'auto-dispatch' | 'deadline-warning' | 'deadline-overdue' | 'master-updated';
  from: EventStatus | null;
  to: EventStatus;
  /**
   * When the server received and recorded the step: the order of the log and the time every
   * clock (step deadlines, on-time judgements, KPIs) counts from. A step made on a phone that
   * was offline also carries `details.madeAt`, when it was made there (shown beside this one).
   */
  at: string;
  /** Who acted; null for the machine (机器派单, deadline monitor). */
  actor: { userId: string; username: string; displayName: string; role: Role | null } | null;
  /** The team acted for, when a field action was recorded by or for a team. */
  teamId: string | null;
  /** True when the machine did it (auto-dispatch, deadlines). */
  auto: boolean;
  note: string | null;
  position: Position | null;
  attachments: Attachment[];
  /** Action-specific facts: `teamId`, `reason`, `receivingBody`, `result`, `extension`, `intoId`, old and new deadline, `madeAt`, a dispatch's `override` (`{ reason, ineligible }`)… */
  details: Record<string, unknown>;
}

/**
 * The master's part of a merged case's timeline. A reader whose scope covers the master's town
 * gets its entries, so the case's reporters see the outcome. A reader who may see only the
 * merged case (the master lies in another town) gets that it is handled there, under which
 * case, in which state: the master's entries (notes, people, places, photos) are withheld and
 * `entries` is empty.
 */
export type TimelineMaster =
  | { eventId: string; withheld: false; entries: TimelineEntry[] }
  | { eventId: string; withheld: true; entries: []; townId: string; status: EventStatus };

export interface TimelineResponse {
  eventId: string;
  entries: TimelineEntry[];
  /** For a merged case: its master's part (see TimelineMaster); null otherwise. */
  master: TimelineMaster | null;
}

/** `200` answer of an action: the case after it and the timeline entry it wrote. */
export interface ActionResult {
  event: EventRecord;
  entry: TimelineEntry;
}

/** `409` body of an action that the current state does not allow; nothing changed. */
export interface IllegalTransitionError {
  error: {
    code: 'illegal_transition';
    message: string;
    status: EventStatus;
    allowed: Action[];
  };
}

// --- machine dispatch (机器派单) ---

export const RECOMMENDATION_REASONS = [
  'type_match', // 队伍类型符合事项要求
  'type_mismatch', // 队伍类型不符
  'home_village', // 本村社队伍（网格所在村）
  'home_town', // 本乡镇队伍
  'county_unit', // 县级队伍
  'roster', // 本微网格"5包1"人员所在队伍
  'distance', // 距离（km）
  'available', // 空闲
  'busy', // 忙碌
  'off_duty', // 离岗
  'load', // 在办案件数
  'stale_position', // 位置较久未更新
  'reporter_only_member', // 本队唯一可处置成员是上报人（采办分离），不能派给本队
  'returned_before', // 已回退过本案件：排在其他符合条件的队伍之后，机器派单不选
] as const;
export type RecommendationReasonCode = (typeof RECOMMENDATION_REASONS)[number];

export interface RecommendationReason {
  code: RecommendationReasonCode;
  /** Values for the message, e.g. `{ km: 2.4 }`, `{ open: 3 }`, `{ name: '张三', role: 'community_police' }`. */
  params: Record<string, string | number>;
  /** Points this reason adds to (or takes from) the score. */
  points: number;
}

/**
 * A field team's status: `available` 空闲, `en_route` 在途 (accepted a case, on the way), `on_scene`
 * 到场处置 (started it), `busy` 忙碌 (set by hand), `off_duty` 离岗. Dispatch ranks en_route and on_scene
 * like busy.
 */
export const TEAM_STATUS_VALUES = ['available', 'en_route', 'on_scene', 'busy', 'off_duty'] as const;
export type TeamStatus = (typeof TEAM_STATUS_VALUES)[number];

export interface Recommendation {
  rank: number;
  teamId: string;
  teamName: string;
  teamType: TeamType;
  status: TeamStatus;
  /**
   * Eligible: the team type the item asks for, not off duty, and a member who may handle the
   * case (not only its reporter: separation of duties). A team that returned the case stays
   * eligible (ranked after the others, `returned_before`).
   */
  eligible: boolean;
  score: number;
  distanceKm: number;
  openCases: number;
  reasons: RecommendationReason[];
}

export interface RecommendationsResponse {
  eventId: string;
  itemTeamType: TeamType;
  recommendations: Recommendation[];
  /** The event's micro-grid "5包1" roster, for the dispatcher to call. */
  roster: Array<{ role: string; name: string; phone: string }>;
}

// --- settings: working calendar and duplicate detection ---

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The working calendar (工作日历), in China Standard Time: working periods of a working day,
 * the weekdays off, public holidays (法定节假日) and the weekend days worked instead (调休上班).
 */
export const workingCalendarSchema = z
  .object({
    periods: z.array(z.object({ start: hhmm, end: hhmm }).strict()).min(1).max(6),
    /** 0 = Sunday … 6 = Saturday. */
    weekendDays: z.array(z.number().int().min(0).max(6)).max(7),
    holidays: z.array(isoDay).max(400),
    workdays: z.array(isoDay).max(200),
  })
  .strict();
export type WorkingCalendar = z.infer<typeof workingCalendarSchema>;

export const duplicateRuleSchema = z
  .object({
    /** Same item within this distance of an open case… */
    radiusMeters: z.number().int().min(0).max(5000),
    /** …reported within this many hours before. */
    windowHours: z.number().min(0).max(24 * 30),
    /** Same unified address also counts, at any distance. */
    sameAddress: z.boolean(),
    /** Same micro-grid also counts, at any distance. */
    sameMicroGrid: z.boolean(),
  })
  .strict();
export type DuplicateRule = z.infer<typeof duplicateRuleSchema>;

/** `GET/PUT /api/v1/settings/workflow`. */
export const workflowSettingsSchema = z
  .object({
    calendar: workingCalendarSchema,
    duplicates: duplicateRuleSchema,
    /** Share of a step's time after which a warning is pushed (0.8 = 80 %). */
    warnAtFraction: z.number().min(0.1).max(0.99),
  })
  .strict();
export type WorkflowSettings = z.infer<typeof workflowSettingsSchema>;
