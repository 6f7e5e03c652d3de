import { z } from 'zod';
import type { ItemSuggestion } from './classify.js';
import { crsSchema, intakeLocationSchema, reporterPhoneSchema, urgencySchema, type EventSource } from './events.js';
import { cleanText } from './text.js';

/**
 * Channel adapters (多网合一): `POST /api/v1/intake/{channel}` turns one channel's own format
 * into the one intake (`POST /api/v1/events`). Each channel posts with an API key bound to it,
 * names each report by its own id (`channelId`, idempotent) and gives points in the coordinate
 * system it works in. docs/INTAKE-CHANNELS.md documents each format with examples.
 */
export const ADAPTER_CHANNELS = ['video', 'hotline', 'miniprogram'] as const;
export const adapterChannelSchema = z.enum(ADAPTER_CHANNELS);
export type AdapterChannel = z.infer<typeof adapterChannelSchema>;

/** The intake source each adapter records its cases under. */
export const CHANNEL_SOURCE: Record<AdapterChannel, EventSource> = {
  video: 'video_ai',
  hotline: 'hotline_12345',
  miniprogram: 'citizen_app',
};

/** A channel's own id of a report: a 12345 工单号, a video platform's alert id, a mini-program submission id. */
export const channelIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** A point with its coordinate system named: a channel must say which it uses (no silent default shifts a point by 500 m). */
export const channelPointSchema = z.object({ lon, lat, crs: crsSchema }).strict();
/** The mini-program's point: WeChat's `wx.getLocation({ type: 'gcj02' })`, so `crs` defaults to `gcj02`. */
export const miniprogramPointSchema = z.object({ lon, lat, crs: crsSchema.default('gcj02') }).strict();

/**
 * An image carried in the body: base64 of a JPEG or PNG (a `data:image/…;base64,` prefix is
 * allowed), at most 8 MB decoded. The server checks it really is one (signature, then decoded)
 * and stores it through the attachments store, as a photo of the case.
 */
export const base64ImageSchema = z
  .string()
  .max(12 * 1024 * 1024)
  .regex(/^(data:image\/(jpeg|png);base64,)?[A-Za-z0-9+/]+={0,2}$/);

/** A photo: stored first with `POST /api/v1/attachments` by the same key (its id), or inline as base64. */
export const channelImageSchema = z.union([
  z.object({ attachmentId: z.string().regex(/^AT[0-9A-F]{20}$/) }).strict(),
  z.object({ base64: base64ImageSchema, name: cleanText({ max: 120 }).optional() }).strict(),
]);
export type ChannelImage = z.infer<typeof channelImageSchema>;

/** Camera ids as the video platform (雪亮工程) names them. */
export const cameraIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
/** Alert types as the video AI names them (`occupy_road`, `fire_smoke`…). */
export const alertTypeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);

/** Body of `POST /api/v1/intake/video`: one alert of the video AI (视频 AI / 雪亮工程). */
export const videoAlertSchema = z
  .object({
    channelId: channelIdSchema,
    /** A camera registered in the county's camera table (unknown → 400 on `cameraId`). */
    cameraId: cameraIdSchema,
    /** Mapped to a catalog item by the alert-type table (unmapped → 422 `unmapped_alert_type`, nothing written). */
    alertType: alertTypeSchema,
    /** The AI's confidence, 0–1. Below the alert type's floor the alert is refused (422 `low_confidence`), audited. */
    confidence: z.number().finite().min(0).max(1),
    /** When the camera saw it (ISO 8601 with offset); recorded in the case's first entry. */
    occurredAt: z.iso.datetime({ offset: true }),
    snapshot: channelImageSchema,
    /** Where it is, when the AI located it more precisely than the camera's own position (the default). */
    location: channelPointSchema.optional(),
    /** The platform's own words; defaults to the camera and the alert. */
    description: cleanText({ max: 2000, multiline: true }).optional(),
  })
  .strict();
export type VideoAlert = z.infer<typeof videoAlertSchema>;

/**
 * Body of `POST /api/v1/intake/hotline`: one 12345 hotline case (工单). `channelId` is the
 * hotline's case number. The place comes from the address text (unified address) or the
 * coordinates; the item from the hotline's category words (the mapping table) or, failing
 * that, the classifier. A case whose item or place cannot be decided waits in the triage queue
 * (202 with the triage id).
 */
export const hotlineCaseSchema = z
  .object({
    /** The 12345 case number (工单号). */
    channelId: channelIdSchema,
    /** The caller as the hotline passes them on: the number masked (`138****1234`) or absent. */
    caller: z.object({ name: cleanText({ max: 64 }).optional(), phone: reporterPhoneSchema.optional() }).strict().default({}),
    /** The address as the operator typed it; resolved through the unified address. */
    address: cleanText({ max: 200 }).optional(),
    /** Coordinates, when the hotline platform geocoded the call (often BD-09). */
    location: channelPointSchema.optional(),
    /** The hotline's own category words (诉求分类), e.g. `城市管理/占道经营`. */
    itemText: cleanText({ max: 100 }),
    /** What the caller said (诉求内容). */
    description: cleanText({ max: 4000, multiline: true }),
    /** The hotline's urgency when it set one; otherwise the mapping's or the item's default. */
    urgency: urgencySchema.optional(),
    /** When the hotline took the call (ISO 8601 with offset); recorded in the case's first entry. */
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.address === undefined && body.location === undefined) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'address_or_location', params: { code: 'address_or_location' } });
    }
  });
export type HotlineCase = z.infer<typeof hotlineCaseSchema>;
/** A hotline case as a program writes it (defaults not yet applied): the bulk import's row type. */
export type HotlineCaseInput = z.input<typeof hotlineCaseSchema>;

