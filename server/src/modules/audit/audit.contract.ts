import { z } from 'zod';

// Types and schemas of the audit trail for its API consumers (the /api/v1/audit routes and the
// console). This file imports nothing but zod so it can move to shared/contracts/ unchanged
// when the console needs it; the renderer must not import server/.

/** Outcome of an audited action. A refused permission or scope check is `denied`. */
export const AUDIT_RESULTS = ['success', 'failure', 'denied'] as const;
export const auditResultSchema = z.enum(AUDIT_RESULTS);
export type AuditResult = z.infer<typeof auditResultSchema>;

/**
 * What can be audited (`area:verb`). A denied attempt is recorded under the action that was
 * attempted with result `denied`; `access:denied` is for a refusal before any action could be
 * named (no session, a route the role may not call: object `route`, id `GET /api/v1/…`).
 */
export const AUDIT_ACTIONS = [
  'auth:login', // 登录（成功与失败）
  'auth:logout', // 注销（含会话超时）
  'auth:password_change', // 本人修改口令
  'access:denied', // 未认证或越权访问（尚未归入具体操作）
  'event:create', // 事件受理
  'event:transition', // 事件状态变更
  'event:dispatch', // 派遣
  'audit:read', // 查阅审计记录
  'audit:export', // 导出审计记录
  'user:create',
  'user:update',
  'user:disable',
  'user:enable',
  'user:password_reset',
  'user:role_change', // 授权变更
  'session:revoke',
  'config:change', // 系统配置变更
  'catalog:change', // 事项清单变更
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Who acted and from where: built once per request or socket, spread into every entry. */
export interface AuditActor {
  userId?: string | null;
  username?: string | null;
  /** The acting role; comma-separated when the user holds several. */
  role?: string | null;
  /** Client address as the server saw it (respecting the configured proxy trust). */
  sourceIp?: string | null;
  /** User agent or client id (e.g. `gridcommand-console/0.1.0`, an API key's name). */
  client?: string | null;
}

/** One audit record to write. Never put passwords, tokens or keys in `details`. */
export interface AuditEntry extends AuditActor {
  action: AuditAction;
  /** Instant of the action; defaults to the repo's clock. Stored as ISO UTC with ms. */
  at?: Date;
  objectType?: string | null;
  objectId?: string | null;
  result: AuditResult;
  /** Why it failed or was denied (an error code such as `bad_password`, `forbidden`). */
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

/** A stored audit record as the API returns it. Times are ISO 8601 UTC with milliseconds. */
export interface AuditRecord {
  /** Position in the chain: 1, 2, 3… without gaps. */
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  /** An {@link AuditAction}; typed as string because older records may carry retired names. */
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: AuditResult;
  reason: string | null;
  sourceIp: string | null;
  client: string | null;
  details: Record<string, unknown> | null;
  /** Hash of the previous record (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 (hex) over this record's fields and `prevHash`. */
  hash: string;
}

const auditFilterShape = {
  /** Inclusive lower bound of `at`. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound of `at`. */
  to: z.iso.datetime({ offset: true }).optional(),
  /** A user id or a username. */
  user: z.string().trim().min(1).max(128).optional(),
  // Any well-formed action, not only today's list: old records may carry retired names.
  action: z.string().regex(/^[a-z_]+:[a-z_]+$/).max(64).optional(),
  result: auditResultSchema.optional(),
  objectId: z.string().trim().min(1).max(128).optional(),
};

const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to);
const fromBeforeToError = { message: '`from` must not be after `to`', path: ['to'] };

/** Query of `GET /api/v1/audit`: a page of records, newest first. */
export const auditQuerySchema = z
  .object({
    ...auditFilterShape,
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Query of `GET /api/v1/audit/export`: every matching record, oldest first, as CSV. */
export const auditExportQuerySchema = z.object(auditFilterShape).strict().refine(fromBeforeTo, fromBeforeToError);
export type AuditFilter = z.infer<typeof auditExportQuerySchema>;

export interface AuditListResponse {
  items: AuditRecord[];
  page: number;
  pageSize: number;
  total: number;
}
