import { CHANNEL_SOURCE, type AdapterChannel, type MiniprogramReport, type VideoAlert } from '../../../../shared/contracts/channels.js';
import type { EventIntake } from '../../../../shared/contracts/events.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import { seesPersonalData } from '../events/event-view.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { EventsService, IntakeCatalog } from '../events/events.service.js';
import { requestHash } from '../events/request-hash.js';
import type { Actor } from '../events/workflow.service.js';
import { checkReceipt, createdOf, intakeKeyOf, storeImage, type ChannelAnswer } from './channel-support.js';
import type { ChannelsRepo } from './channels.repo.js';
import type { TriageQueue } from './triage-queue.js';

export interface ChannelIntakeDeps {
  repo: ChannelsRepo;
  events: EventsService;
  eventsRepo: EventsRepo;
  catalog: IntakeCatalog;
  attachments: AttachmentsService;
  triage: TriageQueue;
  audit: AuditRepo;
}

/**
 * The video AI and mini-program adapters: each body, checked by its contract, becomes one
 * intake (`EventsService.intake`) with the channel's facts in the first timeline entry, and its
 * receipt written in the intake's transaction. A channel id seen before answers what it
 * answered the first time, before anything else is looked at (a camera removed or a mapping
 * changed since does not turn a retry into a refusal).
 */
export class ChannelIntake {
  constructor(private readonly deps: ChannelIntakeDeps) {}

  /** A retry's answer, or null for a channel id not seen before; another body under a seen id → 422. */
  async replay(channel: AdapterChannel, channelId: string, hash: string, actor: Actor): Promise<ChannelAnswer | null> {
    const { repo, eventsRepo, triage } = this.deps;
    const receipt = await repo.receipt(channel, channelId);
    if (!receipt) return null;
    checkReceipt(receipt, hash);
    const full = seesPersonalData(actor.principal.user.roles);
    if (receipt.eventId) {
      const event = await eventsRepo.get(receipt.eventId);
      if (event) return { kind: 'created', created: createdOf(event, full), replayed: true };
    }
    return triage.replay(receipt.triageId!, full, (id) => eventsRepo.get(id));
  }

  /**
   * A video AI alert: a registered camera (400 on `cameraId` otherwise), an alert type the
   * mapping table knows (422 `unmapped_alert_type`), at or above that type's confidence floor
   * (422 `low_confidence`: refused, not queued: a floor exists to keep the AI's noise out of a
   * person's queue; both refusals are audited with the camera and the score, to tune the floor).
   * The snapshot is stored as the case's photo; the place is the alert's point or the camera's.
   */
  async video(body: VideoAlert, actor: Actor): Promise<ChannelAnswer> {
    const { repo } = this.deps;
    const hash = requestHash(body);
    const earlier = await this.replay('video', body.channelId, hash, actor);
    if (earlier) return earlier;
    const camera = await repo.camera(body.cameraId);
    if (!camera) {
      await this.refused(actor, 'unknown_camera', { channel: 'video', channelId: body.channelId, cameraId: body.cameraId });
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'cameraId', code: 'unknown_camera' }]);
    }
    const mapping = await repo.videoMapping(body.alertType);
    if (!mapping) {
      await this.refused(actor, 'unmapped_alert_type', { channel: 'video', channelId: body.channelId, cameraId: camera.id, alertType: body.alertType });
      throw new ApiHttpError(422, 'unmapped_alert_type', 'error.unmapped_alert_type', [{ field: 'alertType', code: 'unmapped_alert_type' }], { alertType: body.alertType });
    }
    if (body.confidence < mapping.minConfidence) {
      await this.refused(actor, 'low_confidence', { channel: 'video', channelId: body.channelId, cameraId: camera.id, alertType: body.alertType, confidence: body.confidence, floor: mapping.minConfidence });
      throw new ApiHttpError(
        422,
        'low_confidence',
        'error.low_confidence',
        [{ field: 'confidence', code: 'below_floor', params: { limit: mapping.minConfidence } }],
        { confidence: body.confidence, floor: mapping.minConfidence, alertType: body.alertType },
        { floor: mapping.minConfidence },
      );
    }
    const snapshot = await storeImage(this.deps.attachments, body.snapshot, 'snapshot', `${camera.id}-${body.channelId}`, actor);
    const item = this.deps.catalog.activeItem(mapping.itemCode);
    const urgency = mapping.urgency && (!item || item.urgencies.includes(mapping.urgency)) ? mapping.urgency : (item?.defaultUrgency ?? 'P2');
    const percent = Math.round(body.confidence * 100);
    const input: EventIntake = {
      itemCode: mapping.itemCode,
      description: body.description ?? `${camera.name}：${mapping.label}（AI 置信度 ${percent}%）`,
      location: body.location ?? { lon: camera.location.lon, lat: camera.location.lat, crs: 'wgs84' },
      source: CHANNEL_SOURCE.video,
      urgency,
      reporter: { name: camera.name.slice(0, 64) },
      attachments: [snapshot],
    };
    return this.intake('video', body.channelId, hash, input, actor, {
      channelId: body.channelId,
      cameraId: camera.id,
      cameraName: camera.name,
      alertType: body.alertType,
      confidence: body.confidence,
      occurredAt: body.occurredAt,
    });
  }

  /**
   * A mini-program report: the resident chose the item; the point is GCJ-02 unless it says
   * otherwise; photos are stored as the case's. The reporter is known by the hash of their
   * openId (kept in the timeline details), never the openId itself.
   */
  async miniprogram(body: MiniprogramReport, actor: Actor): Promise<ChannelAnswer> {
    const hash = requestHash(body);
    const earlier = await this.replay('miniprogram', body.channelId, hash, actor);
    if (earlier) return earlier;
    const photos = [];
    for (const [i, photo] of body.photos.entries()) photos.push(await storeImage(this.deps.attachments, photo, `photos.${i}`, `${body.channelId}-${i + 1}`, actor));
    const item = this.deps.catalog.activeItem(body.itemCode);
    const input: EventIntake = {
      itemCode: body.itemCode,
      description: body.description,
      location: body.location,
      source: CHANNEL_SOURCE.miniprogram,
      urgency: body.urgency ?? item?.defaultUrgency ?? 'P2',
      reporter: { name: body.reporter?.name ?? `小程序用户 ${body.reporterRef.slice(0, 6)}`, ...(body.reporter?.phone ? { phone: body.reporter.phone } : {}) },
      ...(photos.length > 0 ? { attachments: photos } : {}),
    };
    return this.intake('miniprogram', body.channelId, hash, input, actor, { channelId: body.channelId, reporterRef: body.reporterRef.slice(0, 16) });
  }

  /** Grouped with other intakes arriving at once (a camera network's burst of alerts shares one commit). */
  private async intake(channel: AdapterChannel, channelId: string, hash: string, input: EventIntake, actor: Actor, details: Record<string, string | number | boolean>): Promise<ChannelAnswer> {
    const { created, replayed } = await this.deps.events.intakeGrouped(input, intakeKeyOf(channel, channelId), actor, {
      channel,
      details,
      within: (eventId, at) => this.deps.repo.saveReceipt({ channel, channelId, requestHash: hash, eventId, triageId: null }, at.toISOString()),
    });
    return { kind: 'created', created, replayed };
  }

  private async refused(actor: Actor, reason: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ ...who(actor.principal), ...actor.ctx, action: 'event:create', result: 'failure', reason, details });
  }
}
