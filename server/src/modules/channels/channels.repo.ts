import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import type { AdapterChannel, Camera, HotlineCategoryMapping, TriageItem, TriageReason, TriageStatus, VideoAlertMapping } from '../../../../shared/contracts/channels.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import type { Db } from '../../db/connection.js';

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

/**
 * Cameras, the two mapping tables, channel receipts and the triage queue: the only place their
 * rows are read or written. Writes run inside the caller's transaction.
 */
export class ChannelsRepo {
  constructor(private readonly db: Db) {}

  camera(id: string): Camera | null {
    const r = this.db.prepare('SELECT id, name, lon, lat, micro_grid_id FROM cameras WHERE id = ?').get(id) as
      | { id: string; name: string; lon: number; lat: number; micro_grid_id: string }
      | undefined;
    return r ? { id: r.id, name: r.name, location: { lon: r.lon, lat: r.lat }, microGridId: r.micro_grid_id } : null;
  }

  cameras(): Camera[] {
    const rows = this.db.prepare('SELECT id, name, lon, lat, micro_grid_id FROM cameras ORDER BY id').all() as Array<{ id: string; name: string; lon: number; lat: number; micro_grid_id: string }>;
    return rows.map((r) => ({ id: r.id, name: r.name, location: { lon: r.lon, lat: r.lat }, microGridId: r.micro_grid_id }));
  }

  /** No camera and no mapping yet (a county the demo seed may fill). */
  isEmpty(): boolean {
    const n = (table: string) => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return n('cameras') + n('video_alert_mappings') + n('hotline_category_mappings') === 0;
  }

  /** Where the demo county's cameras stand: the first micro-grid (by code) of each grid, named by its town, village and grid. */
  demoCameraSites(): Array<{ microGridId: string; lon: number; lat: number; placeName: string }> {
    return this.db
      .prepare(
        `SELECT m.id AS microGridId, m.label_lon AS lon, m.label_lat AS lat, t.name || v.name || g.name AS placeName
           FROM regions g
           JOIN regions v ON v.id = g.parent_id
           JOIN regions t ON t.id = v.parent_id
           -- by the parent's index: ordered by code, the planner walks every micro-grid for each grid (hours for a province)
           JOIN regions m ON m.id = (SELECT id FROM regions INDEXED BY regions_parent WHERE parent_id = g.id AND level = 'microgrid' ORDER BY code LIMIT 1)
          WHERE g.level = 'grid'
          ORDER BY g.code`,
      )
      .all() as Array<{ microGridId: string; lon: number; lat: number; placeName: string }>;
  }

  saveCamera(camera: Camera, at: string): void {
    this.db
      .prepare(
        `INSERT INTO cameras (id, name, lon, lat, micro_grid_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, lon = excluded.lon, lat = excluded.lat, micro_grid_id = excluded.micro_grid_id`,
      )
      .run(camera.id, camera.name, camera.location.lon, camera.location.lat, camera.microGridId, at);
  }

  videoMapping(alertType: string): VideoAlertMapping | null {
    const r = this.db.prepare('SELECT alert_type, item_code, urgency, min_confidence, label FROM video_alert_mappings WHERE alert_type = ?').get(alertType) as
      | { alert_type: string; item_code: string; urgency: Urgency | null; min_confidence: number; label: string }
      | undefined;
    return r ? { alertType: r.alert_type, itemCode: r.item_code, urgency: r.urgency, minConfidence: r.min_confidence, label: r.label } : null;
  }

  videoMappings(): VideoAlertMapping[] {
    const rows = this.db.prepare('SELECT alert_type, item_code, urgency, min_confidence, label FROM video_alert_mappings ORDER BY alert_type').all() as Array<{
      alert_type: string;
      item_code: string;
      urgency: Urgency | null;
      min_confidence: number;
      label: string;
    }>;
    return rows.map((r) => ({ alertType: r.alert_type, itemCode: r.item_code, urgency: r.urgency, minConfidence: r.min_confidence, label: r.label }));
  }

  saveVideoMapping(m: VideoAlertMapping, at: string): void {
    this.db
      .prepare(
        `INSERT INTO video_alert_mappings (alert_type, item_code, urgency, min_confidence, label, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (alert_type) DO UPDATE SET item_code = excluded.item_code, urgency = excluded.urgency, min_confidence = excluded.min_confidence, label = excluded.label, updated_at = excluded.updated_at`,
      )
      .run(m.alertType, m.itemCode, m.urgency, m.minConfidence, m.label, at);
  }

  deleteVideoMapping(alertType: string): boolean {
    return this.db.prepare('DELETE FROM video_alert_mappings WHERE alert_type = ?').run(alertType).changes > 0;
  }

