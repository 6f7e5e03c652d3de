import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  adapterChannelSchema,
  alertTypeSchema,
  cameraIdSchema,
  cameraSchema,
  hotlineCaseSchema,
  hotlineCategoryMappingSchema,
  miniprogramReportSchema,
  videoAlertMappingSchema,
  videoAlertSchema,
  type AdapterChannel,
  type IntakeMappings,
} from '../../../../shared/contracts/channels.js';
import { cleanText } from '../../../../shared/contracts/text.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who } from '../auth/auth.service.js';
import type { IntakeCatalog } from '../events/events.service.js';
import type { Actor } from '../events/workflow.service.js';
import type { ChannelIntake } from './channel-intake.js';
import type { ChannelAnswer, PlaceFinder } from './channel-support.js';
import type { ChannelsRepo } from './channels.repo.js';
import type { HotlineIntake } from './hotline-intake.js';

export interface ChannelRoutesDeps {
  store: Store;
  repo: ChannelsRepo;
  intake: ChannelIntake;
  hotline: HotlineIntake;
  places: PlaceFinder;
  /** Where a mapping may point: an item of the active catalog, or a referral (recorded as not admitted). */
  catalog: Pick<IntakeCatalog, 'activeItem' | 'referral'>;
  audit: AuditRepo;
  clock: Clock;
  /** Largest photo, bytes: a video snapshot or mini-program photo may come inline as base64. */
  attachmentMaxBytes: number;
}

const channelParams = z.object({ channel: adapterChannelSchema }).strict();
const alertTypeParams = z.object({ alertType: alertTypeSchema }).strict();
const cameraParams = z.object({ id: cameraIdSchema }).strict();
const categoryQuery = z.object({ categoryText: cleanText({ max: 100 }) }).strict();

const BODY_SCHEMAS = { video: videoAlertSchema, hotline: hotlineCaseSchema, miniprogram: miniprogramReportSchema } as const;

/** A 201 with the case, or a 202 with the triage item; a retry says so in `Idempotent-Replayed`. */
function send(reply: FastifyReply, answer: ChannelAnswer) {
  if (answer.replayed) void reply.header('Idempotent-Replayed', 'true');
  if (answer.kind === 'created') return reply.status(201).header('Location', `/api/v1/events/${answer.created.id}`).send(answer.created);
  return reply.status(202).send(answer.queued);
}

/**
 * `POST /api/v1/intake/{channel}` for `video`, `hotline` and `miniprogram`, and the mapping
 * tables and cameras behind them (`/api/v1/intake/mappings`, `/api/v1/intake/cameras`).
 */
