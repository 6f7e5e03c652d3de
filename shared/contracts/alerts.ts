import { z } from 'zod';
import { decimalIntParam } from './params.js';
import { cleanText } from './text.js';
import type { Urgency } from './events.js';

/**
 * Alerts (告警): things a person on duty must notice and acknowledge. Each is raised once by
 * the server, stored, pushed as `alert:raised`, and stays open until someone acknowledges it
 * (`alert:acked`). A console that reconnects refetches the open ones.
 */
export const ALERT_KINDS = [
  'urgent_event', // a P0 or P1 case was reported (紧急事件)
  'overdue', // a case's current step passed its deadline (超期)
  'task_returned', // a team returned a task (任务回退)
  'team_silent', // a team holding a case has neither reported a position nor acted for too long (队伍失联)
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** `critical`: a P0 case; `warning`: everything else that needs a person now. */
export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * Facts for the console's wording of an alert, by kind:
 * - `urgent_event`: `urgency`, `itemName`, `address`
 * - `overdue`: `step`, `deadlineAt`, `itemName`, `teamName`
 * - `task_returned`: `reason`, `teamName`, `itemName`
 * - `team_silent`: `teamName`, `minutes` (the configured silence), `lastSeenAt` (null: never), `openCases`
 */
export interface AlertParams {
  urgency?: Urgency;
  itemName?: string;
  address?: string;
  step?: string | null;
  deadlineAt?: string | null;
  teamName?: string | null;
  reason?: string;
  minutes?: number;
  lastSeenAt?: string | null;
  openCases?: number;
}

export interface AlertAck {
  at: string;
  by: { userId: string; username: string; displayName: string };
  note: string | null;
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
  raisedAt: string;
  params: AlertParams;
  /** Null while open. */
  acked: AlertAck | null;
}

/** Query of `GET /api/v1/alerts`: open ones (default) or all, newest first. */
export const alertListQuerySchema = z
  .object({
    state: z.enum(['open', 'all']).default('open'),
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 500 }).default(100),
  })
  .strict();
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

export interface AlertListResponse {
  items: Alert[];
  page: number;
  pageSize: number;
  total: number;
}

/** Body of `POST /api/v1/alerts/{id}/ack`. */
export const alertAckRequestSchema = z.object({ note: cleanText({ max: 500, multiline: true }).optional() }).strict();
export type AlertAckRequest = z.infer<typeof alertAckRequestSchema>;

/** `alert:raised` and `alert:acked` pushes. */
export interface AlertPayload {
  alert: Alert;
}
