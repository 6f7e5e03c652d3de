import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { auditExportQuerySchema, auditQuerySchema, type AuditActor, type AuditListResponse } from './audit.contract.js';
import type { AuditRepo } from './audit.repo.js';

/**
 * The audit administrator's reads. Reading and exporting are themselves audited, so the
 * trail shows who looked at it. `actorOf` names the requester (the auth module knows who that
 * is; the audit trail sits below it and only records).
 */
export function registerAuditRoutes(app: FastifyInstance, audit: AuditRepo, actorOf: (req: FastifyRequest) => AuditActor): void {
  app.get(
    '/api/v1/audit',
    {
      config: { access: { permission: 'audit:read' } },
      schema: { tags: ['audit'], summary: 'Audit records, newest first (audit administrator only)', querystring: jsonSchema(auditQuerySchema) },
    },
    async (req): Promise<AuditListResponse> => {
      const q = parseOr400(auditQuerySchema, req.query, 'query');
      const { items, total } = await audit.list(q);
      await audit.record({ ...actorOf(req), action: 'audit:read', result: 'success', details: { ...q } });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: { access: { permission: 'audit:export' } },
      schema: { tags: ['audit'], summary: 'Every matching audit record as CSV, oldest first, with hashes', querystring: jsonSchema(auditExportQuerySchema) },
    },
    async (req, reply) => {
      const filter = parseOr400(auditExportQuerySchema, req.query, 'query');
      await audit.record({ ...actorOf(req), action: 'audit:export', result: 'success', details: { ...filter } });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`)
        .send(await collect(audit.exportCsv(filter)));
    },
  );
}

/** The chunks of the export, joined (an audit export is a file the auditor keeps whole). */
async function collect(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts.join('');
}
