import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import type { AdapterChannel, Camera, HotlineCategoryMapping, TriageItem, TriageReason, TriageStatus, VideoAlertMapping } from '../../../../shared/contracts/channels.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import type { Store } from '../../db/store.js';
import { demoCameraSitesSql, type DemoCameraSite } from './channel-demo.js';

/** What a channel id became: a case, or a triage item (and, once resolved, its case). */
export interface ChannelReceipt {
  channel: AdapterChannel;
  channelId: string;
  requestHash: string;
  eventId: string | null;
  triageId: string | null;
}

/** A triage row with what only the server keeps: the body as received and who posted it. */
export interface StoredTriageItem extends TriageItem {
  body: unknown;
  reporterId: string;
  addressCode: string | null;
}

export type NewTriageItem = Omit<StoredTriageItem, 'status' | 'eventId' | 'decidedAt' | 'decidedBy' | 'dismissReason'>;

interface TriageRow {
  id: string;
  channel: AdapterChannel;
  channel_id: string;
  status: TriageStatus;
  reasons: string;
  suggestions: string;
  body: string;
  item_text: string;
  description: string;
  address: string | null;
  caller_name: string | null;
  caller_phone: string | null;
  lon: number | null;
  lat: number | null;
  address_code: string | null;
  town_id: string | null;
  reporter_id: string;
  received_at: string;
  event_id: string | null;
  decided_at: string | null;
  decided_by_name: string | null;
  dismiss_reason: string | null;
}

function toTriage(r: TriageRow): StoredTriageItem {
  return {
    id: r.id,
    channel: r.channel,
    channelId: r.channel_id,
    status: r.status,
    reasons: JSON.parse(r.reasons) as TriageReason[],
    suggestions: JSON.parse(r.suggestions) as ItemSuggestion[],
    itemText: r.item_text,
    description: r.description,
    address: r.address,
    caller: { name: r.caller_name, phone: r.caller_phone },
    location: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat },
    townId: r.town_id,
    receivedAt: r.received_at,
    eventId: r.event_id,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by_name,
    dismissReason: r.dismiss_reason,
    body: JSON.parse(r.body) as unknown,
    reporterId: r.reporter_id,
    addressCode: r.address_code,
  };
}

interface CameraRow {
  id: string;
  name: string;
  lon: number;
  lat: number;
  micro_grid_id: string;
}

interface VideoMappingRow {
  alert_type: string;
  item_code: string;
  urgency: Urgency | null;
  min_confidence: number;
  label: string;
}

interface HotlineMappingRow {
  category_text: string;
  item_code: string;
  urgency: Urgency | null;
}

interface ReceiptRow {
  channel: AdapterChannel;
  channel_id: string;
  request_hash: string;
  event_id: string | null;
  triage_id: string | null;
}

const toCamera = (r: CameraRow): Camera => ({ id: r.id, name: r.name, location: { lon: r.lon, lat: r.lat }, microGridId: r.micro_grid_id });
const toVideoMapping = (r: VideoMappingRow): VideoAlertMapping => ({ alertType: r.alert_type, itemCode: r.item_code, urgency: r.urgency, minConfidence: r.min_confidence, label: r.label });
const toHotlineMapping = (r: HotlineMappingRow): HotlineCategoryMapping => ({ categoryText: r.category_text, itemCode: r.item_code, urgency: r.urgency });

/**
 * Cameras, the two mapping tables, channel receipts and the triage queue: the only place their
 * rows are read or written, on the async store (docs/POSTGRES.md). Writes run inside the caller's
 * transaction. (The demo seed's bulk fill of cameras and mappings is channel-demo.ts's
 * `seedChannelDemo`, on SQLite's connection inside the seed's synchronous transaction.)
 */
export class ChannelsRepo {
  constructor(private readonly store: Store) {}

  async camera(id: string): Promise<Camera | null> {
    const r = await this.store.get<CameraRow>('SELECT id, name, lon, lat, micro_grid_id FROM cameras WHERE id = ?', id);
    return r ? toCamera(r) : null;
  }

