import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ATTACHMENT_TYPE_LIST, FILENAME_HEADER, type AttachmentType } from '../../../../shared/contracts/attachments.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import {
  FORM_TOKEN_HEADER,
  formTokenSchema,
  HONEYPOT_FIELD,
  publicClassifySchema,
  publicSubmissionSchema,
  type PublicAttachment,
  type PublicClassifyResponse,
  type PublicFormToken,
  type PublicItemsResponse,
} from '../../../../shared/contracts/public-page.js';
import { publicTokenSchema, type PublicReportCreated, type PublicReportStatus } from '../../../../shared/contracts/public-report.js';
import type { PublicReportLimits } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import { requestContext } from '../auth/auth.plugin.js';
import { acceptRawFiles, refuseDeclaredOverLimit, refuseUpload } from '../../http/request-body.js';
import type { DenialLog } from '../auth/denial-log.js';
import type { CatalogRepo } from '../catalog/catalog.repo.js';
import type { PublicRequests } from '../open311/public-requests.js';
import type { RegionsRepo } from '../regions/regions.repo.js';
import { DailyCap } from './daily-cap.js';
import { FormTokens, type FormTokenProblem } from './form-tokens.js';

/** The classifier, built by the classify module (injected: it may come later in the module order). */
export interface ItemSuggester {
  suggest(text: string): ItemSuggestion[];
}

export interface PublicReportRoutesDeps {
  requests: PublicRequests;
  catalog: CatalogRepo;
  regions: RegionsRepo;
  attachments: AttachmentsService;
  suggester: ItemSuggester;
  denials: DenialLog;
  clock: Clock;
  limits: PublicReportLimits;
  /** Largest photo, bytes (the attachments module's limit). */
  maxPhotoBytes: number;
}

/** The largest report body: 4,000 characters of description (up to 12 KB in UTF-8) and the rest. */
const REPORT_BODY_LIMIT = 24 * 1024;
/** The classifier's text is short. */
const CLASSIFY_BODY_LIMIT = 4 * 1024;

const statusParams = z.object({ token: publicTokenSchema }).strict();
/** The map levels a resident sees: micro-grids are too fine to help anyone pick a place. */
const mapParams = z.object({ level: z.enum(['town', 'village', 'grid']) }).strict();

const publicAccess = { public: true } as const;
const minute = '1 minute';
/** Every public route counts per source address, in its own bucket: credentials buy nothing here. */
const perAddress = (route: string) => (req: FastifyRequest) => `public-${route}:${req.ip}`;

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * `/api/v1/public/*`: the resident page's API, open without login and protected instead by
 * per-address rate limits, a daily cap, a signed form token with a minimum fill time, a
 * honeypot, small bodies and unguessable tracking tokens. Reports go through the one intake
 * (PublicRequests, shared with Open311: channel `resident`), photos through the attachments
 * service, both as the built-in public account. Refusals are audited with the source address
 * through the denial log (repeats counted); accepted reports are audited by the intake.
 */
