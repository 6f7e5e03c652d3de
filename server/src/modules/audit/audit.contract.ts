import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_RESULTS } from '../../../../shared/contracts/audit.js';
import { decimalIntParam } from '../../../../shared/contracts/params.js';

// The plain types and lists live in shared/ (the console reads them too); this file adds the
// zod schemas and the write-side types.
export { AUDIT_ACTIONS, AUDIT_RESULTS };
export type { AuditListResponse, AuditRecord } from '../../../../shared/contracts/audit.js';

/** Outcome of an audited action. A refused permission or scope check is `denied`. */
export const auditResultSchema = z.enum(AUDIT_RESULTS);
export type AuditResult = z.infer<typeof auditResultSchema>;

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
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 500 }).default(100),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Query of `GET /api/v1/audit/export`: every matching record, oldest first, as CSV. */
export const auditExportQuerySchema = z.object(auditFilterShape).strict().refine(fromBeforeTo, fromBeforeToError);
export type AuditFilter = z.infer<typeof auditExportQuerySchema>;