/** Body of `POST /api/v1/intake/miniprogram`: a resident's report from the WeChat mini-program. */
export const miniprogramReportSchema = z
  .object({
    channelId: channelIdSchema,
    /** The reporter, by the SHA-256 (hex) of their openId: followable, never the openId itself. */
    reporterRef: z.string().regex(/^[0-9a-f]{64}$/),
    reporter: z.object({ name: cleanText({ max: 64 }).optional(), phone: reporterPhoneSchema.optional() }).strict().optional(),
    location: miniprogramPointSchema,
    photos: z.array(channelImageSchema).max(9).default([]),
    /** The item the resident chose in the mini-program (from `GET /api/v1/catalog`). */
    itemCode: z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/),
    description: cleanText({ max: 4000, multiline: true }),
    urgency: urgencySchema.optional(),
  })
  .strict();
export type MiniprogramReport = z.infer<typeof miniprogramReportSchema>;

/** Why a channel's report waits for a person (待人工甄别). */
export const TRIAGE_REASONS = ['item_uncertain', 'address_unresolved'] as const;
export type TriageReason = (typeof TRIAGE_REASONS)[number];

export const TRIAGE_STATUSES = ['pending', 'resolved', 'dismissed'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** Triage ids: `TR` and 16 hex digits. */
export const TRIAGE_ID = /^TR[0-9A-F]{16}$/;
export const triageIdSchema = z.string().regex(TRIAGE_ID);

/** A report waiting for a person to choose its item or its place (the triage queue, 待人工甄别). */
export interface TriageItem {
  id: string;
  channel: AdapterChannel;
  channelId: string;
  status: TriageStatus;
  reasons: TriageReason[];
  /** The classifier's suggestions (best first), with the words that drove each. */
  suggestions: ItemSuggestion[];
  /** The channel's own words: the hotline's category text and what the caller said. */
  itemText: string;
  description: string;
  address: string | null;
  /** The caller as the channel gave them (masked number); empty for roles that do not see personal data. */
  caller: { name: string | null; phone: string | null };
  /** Where it is when known (WGS84) and the town that sees it; null while the place is unresolved. */
  location: { lon: number; lat: number } | null;
  townId: string | null;
  receivedAt: string;
  /** The case it became, once resolved. */
  eventId: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  dismissReason: string | null;
}

/** `GET /api/v1/triage`: pending items oldest first (the caller's towns, and those whose town is unknown for county users). */
export interface TriageListResponse {
  items: TriageItem[];
  /** Pending items in the caller's view. */
  pending: number;
}

export const triageListQuerySchema = z
  .object({
    status: z.enum(TRIAGE_STATUSES).default('pending'),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

/** Body of `POST /api/v1/triage/{id}/resolve`: the item a person chose, and the place when it was unresolved. */
export const triageResolveSchema = z
  .object({
    itemCode: z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/),
    /** Required when the place was unresolved: a point (WGS84 unless `crs` says otherwise) or a unified address code. */
    location: intakeLocationSchema.optional(),
    urgency: urgencySchema.optional(),
  })
  .strict();
export type TriageResolve = z.infer<typeof triageResolveSchema>;

/** Body of `POST /api/v1/triage/{id}/dismiss`: why it is not a case (a duplicate call, a test, nonsense). */
export const triageDismissSchema = z.object({ reason: cleanText({ max: 500, multiline: true }) }).strict();

/**
 * `202` answer of a channel's report that waits in the triage queue (and of its retries while it
 * waits or after it was dismissed). Once resolved, a retry answers 201 with the case.
 */
export interface ChannelQueued {
  triageId: string;
  status: 'pending' | 'dismissed';
  reasons: TriageReason[];
}

/** Socket push `triage:changed` (and bus topic): a triage item was queued, resolved or dismissed. No personal data: consoles refetch the list. */
export interface TriageChangedPayload {
  id: string;
  channel: AdapterChannel;
  status: TriageStatus;
  townId: string | null;
  eventId: string | null;
}

/** A row of the video alert-type mapping (视频告警类型 → 事项). */
export const videoAlertMappingSchema = z
  .object({
    alertType: alertTypeSchema,
    itemCode: z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/),
    urgency: urgencySchema.nullable().default(null),
    /** Alerts below this confidence are refused (422 `low_confidence`). */
    minConfidence: z.number().finite().min(0).max(1),
    label: cleanText({ max: 64 }),
  })
  .strict();
export type VideoAlertMapping = z.infer<typeof videoAlertMappingSchema>;

/** A row of the hotline category mapping (12345 诉求分类 → 事项); matched on the whole text, then on its last segment. */
export const hotlineCategoryMappingSchema = z
  .object({
    categoryText: cleanText({ max: 100 }),
    itemCode: z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/),
    urgency: urgencySchema.nullable().default(null),
  })
  .strict();
export type HotlineCategoryMapping = z.infer<typeof hotlineCategoryMappingSchema>;

/** A registered camera (雪亮工程 / 鹰眼点位): where it looks, and the micro-grid that takes its alerts. */
export const cameraSchema = z
  .object({
    id: cameraIdSchema,
    name: cleanText({ max: 100 }),
    lon,
    lat,
  })
  .strict();
export interface Camera {
  id: string;
  name: string;
  location: { lon: number; lat: number };
  microGridId: string;
}

/** `GET /api/v1/intake/mappings`: both mapping tables and the cameras. */
export interface IntakeMappings {
  video: VideoAlertMapping[];
  hotline: HotlineCategoryMapping[];
  cameras: Camera[];
}
