// The audit trail as the API returns it; server/src/modules/audit adds the zod schemas and
// the write-side types on top of these.

/** Outcome of an audited action. A refused permission or scope check is `denied`. */
export const AUDIT_RESULTS = ['success', 'failure', 'denied'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** What the server audits today (`area:verb`); older records may carry retired names. */
export const AUDIT_ACTIONS = [
  'auth:login',
  'auth:logout',
  'auth:password_change',
  'access:denied',
  'event:create',
  'event:transition',
  'event:dispatch',
  'event:assign_down', // 市级交办: a city assigned a case down to a county (its county, deadline, note); refusals too
  'event:forwarded', // a county's server forwarded a batch of its changes (source, first and last seq, count); refusals too
  'audit:read',
  'audit:export',
  'user:create',
  'user:update',
  'user:disable',
  'user:enable',
  'user:password_reset',
  'user:role_change',
  'apikey:create',
  'apikey:revoke',
  'system:account_check',
  'system:retention',
  'system:duty_take', // several nodes: this node gained the lease of the timed duties (deadlines, alerts sweep, retention, briefing, anchors): which, until when, from which node
  'system:duty_yield', // several nodes: this node stopped them: released at a clean stop, or its lease was lost, expired or could not be renewed
  'session:revoke',
  'config:change',
  'catalog:change',
  'settings:change',
  'attachment:upload',
  'team:status',
  'alert:ack',
  'personal_data:search', // a search by a reporter's phone (allowed, or refused for a role that sees it masked)
  'kpi:export', // an evaluation table exported as XLSX: who, which period, town and table
  'briefing:export', // a shift briefing exported as XLSX or CSV: who, which period, reporters unmasked or not
  'data:import', // boundaries or rosters imported (npm run import, the console's data import): file, level, counts; refusals too
  'triage:queue', // a channel's report queued for a person to choose its item or place (待人工甄别)
  'triage:resolve', // a person chose the item (and place) of a queued report: the case was created
  'triage:dismiss', // a person found a queued report is no case, with the reason
  'feed:cut', // a live socket cut by the server because it stopped reading (what waited for it, for how long); it catches up on reconnect
  'deliberation:create', // a grid's deliberation day (网格议事日) recorded: grid, day, how many participants, points, decisions, tasks; refusals too
  'deliberation:task_add', // a follow-up task of a deliberation day made a case (seq, case id, item, urgency); refusals too
  'deliberation:publish', // a deliberation day's public notice published or replaced (its page opens to residents)
  'hotline:import', // a 12345 hotline file imported or previewed: file, mode, status, totals per outcome, the invalid rows by number and code
  'training:course_create', // a training course created (subject, title, hours)
  'training:session_create', // a training session created (course, mode, town or the county's, day, hours)
  'training:attendance', // attendance recorded at a session: each worker's hours and pass, with the row it replaced
  'training:certificate', // a certificate recorded for a worker
  'training:export', // the training progress of a year exported as XLSX: who, which year and town, rows
  'worker:update', // a grid worker's record changed by the grid office (网格办): { from, to, reason }; refusals too
  'worker:export', // the grid workers' records exported as XLSX or CSV: who, which town and status, how many rows
  'assessment:period_create', // an assessment period (德能勤绩) opened: its days and weights; refusals too
  'assessment:review', // 德 and 能 scored for workers of a period (who, how many); refusals too
  'assessment:close', // a period closed: results frozen with the figures they were computed from
  'assessment:propose', // a worker proposed for the reward list (以奖代补) or the exit-review list, with why
  'assessment:decide', // a proposal decided by a second person, with the reason
  'assessment:export', // a period's results exported (XLSX or the printable page): who, which town
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A stored audit record as `GET /api/v1/audit` returns it. Times are ISO 8601 UTC with milliseconds. */
export interface AuditRecord {
  /** Position in the chain: 1, 2, 3… without gaps. */
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  /** The acting role; comma-separated when the user holds several. */
  role: string | null;
  /** An {@link AuditAction}, or a retired name. */
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: AuditResult;
  /** Why it failed or was denied (an error code such as `bad_password`, `forbidden`). */
  reason: string | null;
  sourceIp: string | null;
  client: string | null;
  details: Record<string, unknown> | null;
  /** Hash of the previous record (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 (hex) over this record's fields and `prevHash`. */
  hash: string;
}

/** Body of `GET /api/v1/audit`: one page of records, newest first. */
export interface AuditListResponse {
  items: AuditRecord[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * Filters of `GET /api/v1/audit` and `/audit/export`. `from` is inclusive, `to` exclusive (ISO
 * 8601 with offset); `user` is a user id or a username. `page` ≥ 1, `pageSize` 1–500.
 */
export interface AuditFilter {
  from?: string;
  to?: string;
  user?: string;
  action?: string;
  result?: AuditResult;
  objectId?: string;
}