  async cameras(): Promise<Camera[]> {
    return (await this.store.all<CameraRow>('SELECT id, name, lon, lat, micro_grid_id FROM cameras ORDER BY id')).map(toCamera);
  }

  /** No camera and no mapping yet (a county the demo fill may fill). */
  async isEmpty(): Promise<boolean> {
    const row = await this.store.get<{ n: number }>(
      'SELECT (SELECT COUNT(*) FROM cameras) + (SELECT COUNT(*) FROM video_alert_mappings) + (SELECT COUNT(*) FROM hotline_category_mappings) AS n',
    );
    return row!.n === 0;
  }

  /** Where the demo county's cameras stand (channel-demo.ts): the first micro-grid (by code) of each grid, in grid code order. */
  async demoCameraSites(): Promise<DemoCameraSite[]> {
    return this.store.all<DemoCameraSite>(demoCameraSitesSql(this.store.dialect === 'sqlite' ? 'INDEXED BY regions_parent' : ''));
  }

  async saveCamera(camera: Camera, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO cameras (id, name, lon, lat, micro_grid_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, lon = excluded.lon, lat = excluded.lat, micro_grid_id = excluded.micro_grid_id`,
      camera.id,
      camera.name,
      camera.location.lon,
      camera.location.lat,
      camera.microGridId,
      at,
    );
  }

  async videoMapping(alertType: string): Promise<VideoAlertMapping | null> {
    const r = await this.store.get<VideoMappingRow>('SELECT alert_type, item_code, urgency, min_confidence, label FROM video_alert_mappings WHERE alert_type = ?', alertType);
    return r ? toVideoMapping(r) : null;
  }

  async videoMappings(): Promise<VideoAlertMapping[]> {
    return (await this.store.all<VideoMappingRow>('SELECT alert_type, item_code, urgency, min_confidence, label FROM video_alert_mappings ORDER BY alert_type')).map(toVideoMapping);
  }

  async saveVideoMapping(m: VideoAlertMapping, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO video_alert_mappings (alert_type, item_code, urgency, min_confidence, label, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (alert_type) DO UPDATE SET item_code = excluded.item_code, urgency = excluded.urgency, min_confidence = excluded.min_confidence, label = excluded.label, updated_at = excluded.updated_at`,
      m.alertType,
      m.itemCode,
      m.urgency,
      m.minConfidence,
      m.label,
      at,
    );
  }

  async deleteVideoMapping(alertType: string): Promise<boolean> {
    return (await this.store.run('DELETE FROM video_alert_mappings WHERE alert_type = ?', alertType)).changes > 0;
  }

  async hotlineMapping(categoryText: string): Promise<HotlineCategoryMapping | null> {
    const r = await this.store.get<HotlineMappingRow>('SELECT category_text, item_code, urgency FROM hotline_category_mappings WHERE category_text = ?', categoryText);
    return r ? toHotlineMapping(r) : null;
  }

  async hotlineMappings(): Promise<HotlineCategoryMapping[]> {
    return (await this.store.all<HotlineMappingRow>('SELECT category_text, item_code, urgency FROM hotline_category_mappings ORDER BY category_text')).map(toHotlineMapping);
  }

  async saveHotlineMapping(m: HotlineCategoryMapping, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO hotline_category_mappings (category_text, item_code, urgency, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (category_text) DO UPDATE SET item_code = excluded.item_code, urgency = excluded.urgency, updated_at = excluded.updated_at`,
      m.categoryText,
      m.itemCode,
      m.urgency,
      at,
    );
  }

  async deleteHotlineMapping(categoryText: string): Promise<boolean> {
    return (await this.store.run('DELETE FROM hotline_category_mappings WHERE category_text = ?', categoryText)).changes > 0;
  }

  async receipt(channel: AdapterChannel, channelId: string): Promise<ChannelReceipt | null> {
    const r = await this.store.get<ReceiptRow>('SELECT channel, channel_id, request_hash, event_id, triage_id FROM channel_receipts WHERE channel = ? AND channel_id = ?', channel, channelId);
    return r ? { channel: r.channel, channelId: r.channel_id, requestHash: r.request_hash, eventId: r.event_id, triageId: r.triage_id } : null;
  }

  /** Writes a receipt, or sets the case of the one there (a triage item resolved; an intake's). */
  async saveReceipt(r: ChannelReceipt, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO channel_receipts (channel, channel_id, request_hash, event_id, triage_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, channel_id) DO UPDATE SET event_id = excluded.event_id`,
      r.channel,
      r.channelId,
      r.requestHash,
      r.eventId,
      r.triageId,
      at,
    );
  }

