import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  gridImportOptionsSchema,
  gridUploadQuerySchema,
  IMPORT_FILENAME_HEADER,
  importJobParamsSchema,
  rosterUploadQuerySchema,
  type ImportJob,
} from '../../../../shared/contracts/imports.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { auditActor, uploadAccess } from '../auth/auth.plugin.js';
import { acceptRawFiles, refuseDeclaredOverLimit } from '../../http/request-body.js';
import type { AuthService } from '../auth/auth.service.js';
import type { DenialLog } from '../auth/denial-log.js';
import { BoundaryFileError } from './boundary-file.js';
import { FieldMappingError, NoCountyError } from './grid-plan.js';
import { RefusedPlanError, sourceOf, StalePlanError, type ImportsService, type ImportSource, type PlannedImport } from './imports.service.js';
import { RosterFileError } from './roster-plan.js';
import { scopeTowns } from '../events/event-view.js';

export interface ImportRoutesDeps {
  imports: ImportsService;
  auth: AuthService;
  denials: DenialLog;
  clock: Clock;
  /** Largest upload, bytes. */
  maxBytes: number;
}

interface Entry {
  job: ImportJob;
  owner: string;
  source: ImportSource;
  planned: PlannedImport | null;
  createdAt: number;
  /** The grid office's workers import (`/api/v1/imports/workers…`, workforce:manage): read and written only on its own paths. */
  workforce?: true;
}

/** Largest import file: a county's micro-grids as detailed survey polygons run to tens of megabytes. */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

/** Validations running at once: each is CPU work on the server's one thread, yielding between chunks. */
const MAX_VALIDATING = 2;
/** A validated file waits this long for its write; then it is forgotten. */
const JOB_TTL_MS = 60 * 60_000;
const MAX_JOBS = 20;

/** Content types an import may arrive as; the file itself decides what it is. */
const IMPORT_TYPES = [
  'application/octet-stream',
  'application/json',
  'application/geo+json',
  'application/zip',
  'application/x-zip-compressed',
  'text/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

// controls, text-direction marks and path separators: a name shown in reports and the audit trail must read as stored
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_NAME = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069/\\]/g;

/** The uploaded file's name (for the report and the audit trail only), from its URI-encoded header. */
const fileNameOf = (req: FastifyRequest) => {
  const raw = req.headers[IMPORT_FILENAME_HEADER];
  try {
    return decodeURIComponent(String(raw ?? 'upload')).replace(UNSAFE_NAME, '_').slice(0, 200) || 'upload';
  } catch {
    return 'upload';
  }
};

/**
 * The console's data import: `POST /api/v1/imports/grids|roster` (the file as the raw body)
 * starts a validation job and answers 202 at once; `GET /api/v1/imports/{id}` is polled for its
 * progress and report; `POST /api/v1/imports/{id}/write` writes it, all or nothing. Polled, not
 * pushed: it is one administrator's job, not something the room's feed needs. Jobs live in
 * memory (a restart forgets them: validate again).
 */