  hotlineMapping(categoryText: string): HotlineCategoryMapping | null {
    const r = this.db.prepare('SELECT category_text, item_code, urgency FROM hotline_category_mappings WHERE category_text = ?').get(categoryText) as
      | { category_text: string; item_code: string; urgency: Urgency | null }
      | undefined;
    return r ? { categoryText: r.category_text, itemCode: r.item_code, urgency: r.urgency } : null;
  }

  hotlineMappings(): HotlineCategoryMapping[] {
    const rows = this.db.prepare('SELECT category_text, item_code, urgency FROM hotline_category_mappings ORDER BY category_text').all() as Array<{
      category_text: string;
      item_code: string;
      urgency: Urgency | null;
    }>;
    return rows.map((r) => ({ categoryText: r.category_text, itemCode: r.item_code, urgency: r.urgency }));
  }

  saveHotlineMapping(m: HotlineCategoryMapping, at: string): void {
    this.db
      .prepare(
        `INSERT INTO hotline_category_mappings (category_text, item_code, urgency, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (category_text) DO UPDATE SET item_code = excluded.item_code, urgency = excluded.urgency, updated_at = excluded.updated_at`,
      )
      .run(m.categoryText, m.itemCode, m.urgency, at);
  }

  deleteHotlineMapping(categoryText: string): boolean {
    return this.db.prepare('DELETE FROM hotline_category_mappings WHERE category_text = ?').run(categoryText).changes > 0;
  }

  receipt(channel: AdapterChannel, channelId: string): ChannelReceipt | null {
    const r = this.db.prepare('SELECT channel, channel_id, request_hash, event_id, triage_id FROM channel_receipts WHERE channel = ? AND channel_id = ?').get(channel, channelId) as
      | { channel: AdapterChannel; channel_id: string; request_hash: string; event_id: string | null; triage_id: string | null }
      | undefined;
    return r ? { channel: r.channel, channelId: r.channel_id, requestHash: r.request_hash, eventId: r.event_id, triageId: r.triage_id } : null;
  }

  saveReceipt(r: ChannelReceipt, at: string): void {
    this.db
      .prepare(
        `INSERT INTO channel_receipts (channel, channel_id, request_hash, event_id, triage_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, channel_id) DO UPDATE SET event_id = excluded.event_id`,
      )
      .run(r.channel, r.channelId, r.requestHash, r.eventId, r.triageId, at);
  }

  triage(id: string): StoredTriageItem | null {
    const r = this.db.prepare('SELECT * FROM triage_items WHERE id = ?').get(id) as TriageRow | undefined;
    return r ? toTriage(r) : null;
  }

  /**
   * Items of one status, oldest first: in `towns` (null: every town), plus those whose town is
   * not known yet when `withUnplaced` (county users see them; a town user cannot place them).
   */
  triageList(status: TriageStatus, towns: readonly string[] | null, withUnplaced: boolean, limit: number): { items: StoredTriageItem[]; total: number } {
    const where = ['status = ?'];
    const params: unknown[] = [status];
    if (towns !== null) {
      const placed = towns.length > 0 ? `town_id IN (${towns.map(() => '?').join(',')})` : '0';
      where.push(withUnplaced ? `(${placed} OR town_id IS NULL)` : placed);
      params.push(...towns);
    } else if (!withUnplaced) {
      where.push('town_id IS NOT NULL');
    }
    const clause = where.join(' AND ');
    const order = status === 'pending' ? 'received_at ASC, id ASC' : 'decided_at DESC, id DESC';
    const rows = this.db.prepare(`SELECT * FROM triage_items WHERE ${clause} ORDER BY ${order} LIMIT ?`).all(...params, limit) as TriageRow[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM triage_items WHERE ${clause}`).get(...params) as { n: number }).n;
    return { items: rows.map(toTriage), total };
  }

  insertTriage(t: NewTriageItem): void {
    this.db
      .prepare(
        `INSERT INTO triage_items (id, channel, channel_id, status, reasons, suggestions, body, item_text, description, address, caller_name, caller_phone, lon, lat, address_code, town_id, reporter_id, received_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
  }

  /** Marks a pending item decided; false when it was no longer pending. */
  decideTriage(id: string, decision: { status: 'resolved' | 'dismissed'; eventId: string | null; reason: string | null; at: string; byId: string; byName: string }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE triage_items SET status = ?, event_id = ?, dismiss_reason = ?, decided_at = ?, decided_by = ?, decided_by_name = ? WHERE id = ? AND status = 'pending'`,
        )
        .run(decision.status, decision.eventId, decision.reason, decision.at, decision.byId, decision.byName, id).changes > 0
    );
  }
}
