import { ATTACHMENT_TYPES, type AttachmentType } from '../../../../shared/contracts/attachments.js';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import type { AdapterChannel, ChannelImage, ChannelQueued } from '../../../../shared/contracts/channels.js';
import type { EventCreated, EventRecord } from '../../../../shared/contracts/events.js';
import { toWgs84 } from '../../../../shared/domain/coords.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import { eventView } from '../events/event-view.js';
import type { Actor } from '../events/workflow.service.js';
import type { RegionLocator } from '../geo/locator.js';
import type { MicroGridChain, RegionsRepo } from '../regions/regions.repo.js';
import type { ChannelReceipt } from './channels.repo.js';

/** The classifier as the hotline adapter uses it (modules/classify, injected in app.ts). */
export interface ItemSuggester {
  suggest(text: string): ItemSuggestion[];
  /** Below this score of the best suggestion a person chooses the item. */
  readonly threshold: number;
}

/** The unified address as the hotline adapter uses it (modules/addresses, injected in app.ts): a household's code, or null when the text names none unambiguously. */
export interface AddressResolver {
  resolve(text: string): Promise<{ code: string } | null>;
}

/** What a channel's post became: a case (201), or a triage item that waits for a person (202). */
export type ChannelAnswer = { kind: 'created'; created: EventCreated; replayed: boolean } | { kind: 'queued'; queued: ChannelQueued; replayed: boolean };

/** The answer of `POST /api/v1/events` for a stored case, as the channel's role sees it. */
export function createdOf(event: EventRecord, fullPersonalData: boolean): EventCreated {
  const view = eventView(event, fullPersonalData);
  return { id: view.id, seq: view.seq, status: view.status, microGridId: view.microGridId, gridId: view.gridId, villageId: view.villageId, townId: view.townId, event: view };
}

/** The idempotency key a channel id gives its intake: the channel's own id, namespaced by channel. */
export const intakeKeyOf = (channel: AdapterChannel, channelId: string) => `${channel}:${channelId}`;

/**
 * A retry of a channel id seen before: the same body answers what the first did; another body
 * under the same id is refused (422 `idempotency_conflict`), so a channel that reuses its ids
 * learns of it instead of having its second case silently dropped.
 */
export function checkReceipt(receipt: ChannelReceipt, hash: string): void {
  if (receipt.requestHash === hash) return;
  throw new ApiHttpError(422, 'idempotency_conflict', 'error.channel_id_conflict', [{ field: 'channelId', code: 'channel_id_conflict' }], { channelId: receipt.channelId }, {
    ...(receipt.eventId ? { eventId: receipt.eventId } : {}),
    ...(receipt.triageId ? { triageId: receipt.triageId } : {}),
  });
}

/** A place the county knows: its micro-grid chain and WGS84 point, with the household when one was named. */
export interface FoundPlace {
  lon: number;
  lat: number;
  addressCode: string | null;
  chain: MicroGridChain;
}

/** Finds places without writing anything: the same rules as the intake (WGS84 after conversion, the micro-grid holding the point). */
export class PlaceFinder {
  constructor(private readonly deps: { regions: RegionsRepo; locator: RegionLocator; chains: Map<string, MicroGridChain> }) {}

  async household(code: string): Promise<FoundPlace | null> {
    const h = await this.deps.regions.household(code);
    const chain = h ? this.deps.chains.get(h.microGridId) : undefined;
    return h && chain ? { lon: h.lon, lat: h.lat, addressCode: h.addressCode, chain } : null;
  }

  point(lon: number, lat: number, crs: 'wgs84' | 'gcj02' | 'bd09'): FoundPlace | null {
    const wgs = toWgs84(lon, lat, crs);
    const region = this.deps.locator.locate(wgs.lon, wgs.lat);
    const chain = region ? this.deps.chains.get(region.id) : undefined;
    return chain ? { ...wgs, addressCode: null, chain } : null;
  }
}

/** The intake's refusal of a point outside the county, for adapters that decide before calling it. */
export function outsideCounty(field: string, point: { lon: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09' }): ApiHttpError {
  const wgs = toWgs84(point.lon, point.lat, point.crs);
  return new ApiHttpError(422, 'outside_county', 'error.outside_county', [{ field, code: 'outside_county' }], wgs);
}

const BASE64_PREFIX = /^data:image\/(jpeg|png);base64,/;

/** The image type its first bytes say, for the two types channels may send inline. */
function sniff(bytes: Buffer): AttachmentType | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/**
 * A channel's photo as an attachment of the case: an id uploaded before by the same key (the
 * intake checks it is theirs), or base64 stored now through the attachments store, which proves
 * it is a complete image. A bad image is a 400 naming the field it came in.
 */
export async function storeImage(attachments: AttachmentsService, image: ChannelImage, field: string, fallbackName: string, actor: Actor): Promise<{ id: string; name: string }> {
  if ('attachmentId' in image) return { id: image.attachmentId, name: fallbackName };
  const bytes = Buffer.from(image.base64.replace(BASE64_PREFIX, ''), 'base64');
  const type = sniff(bytes);
  if (!type) {
    throw new ApiHttpError(400, 'invalid_image', 'error.invalid_image', [{ field: `${field}.base64`, code: 'image_not_jpeg_or_png' }], { type: 'image/jpeg, image/png', reason: 'not_jpeg_or_png' }, {
      reason: 'not_jpeg_or_png',
    });
  }
  const name = image.name ?? `${fallbackName}.${ATTACHMENT_TYPES[type]}`;
  try {
    const { record } = await attachments.upload(bytes, type, encodeURIComponent(name), actor);
    return { id: record.id, name: record.name };
  } catch (err) {
    if (err instanceof ApiHttpError && err.code === 'invalid_image') {
      throw new ApiHttpError(400, 'invalid_image', err.messageKey, err.fields.map((f) => ({ ...f, field: `${field}.base64` })), err.params, err.extra);
    }
    throw err;
  }
}
