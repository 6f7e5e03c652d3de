import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FILENAME_HEADER } from '../../../../shared/contracts/attachments.js';
import {
  HOTLINE_COLUMNS,
  HOTLINE_IMPORT_TYPE_LIST,
  HOTLINE_IMPORT_TYPES,
  hotlineImportIdParamsSchema,
  hotlineImportQuerySchema,
  progressKeyParamsSchema,
  type HotlineFileFormat,
  type HotlineImportListResponse,
  type HotlineImportProgress,
  type HotlineImportReport,
  type HotlineImportType,
} from '../../../../shared/contracts/hotline-import.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext, uploadAccess } from '../auth/auth.plugin.js';
import { acceptRawFiles, refuseDeclaredOverLimit, refuseUpload } from '../../http/request-body.js';
import type { DenialLog } from '../auth/denial-log.js';
import { who, type AuthService, type Principal } from '../auth/auth.service.js';
import { contentDisposition } from '../attachments/file-name.js';
import type { HotlineImportService } from './hotline-import.service.js';
import { reportCsv, reportXlsx } from './hotline-report-file.js';

export interface HotlineImportRoutesDeps {
  service: HotlineImportService;
  auth: AuthService;
  audit: AuditRepo;
  denials: DenialLog;
  /** Largest file, bytes. */
  maxBytes: number;
}

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

const unsupported = () => new ApiHttpError(415, 'unsupported_media_type', 'error.hotline_import.type', [], {}, { allowed: HOTLINE_IMPORT_TYPE_LIST });

const peopleOnly = () => new ApiHttpError(403, 'forbidden', 'error.hotline_import.people_only', [], {}, { permission: 'events:create' });

const downloadQuery = z.object({ format: z.enum(['csv', 'xlsx']) }).strict();
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/**
 * The file's real format: an XLSX is a zip (`PK`), whatever type the browser guessed (Windows
 * calls a .csv `application/vnd.ms-excel`, so the console names the type by the extension); an
 * old binary .xls (OLE, `D0 CF`) is refused with a word on saving as .xlsx.
 */
function formatOf(type: HotlineImportType, bytes: Buffer): HotlineFileFormat {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf;
  if (zip) return 'xlsx';
  if (ole || HOTLINE_IMPORT_TYPES[type] === 'xlsx') throw new ApiHttpError(400, 'invalid_body', 'error.hotline_import.xlsx', [], {}, { reason: 'xlsx' });
  return 'csv';
}

/** The file name for display, from `X-Filename` (URI-encoded UTF-8): no path, no control characters. */
function fileNameOf(req: FastifyRequest): string {
  const header = req.headers[FILENAME_HEADER.toLowerCase()];
  let name = typeof header === 'string' ? header.slice(0, 1024) : '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // not URI-encoded: keep the bytes as they came
  }
  name = (name.split(/[\\/]/).at(-1) ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 200);
  return name || 'hotline-import';
}

/** Bulk import is a person's work at the console; a program posts each case to the channel itself. */
function person(principal: Principal): void {
  if (principal.apiKey) throw peopleOnly();
}

/** A county-wide user sees every import; a town's user only their own (the reports name addresses). */
const seesAll = (principal: Principal) => principal.user.scope.kind === 'county';

/**
 * `POST /api/v1/hotline-imports` (raw CSV or XLSX body) and the report history. Registered in
 * its own plugin context: only here are CSV and XLSX bodies parsed (as a Buffer, with their own
 * size limit); every other route keeps refusing them with 415.
 */
