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
  'hotline:import', // a 12345 hotline file imported or previewed: file, mode, status, totals per outcome, the invalid rows by number and code
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
