import { z } from 'zod';
import { decimalIntParam } from './params.js';
import { cleanText } from './text.js';
import type { AssignmentOutcome, Urgency } from './events.js';

/**
 * Alerts (告警): things a person on duty must notice. Each is raised once per cause by the
 * server (its cause key: a case and step, a return, a stretch of a team's silence), stored,
 * pushed as `alert:raised`, and stays open until someone acknowledges it (`alert:acked`) or its
 * cause ends (`alert:cleared`: the case finished or moved on, the deadline was extended, the team
 * was heard from or holds no case). History keeps every alert. A console that reconnects refetches
 * the open ones.
 */
export const ALERT_KINDS = [
  'urgent_event', // a P0 or P1 case was reported and no team has signed for it yet (紧急事件)
  'near_deadline', // a P0/P1 case's step passed 80 % of its time (临近超期)
  'overdue', // a case's current step passed its deadline (超期)
  'task_returned', // a team returned a task (任务回退)
  'team_silent', // a team holding a case has neither reported a position nor acted for too long (队伍失联)
  'assignment_reported', // a county finished a case its city assigned down; to the city's consoles (交办结果)
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * How loudly an alert asks for a person: `critical` (a P0 case: red, a tone, a desktop
 * notification, first in the dock), `warning` (needs a person now: a card in the dock, a tone),
 * `notice` (listed in the bell's panel only, without a tone: the overdue steps of routine P2/P3
 * cases, which the queue's overdue tab also lists).
 */
export const ALERT_SEVERITIES = ['critical', 'warning', 'notice'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Why an alert cleared itself: its cause ended. */
export const ALERT_CLEAR_REASONS = [
  'case_closed', // the case was closed (结案)
  'case_voided', // voided (作废)
  'case_merged', // merged into another case (合并)
  'case_rejected', // not filed (不予立案)
  'case_not_admitted', // not admitted (不予受理)
  'accepted', // urgent_event: a team signed for the case
  'step_moved', // overdue / near_deadline: the case moved to another step (or restarted it)
  'extended', // overdue / near_deadline: the deadline was extended past now
  'now_overdue', // near_deadline: the step is overdue now (its overdue alert follows)
  'dispatched', // task_returned: the case was dispatched again
  'team_seen', // team_silent: the team reported a position or acted
  'team_free', // team_silent: the team holds no case any more
  'rule_changed', // raised under an earlier rule that no longer holds (see the alerts migration)
] as const;
export type AlertClearReason = (typeof ALERT_CLEAR_REASONS)[number];

/**
 * Facts for the console's wording of an alert, by kind:
 * - `urgent_event`: `urgency`, `itemName`, `address`
 * - `near_deadline`, `overdue`: `urgency`, `itemName`, `step`, `deadlineAt`, `teamName`, and
 *   `stepStartedAt` (which run of the step it was: rework restarts a step)
 * - `task_returned`: `urgency`, `itemName`, `reason`, `teamName`
 * - `team_silent`: `teamName`, `minutes` (the configured silence), `lastSeenAt` (when it was last
 *   heard from, while the server ran), `openCases`
 * - `assignment_reported`: `itemName`, `address`, `outcome`, `countyName`, `dueAt`, `onTime`
 */
export interface AlertParams {
  urgency?: Urgency;
  itemName?: string;
  /** The case's item code, by which a console in English names the item (`nameEn`); alerts raised before it was recorded lack it. */
  itemCode?: string;
  address?: string;
  step?: string | null;
  stepStartedAt?: string | null;
  deadlineAt?: string | null;
  teamName?: string | null;
  reason?: string;
  minutes?: number;
  lastSeenAt?: string | null;
  openCases?: number;
  /** `assignment_reported`: the county's outcome, the county, the city's deadline and whether it was met. */
  outcome?: AssignmentOutcome;
  countyName?: string;
  dueAt?: string;
  onTime?: boolean;
}

export interface AlertAck {
  at: string;
  by: { userId: string; username: string; displayName: string };
  note: string | null;
}

export interface AlertClear {
  at: string;
  reason: AlertClearReason;
}

export interface Alert {
  /** `AL` + digits, in the order raised. */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** The case concerned (for team_silent: one the team holds), or null. */
  eventId: string | null;
  teamId: string | null;
  /** The town whose consoles see it (null: county consoles only). */
  townId: string | null;
  /**
   * A region above the towns the alert is addressed to instead (a city's 市级交办 results): seen
   * by the consoles whose scope was granted that region and the whole platform's, not the towns'.
   */
  regionId: string | null;
  raisedAt: string;
  params: AlertParams;
  /** Null until a person acknowledges it. */
  acked: AlertAck | null;
  /** Null while its cause lasts. */
  cleared: AlertClear | null;
}

/** Open: neither acknowledged nor cleared. */
export const isOpenAlert = (alert: Pick<Alert, 'acked' | 'cleared'>): boolean => alert.acked === null && alert.cleared === null;

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));

/**
 * Query of `GET /api/v1/alerts`, newest first: `state` open (default: neither acknowledged nor
 * cleared), acked, cleared or all; `kind`, `severity` and `town` narrow it (comma-separated lists).
 */
export const alertListQuerySchema = z
  .object({
    state: z.enum(['open', 'acked', 'cleared', 'all']).default('open'),
    kind: csvOf(ALERT_KINDS).optional(),
    severity: csvOf(ALERT_SEVERITIES).optional(),
    town: z
      .string()
      .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\d{9}$/)).min(1).max(100))
      .optional(),
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 500 }).default(100),
  })
  .strict();
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

/** How many alerts of one kind the query matched (every page), and of each severity. */
export interface AlertGroup {
  kind: AlertKind;
  count: number;
  bySeverity: Record<AlertSeverity, number>;
}

export interface AlertListResponse {
  items: Alert[];
  page: number;
  pageSize: number;
  total: number;
  /** The matched alerts by kind, in the order of ALERT_KINDS (kinds with none left out). */
  groups: AlertGroup[];
}

/** Body of `POST /api/v1/alerts/{id}/ack`. */
export const alertAckRequestSchema = z.object({ note: cleanText({ max: 500, multiline: true }).optional() }).strict();
export type AlertAckRequest = z.infer<typeof alertAckRequestSchema>;

/** An alert id: `AL` and its number. */
export const alertIdSchema = z.string().regex(/^AL\d{8,12}$/);

/** Most alerts one group acknowledgement takes. */
export const MAX_ACK_BATCH = 500;

/**
 * Body of `POST /api/v1/alerts/ack`: acknowledges the listed alerts (a group, as the console
 * showed it) with one reason, required. The ids are the ones the person saw, so an alert raised
 * a moment later is never acknowledged unseen.
 */
export const alertBatchAckRequestSchema = z
  .object({
    ids: z
      .array(alertIdSchema)
      .min(1)
      .max(MAX_ACK_BATCH)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate_id', params: { code: 'duplicate_id' } }),
    reason: cleanText({ max: 500, multiline: true }),
  })
  .strict();
export type AlertBatchAckRequest = z.infer<typeof alertBatchAckRequestSchema>;

/** An alert of a group acknowledgement left as it was, and why. */
export interface AlertAckSkip {
  id: string;
  reason: 'already_acked' | 'cleared';
}

export interface AlertBatchAckResponse {
  /** The alerts this request acknowledged. */
  acked: Alert[];
  /** Those someone acknowledged first, or whose cause ended meanwhile. */
  skipped: AlertAckSkip[];
}

/** `alert:raised`, `alert:acked` and `alert:cleared` pushes. */
export interface AlertPayload {
  alert: Alert;
}
