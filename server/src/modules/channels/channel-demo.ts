import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { Camera, HotlineCategoryMapping, VideoAlertMapping } from '../../../../shared/contracts/channels.js';
import type { Db } from '../../db/connection.js';

/**
 * The demo county's video alert types (雪亮工程 AI: the types such platforms name) and their
 * items, urgency and confidence floor. Smoke and fire go through at a lower confidence than
 * street order: missing one costs more than a person looking at a false one.
 */
const VIDEO: Array<[alertType: string, itemName: string, label: string, minConfidence: number]> = [
  ['occupy_road', '占道经营 / 无证流动摊贩', '占道经营', 0.6],
  ['shop_overflow', '出店经营', '出店经营', 0.6],
  ['garbage_exposed', '暴露垃圾', '暴露垃圾', 0.6],
  ['road_dirty', '道路不洁', '道路不洁', 0.65],
  ['stacked_goods', '乱堆物料 / 占道堆物', '乱堆物料', 0.6],
  ['laundry_street', '沿街晾挂', '沿街晾挂', 0.7],
  ['illegal_parking_sidewalk', '人行道机动车违停', '人行道违停', 0.7],
  ['fire_lane_blocked', '消防通道堵塞', '消防通道堵塞', 0.5],
  ['smoke_fire', '野外用火 / 森林防火', '烟火', 0.4],
  ['burning_waste', '焚烧垃圾 / 树叶 / 秸秆', '焚烧垃圾', 0.5],
  ['crowd_gathering', '打架斗殴苗头 / 群体聚集', '人员聚集', 0.75],
  ['standing_water', '路面积水', '路面积水', 0.6],
];

/** The 12345 hotline's category words (诉求分类, last level and full path) for the demo county's items. */
const HOTLINE: Array<[categoryText: string, itemName: string]> = [
  ['占道经营', '占道经营 / 无证流动摊贩'],
  ['城市管理/占道经营', '占道经营 / 无证流动摊贩'],
  ['流动摊贩', '占道经营 / 无证流动摊贩'],
  ['出店经营', '出店经营'],
  ['暴露垃圾', '暴露垃圾'],
  ['环境卫生/垃圾清运', '暴露垃圾'],
  ['垃圾清运', '暴露垃圾'],
  ['道路保洁', '道路不洁'],
  ['噪声扰民', '噪声扰民'],
  ['环境保护/噪声污染', '噪声扰民'],
  ['油烟扰民', '餐饮油烟扰民'],
  ['违章搭建', '违法搭建 / 私搭乱建'],
  ['城乡建设/违法建设', '违法搭建 / 私搭乱建'],
  ['路灯故障', '路灯不亮'],
  ['市政设施/路灯', '路灯不亮'],
  ['井盖缺失', '污水井盖丢失'],
  ['邻里纠纷', '邻里纠纷'],
  ['物业纠纷', '物业纠纷'],
  ['拖欠工资', '欠资欠薪 / 劳动就业纠纷'],
  ['消防通道', '消防通道堵塞'],
  ['电动车充电', '电动自行车违规 / 飞线充电'],
  ['安全隐患/飞线充电', '电动自行车违规 / 飞线充电'],
  ['电梯故障困人', '电梯困人'],
  ['食品安全', '食品安全隐患'],
  ['小广告', '乱张贴小广告'],
  ['焚烧秸秆', '焚烧垃圾 / 树叶 / 秸秆'],
  ['路面积水', '路面积水'],
  ['困难帮扶', '困难群众 / 独居老人帮扶'],
  // matters not admitted to the grid are mapped too: recorded as not admitted and referred
  ['价格投诉', '市场价格投诉'],
  ['政策咨询', '12345 纯咨询（政策、办事指南）'],
];

/** Where a demo camera stands: the first micro-grid (by code) of a grid, named by its town, village and grid. */
export interface DemoCameraSite {
  microGridId: string;
  lon: number;
  lat: number;
  placeName: string;
}

/** The demo county's sites query; `hint`: SQLite's index hint (by the parent's index, or the planner walks every micro-grid of each grid: hours for a province). */
export const demoCameraSitesSql = (hint: string) =>
  `SELECT m.id AS "microGridId", m.label_lon AS lon, m.label_lat AS lat, t.name || v.name || g.name AS "placeName"
     FROM regions g
     JOIN regions v ON v.id = g.parent_id
     JOIN regions t ON t.id = v.parent_id
     JOIN regions m ON m.id = (SELECT id FROM regions ${hint} WHERE parent_id = g.id AND level = 'microgrid' ORDER BY code LIMIT 1)
    WHERE g.level = 'grid'
    ORDER BY g.code`;