export function registerPublicReportRoutes(app: FastifyInstance, deps: PublicReportRoutesDeps): { invalidateMap(): void } {
  const { limits, clock, denials } = deps;
  const forms = new FormTokens({ minFillMs: limits.minFillSeconds * 1000, maxAgeMs: limits.maxFormAgeSeconds * 1000 });
  const reportCap = new DailyCap(limits.reportsPerDay);
  const uploadCap = new DailyCap(limits.uploadsPerDay);
  const mapCache = new Map<string, { body: string; etag: string }>();
  // counts invalidations: a map layer read before one is not cached after it (the read is async)
  let mapGeneration = 0;

  const deny = (req: FastifyRequest, reason: string, details: Record<string, unknown> = {}) =>
    denials.deny({ action: 'access:denied', result: 'denied', reason, objectType: 'route', objectId: `${req.method} ${req.routeOptions.url ?? req.url}`, details, ...requestContext(req, null) });
  const formRefused = (field: string, problem: FormTokenProblem) => new ApiHttpError(400, 'invalid_body', 'error.public_form', [{ field, code: problem }], {}, { reason: problem });
  const dailyCapReached = () => new ApiHttpError(429, 'rate_limited', 'error.public_daily_cap', [], {}, { reason: 'daily_cap' });

  app.get(
    '/api/v1/public/form',
    {
      config: { access: publicAccess, rateLimit: { max: limits.readsPerMinute, timeWindow: minute, keyGenerator: perAddress('form') } },
      schema: { tags: ['public'], summary: 'A signed form token for the resident page (photos and the report carry it)' },
    },
    async (_req, reply): Promise<PublicFormToken> => {
      void reply.header('Cache-Control', 'no-store');
      return { formToken: forms.issue(clock.now()), minFillSeconds: limits.minFillSeconds, maxAgeSeconds: limits.maxFormAgeSeconds };
    },
  );

  app.get(
    '/api/v1/public/items',
    {
      config: { access: publicAccess, rateLimit: { max: limits.readsPerMinute, timeWindow: minute, keyGenerator: perAddress('items') } },
      schema: { tags: ['public'], summary: 'The admitted items a resident may report (names, categories, the body that handles each) and the matters outside the list' },
    },
    async (): Promise<PublicItemsResponse> => {
      const active = deps.catalog.active();
      return {
        catalogVersion: active.version,
        items: active.items.map((i) => ({
          code: i.code,
          name: i.name,
          nameEn: i.nameEn,
          category: i.category,
          categoryName: i.categoryName,
          categoryNameEn: i.categoryNameEn,
          department: i.department,
        })),
        referrals: active.referrals.map((r) => ({ code: r.code, name: r.name, nameEn: r.nameEn, receivingBody: r.receivingBody })),
      };
    },
  );

  app.get(
    '/api/v1/public/map/:level',
    {
      config: { access: publicAccess, rateLimit: { max: limits.readsPerMinute, timeWindow: minute, keyGenerator: perAddress('map') } },
      schema: { tags: ['public'], summary: "The county's towns, villages or grids as GeoJSON (id, name, label point): the resident page's map, served offline", params: jsonSchema(mapParams) },
    },
    async (req, reply) => {
      const { level } = parseOr400(mapParams, req.params, 'params');
      let entry = mapCache.get(level);
      if (!entry) {
        const started = mapGeneration;
        const collection = await deps.regions.featureCollection(level);
        const slim = {
          type: 'FeatureCollection',
          features: collection.features.map((f) => ({
            type: 'Feature',
            geometry: f.geometry,
            properties: { id: f.properties.id, name: f.properties.name, level: f.properties.level, labelLon: f.properties.labelLon, labelLat: f.properties.labelLat },
          })),
        };
        const body = JSON.stringify(slim);
        entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        if (started === mapGeneration) mapCache.set(level, entry);
      }
      void reply.header('ETag', entry.etag).header('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === entry.etag) return reply.status(304).send();
      return reply.type('application/geo+json; charset=utf-8').send(entry.body);
    },
  );

  app.post(
    '/api/v1/public/classify',
    {
      bodyLimit: CLASSIFY_BODY_LIMIT,
      config: { access: publicAccess, rateLimit: { max: limits.classifyPerMinute, timeWindow: minute, keyGenerator: perAddress('classify') } },
      schema: { tags: ['public'], summary: 'Up to three admitted items suggested from what the resident has typed', body: jsonSchema(publicClassifySchema) },
    },
    async (req): Promise<PublicClassifyResponse> => {
      const { text } = parseOr400(publicClassifySchema, req.body, 'body');
      const admitted = new Set(deps.catalog.active().items.map((i) => i.code));
      const suggestions = deps.suggester
        .suggest(text)
        .filter((s) => admitted.has(s.itemCode) && s.score > 0)
        .slice(0, 3)
        .map((s) => ({ itemCode: s.itemCode, score: Math.round(s.score * 100) / 100 }));
      return { suggestions };
    },
  );

  // Photos: image bodies are parsed only in this plugin context, as the attachments module does.
  void app.register(async (scope) => {
    const unsupported = () =>
      new ApiHttpError(415, 'unsupported_media_type', 'error.attachment_type', [], { allowed: ATTACHMENT_TYPE_LIST.join(', ') }, { allowed: ATTACHMENT_TYPE_LIST });
    acceptRawFiles(scope, ATTACHMENT_TYPE_LIST, deps.maxPhotoBytes, unsupported);

    /** Before the body is read: a missing or bad form token, or a declared size over the limit, is refused at once. */
    const early = async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers[FORM_TOKEN_HEADER.toLowerCase()];
      const token = formTokenSchema.safeParse(header);
      const checked = token.success ? forms.forUpload(token.data, clock.now()) : { problem: 'form_invalid' as const };
      if ('problem' in checked) {
        await deny(req, checked.problem);
        refuseUpload(reply, formRefused(FORM_TOKEN_HEADER, checked.problem));
      }
      refuseDeclaredOverLimit(req, reply, deps.maxPhotoBytes, 'error.attachment_too_large');
    };

    scope.post(
      '/api/v1/public/attachments',
      {
        bodyLimit: deps.maxPhotoBytes,
        onRequest: early,
        config: { access: publicAccess, rateLimit: { max: limits.uploadsPerMinute, timeWindow: minute, keyGenerator: perAddress('upload') } },
        schema: {
          tags: ['public'],
          summary: 'Upload a photo for a resident report (raw body: image/jpeg, image/png or image/webp; the form token in X-Form-Token)',
          description: `The same checks as \`POST /api/v1/attachments\` (at most ${deps.maxPhotoBytes} bytes, a complete image of the declared type), stored as the public account and bound to the form token: only a report sent with that token may reference it.`,
          consumes: ATTACHMENT_TYPE_LIST,
          body: { type: 'string', format: 'binary' },
        },
      },
      async (req, reply): Promise<PublicAttachment> => {
        const type = mediaType(req.headers['content-type']);
        if (!Buffer.isBuffer(req.body) || !(ATTACHMENT_TYPE_LIST as string[]).includes(type)) throw unsupported();
        if (req.body.length === 0) throw new ApiHttpError(400, 'invalid_image', 'error.invalid_image', [{ field: '(body)', code: 'required' }], { type, reason: 'empty' }, { reason: 'empty' });
        const checked = forms.forUpload(String(req.headers[FORM_TOKEN_HEADER.toLowerCase()]), clock.now());
        if ('problem' in checked) throw formRefused(FORM_TOKEN_HEADER, checked.problem);
        if (!uploadCap.take(req.ip, clock.now())) {
          await deny(req, 'daily_cap');
          throw dailyCapReached();
        }
        const header = req.headers[FILENAME_HEADER.toLowerCase()];
        const fileName = typeof header === 'string' ? header.slice(0, 1024) : undefined;
        const ctx = requestContext(req, null);
        try {
          const { record } = await deps.attachments.upload(req.body, type as AttachmentType, fileName, await deps.requests.publicActor(ctx));
          forms.attach(checked.nonce, record.id);
          return reply.status(201).send({ id: record.id, name: record.name });
        } catch (err) {
          uploadCap.giveBack(req.ip);
          throw err;
        }
      },
    );
  });

  app.post(
    '/api/v1/public/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: { access: publicAccess, rateLimit: { max: limits.reportsPerMinute, timeWindow: minute, keyGenerator: perAddress('report') } },
      schema: {
        tags: ['public'],
        summary: 'A resident reports a matter (no login); answers the tracking token',
        description:
          'The body of `publicReportSchema` plus `formToken` (from `GET /api/v1/public/form`, at least `minFillSeconds` old, one report per token) and the honeypot ' +
          `\`${HONEYPOT_FIELD}\` (empty or absent). Goes through the one intake as channel \`resident\` (source \`citizen_app\`). 201 \`{ token }\`: 192 random bits, the only key to the status.`,
        body: jsonSchema(publicSubmissionSchema),
      },
    },
    async (req, reply): Promise<PublicReportCreated> => {
      const now = clock.now();
      // The honeypot first, on the raw body: a robot that also sends a malformed report is still a robot.
      const raw = req.body as Record<string, unknown> | null;
      const bait = raw && typeof raw === 'object' ? raw[HONEYPOT_FIELD] : undefined;
      if (typeof bait === 'string' && bait.trim() !== '') {
        await deny(req, 'honeypot');
        throw new ApiHttpError(400, 'invalid_body', 'error.public_form', [{ field: HONEYPOT_FIELD, code: 'honeypot' }], {}, { reason: 'honeypot' });
      }
      const body = parseOr400(publicSubmissionSchema, req.body, 'body');
      const { formToken, [HONEYPOT_FIELD]: _bait, ...report } = body;
      const photos = report.attachments ?? [];
      const checked = forms.forReport(formToken, photos.map((p) => p.id), now);
      if ('problem' in checked) {
        await deny(req, checked.problem);
        throw formRefused('formToken', checked.problem);
      }
      if (checked.foreign.length > 0) {
        await deny(req, 'foreign_attachment', { attachments: checked.foreign });
        throw new ApiHttpError(
          400,
          'invalid_body',
          'error.invalid_body',
          photos.flatMap((p, i) => (checked.foreign.includes(p.id) ? [{ field: `attachments.${i}.id`, code: 'unknown_attachment' }] : [])),
        );
      }
      if (!reportCap.take(req.ip, now)) {
        await deny(req, 'daily_cap');
        throw dailyCapReached();
      }
      let created: { token: string };
      try {
        created = await deps.requests.submit({ ...report, channel: 'resident' }, requestContext(req, null));
      } catch (err) {
        reportCap.giveBack(req.ip);
        throw err;
      }
      forms.use(checked.nonce);
      return reply.status(201).header('Cache-Control', 'no-store').send({ token: created.token });
    },
  );

  app.get(
    '/api/v1/public/reports/:token',
    {
      config: { access: publicAccess, rateLimit: { max: limits.lookupsPerMinute, timeWindow: minute, keyGenerator: perAddress('status') } },
      schema: { tags: ['public'], summary: "A resident's report as the public sees it: the public steps of the loop, never names", params: jsonSchema(statusParams) },
    },
    async (req, reply): Promise<PublicReportStatus> => {
      const { token } = parseOr400(statusParams, req.params, 'params');
      const status = await deps.requests.status(token);
      // The token is a secret: never cached by a proxy, never sent on as a referrer (the server's Referrer-Policy).
      void reply.header('Cache-Control', 'no-store');
      if (!status) {
        await deny(req, 'unknown_token');
        throw new ApiHttpError(404, 'not_found', 'error.public_unknown_token');
      }
      return status;
    },
  );

  // After a boundary import the map layers are read again.
  return {
    invalidateMap: () => {
      mapGeneration += 1;
      mapCache.clear();
    },
  };
}