export function registerChannelRoutes(app: FastifyInstance, deps: ChannelRoutesDeps): void {
  const actorOf = (req: FastifyRequest): Actor => ({ principal: req.principal!, ctx: requestContext(req) });

  /** Only a key bound to this channel may post to it: another channel's key (or a person's session) → 403, audited. */
  const requireChannel = async (req: FastifyRequest, channel: AdapterChannel) => {
    const principal = req.principal!;
    if (principal.apiKeyChannel === channel) return;
    await deps.audit.record({
      ...who(principal),
      ...requestContext(req),
      action: 'access:denied',
      result: 'denied',
      reason: 'channel_mismatch',
      objectType: 'route',
      objectId: `POST /api/v1/intake/${channel}`,
      details: { channel, keyChannel: principal.apiKeyChannel ?? null },
    });
    throw new ApiHttpError(403, 'channel_mismatch', 'error.channel_mismatch', [], { channel, keyChannel: principal.apiKeyChannel ?? '—' }, { channel, keyChannel: principal.apiKeyChannel ?? null });
  };

  app.post(
    '/api/v1/intake/:channel',
    {
      config: { access: { permission: 'events:create' } },
      // room for one inline photo (base64 is 4/3 of the bytes) besides the JSON around it
      bodyLimit: Math.ceil((deps.attachmentMaxBytes * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['events'],
        summary: 'Channel adapters (多网合一): a video AI alert, a 12345 hotline case or a WeChat mini-program report',
        description:
          'Needs an API key bound to the channel (`X-API-Key`; another channel\'s key → 403 `channel_mismatch`, audited). The body is the channel\'s format (docs/INTAKE-CHANNELS.md): ' +
          '`video` { channelId, cameraId, alertType, confidence, occurredAt, snapshot, location? }, `hotline` { channelId (case number), caller, address?, location?, itemText, description }, ' +
          '`miniprogram` { channelId, reporterRef, location (GCJ-02 unless `crs`), photos, itemCode, description }. Points carry `crs` (`wgs84`, `gcj02`, `bd09`). ' +
          '201 with the answer of `POST /api/v1/events`; a hotline case whose item or place cannot be decided waits for a person: 202 `{ triageId, status, reasons }`. ' +
          'Idempotent on `channelId`: a retry with the same body answers the first answer (`Idempotent-Replayed: true`) and writes nothing (a queued case answers 201 with its case once resolved); ' +
          'the same `channelId` with another body → 422 `idempotency_conflict`. Unknown camera → 400 on `cameraId`; unmapped alert type → 422 `unmapped_alert_type`; ' +
          'confidence below the alert type\'s floor → 422 `low_confidence`; a point outside the county → 422 `outside_county`; a malformed image → 400 `invalid_image` naming the field.',
        params: jsonSchema(channelParams),
      },
    },
    async (req, reply) => {
      const { channel } = parseOr400(channelParams, req.params, 'params');
      await requireChannel(req, channel);
      const actor = actorOf(req);
      if (channel === 'hotline') {
        const outcome = await deps.hotline.accept(req.body, actor);
        if (outcome.outcome === 'invalid') {
          await deps.hotline.auditRefusal(outcome.error, req.body, actor);
          throw outcome.error;
        }
        return send(reply, await deps.hotline.answer(outcome, actor));
      }
      if (channel === 'video') return send(reply, await deps.intake.video(parseOr400(BODY_SCHEMAS.video, req.body, 'body'), actor));
      return send(reply, await deps.intake.miniprogram(parseOr400(BODY_SCHEMAS.miniprogram, req.body, 'body'), actor));
    },
  );

  app.get(
    '/api/v1/intake/mappings',
    { config: { access: { permission: 'catalog:read' } }, schema: { tags: ['catalog'], summary: 'The channel mapping tables (video alert types, hotline categories → catalog items) and the registered cameras' } },
    async (): Promise<IntakeMappings> => ({ video: await deps.repo.videoMappings(), hotline: await deps.repo.hotlineMappings(), cameras: await deps.repo.cameras() }),
  );

  /** A mapping points at an item of the active catalog or a referral; anything else would only make not-admitted cases. */
  const requireItem = (itemCode: string) => {
    if (deps.catalog.activeItem(itemCode) || deps.catalog.referral(itemCode)) return;
    throw new ApiHttpError(422, 'unknown_item', 'error.unknown_item', [{ field: 'itemCode', code: 'unknown_item' }], { itemCode });
  };

  /** A change of a mapping or camera, written with its audit record in one store transaction. */
  const change = async (req: FastifyRequest, objectType: string, objectId: string, details: Record<string, unknown>, write: (at: string) => Promise<boolean | void>) => {
    const at = deps.clock.now().toISOString();
    const done = await deps.store.inTransaction(async () => {
      const ok = (await write(at)) !== false;
      if (ok) await deps.audit.append({ ...who(req.principal), ...requestContext(req), action: 'config:change', result: 'success', objectType, objectId, details });
      return ok;
    });
    if (!done) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: objectId });
  };

  app.put(
    '/api/v1/intake/mappings/video/:alertType',
    {
      config: { access: { permission: 'catalog:edit' } },
      schema: {
        tags: ['catalog'],
        summary: 'Map a video AI alert type to a catalog item, with its urgency and confidence floor',
        params: jsonSchema(alertTypeParams),
        body: jsonSchema(videoAlertMappingSchema.omit({ alertType: true })),
      },
    },
    async (req) => {
      const { alertType } = parseOr400(alertTypeParams, req.params, 'params');
      const body = parseOr400(videoAlertMappingSchema.omit({ alertType: true }), req.body, 'body');
      const mapping = { ...body, alertType };
      requireItem(mapping.itemCode);
      await change(req, 'video_alert_mapping', alertType, mapping, (at) => deps.repo.saveVideoMapping(mapping, at));
      return mapping;
    },
  );

  app.delete(
    '/api/v1/intake/mappings/video/:alertType',
    { config: { access: { permission: 'catalog:edit' } }, schema: { tags: ['catalog'], summary: 'Remove a video alert type mapping (its alerts are refused as unmapped)', params: jsonSchema(alertTypeParams) } },
    async (req, reply) => {
      const { alertType } = parseOr400(alertTypeParams, req.params, 'params');
      await change(req, 'video_alert_mapping', alertType, { deleted: true }, () => deps.repo.deleteVideoMapping(alertType));
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/intake/mappings/hotline',
    {
      config: { access: { permission: 'catalog:edit' } },
      schema: { tags: ['catalog'], summary: 'Map a 12345 hotline category text to a catalog item', body: jsonSchema(hotlineCategoryMappingSchema) },
    },
    async (req) => {
      const mapping = parseOr400(hotlineCategoryMappingSchema, req.body, 'body');
      requireItem(mapping.itemCode);
      await change(req, 'hotline_category_mapping', mapping.categoryText, mapping, (at) => deps.repo.saveHotlineMapping(mapping, at));
      return mapping;
    },
  );

  app.delete(
    '/api/v1/intake/mappings/hotline',
    {
      config: { access: { permission: 'catalog:edit' } },
      schema: { tags: ['catalog'], summary: 'Remove a hotline category mapping (its cases go to the classifier)', querystring: jsonSchema(categoryQuery) },
    },
    async (req, reply) => {
      const { categoryText } = parseOr400(categoryQuery, req.query, 'query');
      await change(req, 'hotline_category_mapping', categoryText, { deleted: true }, () => deps.repo.deleteHotlineMapping(categoryText));
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/intake/cameras/:id',
    {
      config: { access: { permission: 'catalog:edit' } },
      schema: { tags: ['catalog'], summary: 'Register or move a camera (WGS84); its alerts land in the micro-grid holding it', params: jsonSchema(cameraParams), body: jsonSchema(cameraSchema.omit({ id: true })) },
    },
    async (req) => {
      const { id } = parseOr400(cameraParams, req.params, 'params');
      const body = parseOr400(cameraSchema.omit({ id: true }), req.body, 'body');
      const place = deps.places.point(body.lon, body.lat, 'wgs84');
      if (!place) throw new ApiHttpError(422, 'outside_county', 'error.outside_county', [{ field: 'lon', code: 'outside_county' }], { lon: body.lon, lat: body.lat });
      const camera = { id, name: body.name, location: { lon: body.lon, lat: body.lat }, microGridId: place.chain.microGridId };
      await change(req, 'camera', id, { name: camera.name, ...camera.location, microGridId: camera.microGridId }, (at) => deps.repo.saveCamera(camera, at));
      return camera;
    },
  );
}