  /**
   * Writes a receipt unless the channel id has one: false when it had (nothing written). On
   * PostgreSQL an insert of the same id by a transaction not yet committed waits for it, so of two
   * nodes taking the same id at once exactly one gets true.
   */
  async claimReceipt(r: ChannelReceipt, at: string): Promise<boolean> {
    const { changes } = await this.store.run(
      `INSERT INTO channel_receipts (channel, channel_id, request_hash, event_id, triage_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, channel_id) DO NOTHING`,
      r.channel,
      r.channelId,
      r.requestHash,
      r.eventId,
      r.triageId,
      at,
    );
    return changes > 0;
  }

  async triage(id: string): Promise<StoredTriageItem | null> {
    const r = await this.store.get<TriageRow>('SELECT * FROM triage_items WHERE id = ?', id);
    return r ? toTriage(r) : null;
  }

  /**
   * Items of one status, oldest first: in `towns` (null: every town), plus those whose town is
   * not known yet when `withUnplaced` (county users see them; a town user cannot place them).
   */
  async triageList(status: TriageStatus, towns: readonly string[] | null, withUnplaced: boolean, limit: number): Promise<{ items: StoredTriageItem[]; total: number }> {
    const where = ['status = ?'];
    const params: unknown[] = [status];
    if (towns !== null) {
      const placed = towns.length > 0 ? `town_id IN (${towns.map(() => '?').join(',')})` : 'FALSE';
      where.push(withUnplaced ? `(${placed} OR town_id IS NULL)` : placed);
      params.push(...towns);
    } else if (!withUnplaced) {
      where.push('town_id IS NOT NULL');
    }
    const clause = where.join(' AND ');
    const order = status === 'pending' ? 'received_at ASC, id ASC' : 'decided_at DESC, id DESC';
    const rows = await this.store.all<TriageRow>(`SELECT * FROM triage_items WHERE ${clause} ORDER BY ${order} LIMIT ?`, ...params, limit);
    const total = (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM triage_items WHERE ${clause}`, ...params))!.n;
    return { items: rows.map(toTriage), total };
  }

  /**
   * Writes a pending item; false (nothing written) when the channel id has one already. On
   * PostgreSQL an item of the same channel id not yet committed is waited for, so of two nodes
   * queuing one report at once exactly one gets true.
   */
  async insertTriage(t: NewTriageItem): Promise<boolean> {
    const { changes } = await this.store.run(
      `INSERT INTO triage_items (id, channel, channel_id, status, reasons, suggestions, body, item_text, description, address, caller_name, caller_phone, lon, lat, address_code, town_id, reporter_id, received_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, channel_id) DO NOTHING`,
      t.id,
      t.channel,
      t.channelId,
      JSON.stringify(t.reasons),
      JSON.stringify(t.suggestions),
      JSON.stringify(t.body),
      t.itemText,
      t.description,
      t.address,
      t.caller.name,
      t.caller.phone,
      t.location?.lon ?? null,
      t.location?.lat ?? null,
      t.addressCode,
      t.townId,
      t.reporterId,
      t.receivedAt,
    );
    return changes > 0;
  }

  /** Marks a pending item decided; false when it was no longer pending. */
  async decideTriage(id: string, decision: { status: 'resolved' | 'dismissed'; eventId: string | null; reason: string | null; at: string; byId: string; byName: string }): Promise<boolean> {
    const { changes } = await this.store.run(
      `UPDATE triage_items SET status = ?, event_id = ?, dismiss_reason = ?, decided_at = ?, decided_by = ?, decided_by_name = ? WHERE id = ? AND status = 'pending'`,
      decision.status,
      decision.eventId,
      decision.reason,
      decision.at,
      decision.byId,
      decision.byName,
      id,
    );
    return changes > 0;
  }
}