export function registerHotlineImportRoutes(app: FastifyInstance, deps: HotlineImportRoutesDeps): void {
  void app.register(async (scope) => {
    acceptRawFiles(scope, HOTLINE_IMPORT_TYPE_LIST, deps.maxBytes, unsupported);

    /** Before the body is read: who may import (people, not API keys), and a declared size over the limit, are refused at once. */
    const early = async (req: FastifyRequest, reply: FastifyReply) => {
      const principal = uploadAccess(req, reply, deps, 'events:create');
      if (principal.apiKey) {
        await deps.audit.record({ ...who(principal), ...requestContext(req, principal), action: 'access:denied', result: 'denied', reason: 'api_key_not_allowed', objectType: 'route', objectId: 'POST /api/v1/hotline-imports' });
        refuseUpload(reply, peopleOnly());
      }
      refuseDeclaredOverLimit(req, reply, deps.maxBytes, 'error.hotline_import.too_large');
    };

    const columns = Object.entries(HOTLINE_COLUMNS)
      .map(([field, names]) => `\`${field}\`: ${names.join(' / ')}`)
      .join('; ');

    scope.post(
      '/api/v1/hotline-imports',
      {
        config: { access: { permission: 'events:create' } },
        bodyLimit: deps.maxBytes,
        onRequest: early,
        schema: {
          tags: ['events'],
          summary: "Import a day's 12345 hotline cases from the platform's CSV or XLSX export (raw body)",
          description:
            `The body is the file itself (\`text/csv\`: UTF-8 with or without BOM, or GBK; or XLSX: the first sheet), its name in \`${FILENAME_HEADER}\` (URI-encoded). At most ${deps.maxBytes} bytes (413). ` +
            `The header row (within the first 10 rows) names the columns: ${columns}. ` +
            '`mode=file`: all or nothing — every row is checked first and nothing is written unless all pass; `mode=row`: each row on its own. `dryRun=true` checks, resolves and classifies without writing. ' +
            'Each row goes through the hotline channel (POST /api/v1/intake/hotline), idempotent on the case number: a file imported again adds nothing twice (`duplicate_of_earlier_import`). ' +
            'Poll `GET /api/v1/hotline-imports/progress/{progress}` with the `progress` key you chose for how far it has got. People only (dispatchers, duty officers, shift leads); API keys get 403.',
          consumes: HOTLINE_IMPORT_TYPE_LIST,
          querystring: jsonSchema(hotlineImportQuerySchema),
          body: { type: 'string', format: 'binary' },
        },
      },
      async (req, reply): Promise<HotlineImportReport> => {
        const principal = req.principal!;
        person(principal);
        const query = parseOr400(hotlineImportQuerySchema, req.query, 'query');
        const type = mediaType(req.headers['content-type']);
        if (!Buffer.isBuffer(req.body) || !(HOTLINE_IMPORT_TYPE_LIST as string[]).includes(type)) throw unsupported();
        if (req.body.length === 0) throw new ApiHttpError(400, 'invalid_body', 'error.hotline_import.empty', [], {}, { reason: 'empty' });
        const report = await deps.service.run(
          { bytes: req.body, format: formatOf(type as HotlineImportType, req.body), fileName: fileNameOf(req), mode: query.mode, dryRun: query.dryRun, progressKey: query.progress ?? null },
          { principal, ctx: requestContext(req) },
        );
        return reply.status(report.dryRun ? 200 : 201).header('Location', `/api/v1/hotline-imports/${report.id}`).send(report);
      },
    );
  });

  const readable = async (req: FastifyRequest, id: string): Promise<HotlineImportReport> => {
    const principal = req.principal!;
    person(principal);
    const report = await deps.service.get(id);
    if (!report || (!seesAll(principal) && report.by.userId !== principal.user.id)) {
      if (report) await deps.audit.record({ ...who(principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'not_own_import', objectType: 'hotline_import', objectId: id });
      throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    }
    return report;
  };

  app.get(
    '/api/v1/hotline-imports',
    { config: { access: { permission: 'events:create' } }, schema: { tags: ['events'], summary: 'Earlier hotline imports, newest first (the caller\'s own for a town\'s user)', querystring: jsonSchema(listQuery) } },
    async (req): Promise<HotlineImportListResponse> => {
      person(req.principal!);
      const { limit } = parseOr400(listQuery, req.query, 'query');
      return { items: await deps.service.list(seesAll(req.principal!) ? null : req.principal!.user.id, limit) };
    },
  );

  app.get(
    '/api/v1/hotline-imports/progress/:key',
    { config: { access: { permission: 'events:create' } }, schema: { tags: ['events'], summary: "How far the caller's upload with this progress key has got", params: jsonSchema(progressKeyParamsSchema) } },
    async (req): Promise<HotlineImportProgress> => {
      const { key } = parseOr400(progressKeyParamsSchema, req.params, 'params');
      const progress = deps.service.progressOf(key, req.principal!.user.id);
      if (!progress) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: key });
      return progress;
    },
  );

  app.get(
    '/api/v1/hotline-imports/:id',
    { config: { access: { permission: 'events:create' } }, schema: { tags: ['events'], summary: 'One import with its per-row report', params: jsonSchema(hotlineImportIdParamsSchema) } },
    async (req): Promise<HotlineImportReport> => readable(req, parseOr400(hotlineImportIdParamsSchema, req.params, 'params').id),
  );

  app.get(
    '/api/v1/hotline-imports/:id/report',
    {
      config: { access: { permission: 'events:create' } },
      schema: { tags: ['events'], summary: 'The per-row report as a file (`format=csv`, UTF-8 with BOM, or `xlsx`)', params: jsonSchema(hotlineImportIdParamsSchema), querystring: jsonSchema(downloadQuery) },
    },
    async (req, reply) => {
      const report = await readable(req, parseOr400(hotlineImportIdParamsSchema, req.params, 'params').id);
      const { format } = parseOr400(downloadQuery, req.query, 'query');
      const name = `12345导入结果-${report.id}.${format}`;
      const disposition = contentDisposition(name).replace(/^inline/, 'attachment');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('Content-Disposition', disposition).send(reportCsv(report));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('Content-Disposition', disposition).send(await reportXlsx(report));
    },
  );
}