export function registerImportRoutes(app: FastifyInstance, deps: ImportRoutesDeps): void {
  const jobs = new Map<string, Entry>();
  const now = () => deps.clock.now().getTime();
  const sweep = () => {
    for (const [id, e] of jobs) if (now() - e.createdAt > JOB_TTL_MS) jobs.delete(id);
    while (jobs.size >= MAX_JOBS) jobs.delete(jobs.keys().next().value!);
  };
  const owned = (req: FastifyRequest, workforce = false): Entry => {
    const { id } = parseOr400(importJobParamsSchema, req.params, 'params');
    const entry = jobs.get(id);
    // another administrator's job is as good as missing (and a job of the other path)
    if (!entry || entry.owner !== req.principal!.user.id || (entry.workforce === true) !== workforce) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    return entry;
  };

  const start = (req: FastifyRequest, kind: ImportJob['kind'], run: (body: Uint8Array, report: (phase: string, f: number) => void) => Promise<PlannedImport>, workforce = false): ImportJob => {
    sweep();
    if ([...jobs.values()].filter((e) => e.job.state === 'validating').length >= MAX_VALIDATING) throw new ApiHttpError(429, 'import_busy', 'error.import_busy');
    const body = req.body as Buffer | undefined;
    if (!body || body.length === 0) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'body', code: 'required' }]);
    const fileName = fileNameOf(req);
    const job: ImportJob = { id: `IM${randomBytes(12).toString('base64url')}`, kind, fileName, state: 'validating', progress: 0, phase: 'read', report: null, error: null, fields: [], writtenAt: null };
    const entry: Entry = { job, owner: req.principal!.user.id, source: sourceOf(fileName, body), planned: null, createdAt: now(), ...(workforce ? { workforce: true as const } : {}) };
    jobs.set(job.id, entry);
    run(body, (phase, f) => {
      job.phase = phase;
      job.progress = f;
    }).then(
      (planned) => {
        entry.planned = planned;
        job.report = planned.plan.report;
        if (planned.kind === 'grids') job.fields = planned.plan.report.fields;
        job.state = planned.plan.report.problems.length > 0 ? 'refused' : 'ready';
        job.progress = 1;
        job.phase = 'done';
      },
      (err: unknown) => {
        job.state = 'failed';
        if (err instanceof FieldMappingError) {
          job.error = { reason: 'field_not_found', detail: err.message };
          job.fields = err.available;
        } else if (err instanceof BoundaryFileError || err instanceof RosterFileError) job.error = { reason: err.reason, detail: err.message };
        else if (err instanceof NoCountyError) job.error = { reason: 'no_county', detail: err.message };
        else {
          app.log.error({ err }, 'import validation failed');
          job.error = { reason: 'internal', detail: 'internal error' };
        }
      },
    );
    return job;
  };

  void app.register(async (scope) => {
    acceptRawFiles(scope, IMPORT_TYPES, deps.maxBytes, () => new ApiHttpError(415, 'unsupported_media_type', 'error.import_type'));

    // Before the body is read: a caller without data:import, or a declared size over the limit, is refused at once.
    const early = async (req: FastifyRequest, reply: FastifyReply) => {
      uploadAccess(req, reply, deps, 'data:import');
      refuseDeclaredOverLimit(req, reply, deps.maxBytes, 'error.import_too_large');
    };
    const upload = { config: { access: { permission: 'data:import' as const } }, bodyLimit: deps.maxBytes, onRequest: early };

    scope.post(
      '/api/v1/imports/grids',
      {
        ...upload,
        schema: {
          tags: ['imports'],
          summary: 'Check a boundary file (GeoJSON or zipped Shapefile, raw body); 202 with the validation job',
          querystring: jsonSchema(gridUploadQuerySchema),
        },
      },
      async (req, reply) => {
        const q = parseOr400(gridUploadQuerySchema, req.query, 'query');
        const options = parseOr400(
          gridImportOptionsSchema,
          {
            level: q.level,
            codeField: q.code,
            nameField: q.name,
            parentField: q.parent,
            keepMissing: q.keepMissing === 'true',
            countyCode: q.countyCode || undefined,
            countyName: q.countyName || undefined,
            overlapToleranceM2: q.overlapToleranceM2,
            gapToleranceM2: q.gapToleranceM2,
            outsideToleranceM2: q.outsideToleranceM2,
          },
          'query',
        );
        const job = start(req, 'grids', (body, report) => deps.imports.planGrids(body, options, report));
        return reply.status(202).send(job);
      },
    );

    scope.post(
      '/api/v1/imports/roster',
      {
        ...upload,
        schema: { tags: ['imports'], summary: 'Check a roster file (CSV or XLSX, raw body); 202 with the validation job', querystring: jsonSchema(rosterUploadQuerySchema) },
      },
      async (req, reply) => {
        const q = parseOr400(rosterUploadQuerySchema, req.query, 'query');
        const fileName = fileNameOf(req);
        const job = start(req, 'roster', async (body, report) => {
          report('rows', 0);
          return deps.imports.planRoster(body, fileName, q.kind);
        });
        return reply.status(202).send(job);
      },
    );

    // The grid office (网格办, workforce:manage) imports its grid workers: the workers sheet only,
    // every row's grid (and a stored worker's) in the caller's towns; polled and written on its own paths.
    const earlyWorkers = async (req: FastifyRequest, reply: FastifyReply) => {
      uploadAccess(req, reply, deps, 'workforce:manage');
      refuseDeclaredOverLimit(req, reply, deps.maxBytes, 'error.import_too_large');
    };
    scope.post(
      '/api/v1/imports/workers',
      {
        config: { access: { permission: 'workforce:manage' } },
        bodyLimit: deps.maxBytes,
        onRequest: earlyWorkers,
        schema: {
          tags: ['imports', 'workforce'],
          summary: "The grid office's roster import of its grid workers (CSV or XLSX, raw body; the workers sheet only, rows of the caller's towns: `outside_scope` per row otherwise); 202 with the validation job",
          querystring: jsonSchema(workersUploadQuerySchema),
        },
      },
      async (req, reply) => {
        parseOr400(workersUploadQuerySchema, req.query, 'query');
        const fileName = fileNameOf(req);
        const towns = scopeTowns(req.principal!.user.scope);
        const job = start(
          req,
          'roster',
          async (body, report) => {
            report('rows', 0);
            // the workers sheet found by its name or columns; a workbook's other sheets are left alone
            return deps.imports.planRoster(body, fileName, undefined, { workersOnly: { towns } });
          },
          true,
        );
        return reply.status(202).send(job);
      },
    );
  });

  app.get(
    '/api/v1/imports/workers/:id',
    { config: { access: { permission: 'workforce:manage' } }, schema: { tags: ['imports', 'workforce'], summary: "A grid office's workers import job: state, progress, report", params: jsonSchema(importJobParamsSchema) } },
    async (req) => owned(req, true).job,
  );

  app.post(
    '/api/v1/imports/workers/:id/write',
    {
      config: { access: { permission: 'workforce:manage' } },
      schema: { tags: ['imports', 'workforce'], summary: "Write a grid office's validated workers import, all or nothing (409 when it has problems or the database changed)", params: jsonSchema(importJobParamsSchema) },
    },
    async (req) => writeJob(req, owned(req, true)),
  );

  app.get(
    '/api/v1/imports/:id',
    { config: { access: { permission: 'data:import' } }, schema: { tags: ['imports'], summary: 'A validation job: state, progress, report', params: jsonSchema(importJobParamsSchema) } },
    async (req) => owned(req).job,
  );

  app.post(
    '/api/v1/imports/:id/write',
    {
      config: { access: { permission: 'data:import' } },
      schema: { tags: ['imports'], summary: 'Write a validated import, all or nothing (409 when it has problems or the database changed)', params: jsonSchema(importJobParamsSchema) },
    },
    async (req) => writeJob(req, owned(req)),
  );

  /** Writes a validated job, all or nothing; the job's state says how it went. */
  async function writeJob(req: FastifyRequest, entry: Entry): Promise<ImportJob> {
    const { job } = entry;
    if (!entry.planned || (job.state !== 'ready' && job.state !== 'refused')) {
      throw new ApiHttpError(409, 'import_not_ready', 'error.import_not_ready', [], { state: job.state }, { state: job.state });
    }
    try {
      job.state = 'writing';
      await deps.imports.write(entry.planned, entry.source, auditActor(req), (f) => (job.progress = f));
    } catch (err) {
      if (err instanceof RefusedPlanError) {
        job.state = 'refused';
        const count = entry.planned.plan.report.problems.length;
        throw new ApiHttpError(409, 'import_refused', 'error.import_refused', [], { count }, { problems: count });
      }
      job.state = 'failed';
      if (err instanceof StalePlanError) {
        job.error = { reason: 'stale', detail: err.message };
        throw new ApiHttpError(409, 'import_stale', 'error.import_stale');
      }
      throw err;
    }
    job.state = 'written';
    job.phase = 'written';
    job.progress = 1;
    job.writtenAt = deps.clock.now().toISOString();
    // the plan is spent; its memory can go
    entry.planned = null;
    return job;
  }
}

/** The query of `POST /api/v1/imports/workers`: none (the sheet is the workers sheet). */
const workersUploadQuerySchema = z.object({}).strict();