/** The demo's cameras and mapping rows for a catalog's items and referrals (by name; names it lacks are skipped). */
function demoRows(named: ReadonlyArray<{ code: string; name: string }>, sites: readonly DemoCameraSite[]) {
  const items = new Map(named.map((c) => [c.name, c.code]));
  const cameras: Camera[] = sites.map((s, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { id: `CAM${n}`, name: `${s.placeName} 雪亮工程${n.slice(-2)}号`, location: { lon: s.lon, lat: s.lat }, microGridId: s.microGridId };
  });
  const video: VideoAlertMapping[] = VIDEO.flatMap(([alertType, itemName, label, minConfidence]) => {
    const itemCode = items.get(itemName);
    return itemCode ? [{ alertType, itemCode, urgency: null, minConfidence, label }] : [];
  });
  const hotline: HotlineCategoryMapping[] = HOTLINE.flatMap(([categoryText, itemName]) => {
    const itemCode = items.get(itemName);
    return itemCode ? [{ categoryText, itemCode, urgency: null }] : [];
  });
  return { cameras, video, hotline };
}

/**
 * Fills the demo county's cameras (one at the first micro-grid of each grid, `CAM0001`…) and
 * both mapping tables, by the names of its active catalog's items and referrals (names the
 * catalog lacks are skipped). Only into empty tables: the demo seed calls it for a new county.
 * Runs in the caller's transaction; null when there was something already.
 *
 * SQLite only, on its connection (not the async store): it is part of the demo seed, a bulk load
 * in one synchronous SQLite transaction, as `EventsRepo.importHistory` is; a platform on
 * PostgreSQL is seeded on SQLite and copied (docs/POSTGRES.md). A running server fills an older
 * data folder with `fillChannelDemo` (the same rows, through the store).
 */
export function seedChannelDemo(db: Db, at: string): { cameras: number; video: number; hotline: number } | null {
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  if (count('cameras') + count('video_alert_mappings') + count('hotline_category_mappings') !== 0) return null;
  // the active catalog's items and referrals, as stored (the seed writes them in the same transaction)
  const active = db.prepare("SELECT version, referrals FROM catalog_versions WHERE status = 'active'").get() as { version: number; referrals: string } | undefined;
  const named = active
    ? [
        ...(db.prepare('SELECT item FROM catalog_version_items WHERE version = ? ORDER BY sort, code').pluck().all(active.version) as string[]).map((item) => JSON.parse(item) as { code: string; name: string }),
        ...(JSON.parse(active.referrals) as Array<{ code: string; name: string }>),
      ]
    : [];
  const sites = db.prepare(demoCameraSitesSql('INDEXED BY regions_parent')).all() as DemoCameraSite[];
  const rows = demoRows(named, sites);
  const camera = db.prepare('INSERT INTO cameras (id, name, lon, lat, micro_grid_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const c of rows.cameras) camera.run(c.id, c.name, c.location.lon, c.location.lat, c.microGridId, at);
  const video = db.prepare('INSERT INTO video_alert_mappings (alert_type, item_code, urgency, min_confidence, label, updated_at) VALUES (?, ?, NULL, ?, ?, ?)');
  for (const m of rows.video) video.run(m.alertType, m.itemCode, m.minConfidence, m.label, at);
  const hotline = db.prepare('INSERT INTO hotline_category_mappings (category_text, item_code, urgency, updated_at) VALUES (?, ?, NULL, ?)');
  for (const m of rows.hotline) hotline.run(m.categoryText, m.itemCode, at);
  return { cameras: rows.cameras.length, video: rows.video.length, hotline: rows.hotline.length };
}

/**
 * `seedChannelDemo` for a running server on either store (a demo data folder seeded before the
 * channel adapters existed): the same rows, through the repository, from the active catalog the
 * server has loaded. Runs in the caller's store transaction; null when there was something already.
 */
/** What `fillChannelDemo` writes through (ChannelsRepo; named here so the repository may import this file). */
export interface DemoChannelsWriter {
  isEmpty(): Promise<boolean>;
  demoCameraSites(): Promise<DemoCameraSite[]>;
  saveCamera(camera: Camera, at: string): Promise<void>;
  saveVideoMapping(m: VideoAlertMapping, at: string): Promise<void>;
  saveHotlineMapping(m: HotlineCategoryMapping, at: string): Promise<void>;
}

export async function fillChannelDemo(repo: DemoChannelsWriter, catalog: Pick<CatalogResponse, 'items' | 'referrals'>, at: string): Promise<{ cameras: number; video: number; hotline: number } | null> {
  if (!(await repo.isEmpty())) return null;
  const rows = demoRows([...catalog.items, ...catalog.referrals], await repo.demoCameraSites());
  for (const c of rows.cameras) await repo.saveCamera(c, at);
  for (const m of rows.video) await repo.saveVideoMapping(m, at);
  for (const m of rows.hotline) await repo.saveHotlineMapping(m, at);
  return { cameras: rows.cameras.length, video: rows.video.length, hotline: rows.hotline.length };
}
