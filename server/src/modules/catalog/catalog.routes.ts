import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CatalogDiffResponse } from '../../../../shared/contracts/catalog-diff.js';
import {
  catalogDraftSchema,
  catalogRejectSchema,
  type CatalogDraft,
  type CatalogResponse,
  type CatalogVersionDetail,
  type CatalogVersionSummary,
} from '../../../../shared/contracts/catalog.js';
import { decimalIntParam } from '../../../../shared/contracts/params.js';
import { ApiHttpError, parseOr400, zodFields } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import { summaryOf, type CatalogRepo } from './catalog.repo.js';
import type { CatalogService } from './catalog.service.js';

const versionParams = z.object({ version: decimalIntParam({ min: 1, max: 1_000_000_000 }) }).strict();
const emptyBody = z.object({}).strict();
const diffQuery = z.object({ against: decimalIntParam({ min: 1, max: 1_000_000_000 }).optional() }).strict();

/** `GET /api/v1/catalog/versions`. */
export interface CatalogVersionListResponse {
  items: CatalogVersionSummary[];
}

/**
 * A draft, or 400 naming each bad field. The catalog's own rules (duplicate code, default
 * urgency not among the item's urgencies, missing limits…) carry their rule as the field code.
 */
function parseDraft(body: unknown): CatalogDraft {
  const result = catalogDraftSchema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'custom'
      ? [{ field: issue.path.map(String).join('.') || '(body)', code: issue.message }]
      : zodFields({ issues: [issue] } as unknown as z.ZodError),
  );
  throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', fields);
}

export function registerCatalogRoutes(app: FastifyInstance, deps: { repo: CatalogRepo; service: CatalogService }): void {
  const { repo, service } = deps;
  const detailOr404 = async (version: number): Promise<CatalogVersionDetail> => {
    const detail = await service.detail(version);
    if (!detail) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: `catalog version ${version}` });
    return detail;
  };

  app.get(
    '/api/v1/catalog',
    {
      config: { access: { permission: 'catalog:read' } },
      schema: {
        tags: ['catalog'],
        summary: 'The active admitted-item catalog (入格事项清单): items with urgencies and step limits, and the referrals of matters not admitted',
      },
    },
    async (): Promise<CatalogResponse> => repo.active(),
  );

  app.get(
    '/api/v1/catalog/versions',
    { config: { access: { permission: 'catalog:read' } }, schema: { tags: ['catalog'], summary: 'Every catalog version (drafts, active, superseded, rejected), newest first' } },
    async (): Promise<CatalogVersionListResponse> => ({ items: (await repo.versions()).map(summaryOf) }),
  );

  app.get(
    '/api/v1/catalog/versions/:version',
    {
      config: { access: { permission: 'catalog:read' } },
      schema: { tags: ['catalog'], summary: 'One catalog version with its items, referrals and its difference from the active version', params: jsonSchema(versionParams) },
    },
    async (req): Promise<CatalogVersionDetail> => detailOr404(parseOr400(versionParams, req.params, 'params').version),
  );

  app.get(
    '/api/v1/catalog/versions/:version/diff',
    {
      config: { access: { permission: 'catalog:read' } },
      schema: {
        tags: ['catalog'],
        summary: 'What a version changes, item by item and field by field (step limits per urgency and step)',
        description:
          'Against `against`, or by default against what the version would replace or replaced: the active version for a draft, the previous active version for an approved one, the version in force when it was rejected for a rejected one. `authoredByYou` tells the approver the draft is their own (they may not decide it).',
        params: jsonSchema(versionParams),
        querystring: jsonSchema(diffQuery),
      },
    },
    async (req): Promise<CatalogDiffResponse> => {
      const { version } = parseOr400(versionParams, req.params, 'params');
      const { against } = parseOr400(diffQuery, req.query, 'query');
      const diff = await service.diff(version, against, req.principal!.user.id);
      if (!diff) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: `catalog version ${against !== undefined && (await repo.version(version)) ? against : version}` });
      return diff;
    },
  );

  app.post(
    '/api/v1/catalog/versions',
    {
      config: { access: { permission: 'catalog:edit' } },
      schema: {
        tags: ['catalog'],
        summary: 'Propose a new catalog version (a complete catalog), stored as a draft',
        description: 'The draft takes effect only when an approver other than its author approves it. 400 names each bad field (e.g. `duplicate_code`, `not_in_urgencies`, `missing_limits`).',
        body: jsonSchema(catalogDraftSchema),
      },
    },
    async (req, reply) => {
      const draft = parseDraft(req.body);
      return reply.status(201).send(await service.createDraft(req.principal!, draft, requestContext(req)));
    },
  );

  app.post(
    '/api/v1/catalog/versions/:version/approve',
    {
      config: { access: { permission: 'catalog:approve' } },
      schema: {
        tags: ['catalog'],
        summary: 'Approve a draft: it becomes the active catalog for new events; the previous version is superseded',
        description: '403 `catalog_own_draft` for the draft\'s author; 409 `catalog_version_state` when the version is not a draft.',
        params: jsonSchema(versionParams),
      },
    },
    async (req): Promise<CatalogVersionDetail> => {
      const { version } = parseOr400(versionParams, req.params, 'params');
      parseOr400(emptyBody, req.body ?? {}, 'body');
      return service.approve(req.principal!, version, requestContext(req));
    },
  );

  app.post(
    '/api/v1/catalog/versions/:version/reject',
    {
      config: { access: { permission: 'catalog:approve' } },
      schema: { tags: ['catalog'], summary: 'Reject a draft, with the reason', params: jsonSchema(versionParams), body: jsonSchema(catalogRejectSchema) },
    },
    async (req): Promise<CatalogVersionDetail> => {
      const { version } = parseOr400(versionParams, req.params, 'params');
      const { reason } = parseOr400(catalogRejectSchema, req.body, 'body');
      return service.rejectDraft(req.principal!, version, reason, requestContext(req));
    },
  );
}
