import type { Db } from '../../db/connection.js';
import { CatalogRepo } from '../catalog/catalog.repo.js';
import { ChannelsRepo } from './channels.repo.js';

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

/**
 * Fills the demo county's cameras (one at the first micro-grid of each grid, `CAM0001`…) and
 * both mapping tables, by the names of its active catalog's items and referrals (names the
 * catalog lacks are skipped). Only into empty tables: the demo seed calls it for a new county,
 * and a demo server at start for a data folder seeded before the channel adapters existed.
 * Runs in the caller's transaction; null when there was something already.
 */
export function seedChannelDemo(db: Db, at: string): { cameras: number; video: number; hotline: number } | null {
  const repo = new ChannelsRepo(db);
  if (!repo.isEmpty()) return null;
  const catalog = new CatalogRepo(db).active();
  const items = new Map([...catalog.items, ...catalog.referrals].map((c) => [c.name, c.code]));
  const sites = repo.demoCameraSites();
  sites.forEach((s, i) => {
    const n = String(i + 1).padStart(4, '0');
    repo.saveCamera({ id: `CAM${n}`, name: `${s.placeName} 雪亮工程${n.slice(-2)}号`, location: { lon: s.lon, lat: s.lat }, microGridId: s.microGridId }, at);
  });
  let video = 0;
  for (const [alertType, itemName, label, minConfidence] of VIDEO) {
    const itemCode = items.get(itemName);
    if (!itemCode) continue;
    repo.saveVideoMapping({ alertType, itemCode, urgency: null, minConfidence, label }, at);
    video++;
  }
  let hotline = 0;
  for (const [categoryText, itemName] of HOTLINE) {
    const itemCode = items.get(itemName);
    if (!itemCode) continue;
    repo.saveHotlineMapping({ categoryText, itemCode, urgency: null }, at);
    hotline++;
  }
  return { cameras: sites.length, video, hotline };
}
