import type { CatalogItemInput, Referral, TeamType, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import { tierLimits } from '../catalog/tier-defaults.js';
import { DEMO_KEYWORDS } from './demo-keywords.js';

/**
 * The demo's admitted items (入格事项): the 57 items of the reference catalog
 * (/work/shared/catalog-reference.md §1). A code is the category letter plus the item's number
 * in that reference (A01 … I57), so every row can be traced back to its source line.
 * Handling limits are the published 处置 limits where the reference has one, otherwise the
 * proposed tier defaults of its §3b; minutes stand in for "at once / on scene" items. The other
 * steps (file, dispatch, verify) take the tier defaults of tier-defaults.ts.
 */

interface Category {
  letter: string;
  key: string;
  name: string;
  nameEn: string;
}

const CATEGORIES = {
  A: { letter: 'A', key: 'dispute', name: '矛盾纠纷', nameEn: 'Disputes' },
  B: { letter: 'B', key: 'public_order', name: '社会治安', nameEn: 'Public order' },
  C: { letter: 'C', key: 'safety', name: '安全隐患', nameEn: 'Safety hazards and emergencies' },
  D: { letter: 'D', key: 'environment', name: '环境卫生', nameEn: 'Environment and sanitation' },
  E: { letter: 'E', key: 'city_order', name: '违法建设与市容秩序', nameEn: 'Illegal building and street order' },
  F: { letter: 'F', key: 'facilities', name: '市政设施', nameEn: 'Municipal facilities' },
  G: { letter: 'G', key: 'market', name: '市场监管', nameEn: 'Market supervision' },
  H: { letter: 'H', key: 'special_groups', name: '特殊人群', nameEn: 'People needing special attention' },
  I: { letter: 'I', key: 'service', name: '便民服务', nameEn: 'Services for residents' },
} as const satisfies Record<string, Category>;

/**
 * Per-item exceptions to the defaults:
 * - `also`: a second urgency the reference names (e.g. 婚恋家庭 P1 if violence is involved),
 *   with its handling limit. A more urgent extra tier takes the tighter end of that tier's
 *   default handling range (P1 4 工作时, P0 2 h), unless the reference publishes one (停工 4 工作时).
 * - `verify: false`: pure service or record items where the reference implies no check (核查):
 *   a registration change is data the grid worker enters, an errand ends when the department
 *   hands over the certificate.
 * - `auto`: machine dispatch (机器派单) of routine cases to the home team.
 */
interface RowOptions {
  also?: [Urgency, TimeLimit];
  verify?: boolean;
  auto?: Urgency[];
}

type Row = [
  category: keyof typeof CATEGORIES,
  name: string,
  nameEn: string,
  department: string,
  teamType: TeamType,
  urgency: Urgency,
  limit: TimeLimit,
  selfHandle: boolean,
  options?: RowOptions,
];

const min = (value: number): TimeLimit => ({ value, unit: 'minutes' });
const wh = (value: number): TimeLimit => ({ value, unit: 'work_hours' });
const wd = (value: number): TimeLimit => ({ value, unit: 'work_days' });
/**
 * Routine environment and street-order items, handled by grid workers or the town's
 * law-enforcement squad: a P2 case goes straight to the home team (catalog-reference §4.3,
 * the "on-spot, same-day" path); a more urgent one waits for a dispatcher.
 */
const AUTO: RowOptions = { auto: ['P2'] };

const ROWS: Row[] = [
  ['A', '邻里纠纷', 'Neighbour dispute', '村社人民调解委员会 / 乡镇司法所', 'mediator', 'P2', wd(10), true],
  ['A', '婚恋家庭纠纷', 'Marriage and family dispute', '村社调委会 / 妇联', 'mediator', 'P2', wd(10), false, { also: ['P1', wh(4)] }],
  ['A', '物业纠纷', 'Property management dispute', '社区 / 县住建局', 'mediator', 'P2', wd(10), false],
  ['A', '欠资欠薪 / 劳动就业纠纷', 'Unpaid wages or labour dispute', '县人力社保局 / 矛调中心', 'mediator', 'P1', wd(5), false, { also: ['P0', min(120)] }],
  ['A', '山林土地 / 宅基地纠纷', 'Forest land or homestead dispute', '乡镇 / 自然资源所', 'mediator', 'P2', wd(15), false],
  ['A', '征地拆迁纠纷', 'Land acquisition and demolition dispute', '乡镇 / 县自然资源局', 'village_cadre', 'P1', wd(10), false],
  ['A', '债务 / 经济金融纠纷', 'Debt or financial dispute', '调委会 / 法院诉前调解', 'mediator', 'P2', wd(15), false],
  ['A', '医疗卫生纠纷', 'Medical dispute', '县卫健局 / 医调委', 'mediator', 'P1', wd(5), false],
  ['A', '交通事故赔偿纠纷', 'Traffic accident compensation dispute', '交警大队 / 调委会', 'mediator', 'P2', wd(10), false],
  ['A', '房地产纠纷（租赁 / 交房）', 'Housing dispute (rent or handover)', '县住建局', 'mediator', 'P2', wd(10), false],
  ['A', '涉校纠纷', 'School-related dispute', '县教育局', 'mediator', 'P1', wd(5), false],
  ['A', '重点信访事项', 'Key petition matter', '县信访局 / 属地乡镇', 'village_cadre', 'P1', wd(10), false],
  ['B', '治安隐患', 'Public order hazard', '派出所 / 社区民警', 'police', 'P1', wd(1), false],
  ['B', '反宣品 / 非法宣传品', 'Illegal propaganda material', '县公安局', 'police', 'P0', min(120), false],
  ['B', '出租房屋 / 流动人口信息变动', 'Rental housing or migrant registration change', '派出所 / 网格员', 'grid_worker', 'P2', wd(3), true, { verify: false }],
  ['B', '110 非警务警情分流', '110 non-police call handed over', '乡镇 / 主管部门', 'village_cadre', 'P2', wd(1), false, { also: ['P1', wh(4)] }],
  ['B', '打架斗殴苗头 / 群体聚集', 'Brewing fight or crowd gathering', '派出所', 'police', 'P0', min(60), false],
  ['C', '消防通道堵塞', 'Blocked fire lane', '乡镇应急消防管理站', 'emergency_rescue', 'P1', wh(4), true],
  ['C', '电动自行车违规 / 飞线充电', 'Unsafe e-bike charging', '乡镇应急消防管理站', 'grid_worker', 'P1', wd(1), true],
  ['C', '燃气泄漏 / 瓶装燃气隐患', 'Gas leak or bottled-gas hazard', '燃气主管部门 / 燃气企业 / 消防', 'emergency_rescue', 'P0', min(60), false, { also: ['P1', wh(4)] }],
  ['C', '经营性自建房安全隐患', 'Unsafe self-built commercial building', '县住建局 / 乡镇规划建设办', 'law_enforcement', 'P1', wd(5), false],
  ['C', 'C / D 级危房（人员居住）', 'Occupied dangerous house (grade C/D)', '县住建局 / 乡镇 / 危房联络员', 'village_cadre', 'P1', wd(1), false, { also: ['P0', min(120)] }],
  ['C', '山洪 / 地质灾害隐患点异常', 'Flash flood or landslide warning sign', '自然资源所 / 县水利局', 'emergency_rescue', 'P0', min(120), false],
  ['C', '水利工程险情（山塘、堤防）', 'Danger at a pond dam or dyke', '县水利局 / 水利工程巡查员', 'emergency_rescue', 'P0', min(120), false],
  ['C', '避灾场所问题', 'Problem at a disaster shelter', '乡镇 / 避灾场所管理员', 'village_cadre', 'P1', wd(1), false],
  ['C', '建筑工地安全隐患', 'Construction site hazard', '县住建局', 'law_enforcement', 'P1', wd(1), false],
  ['C', '企业安全生产 / 危化品隐患', 'Workplace or hazardous chemicals hazard', '县应急管理局', 'law_enforcement', 'P1', wd(1), false],
  ['C', '野外用火 / 森林防火', 'Open fire in the countryside', '县应急管理局 / 林业', 'emergency_rescue', 'P0', min(60), true],
  ['C', '电梯困人', 'People trapped in a lift', '维保单位 / 县市场监管局', 'emergency_rescue', 'P0', min(30), false],
  ['D', '暴露垃圾', 'Exposed rubbish', '环卫所 / 街道', 'grid_worker', 'P2', wh(4), true, AUTO],
  ['D', '建筑垃圾 / 渣土堆积', 'Construction waste or spoil heap', '环卫所 / 县综合行政执法局', 'law_enforcement', 'P2', wh(4), false],
  ['D', '道路不洁', 'Dirty road', '环卫所', 'grid_worker', 'P2', wh(2), true, AUTO],
  ['D', '路面积水', 'Standing water on the road', '市政 / 环卫所', 'law_enforcement', 'P1', wh(4), false],
  ['D', '水域不洁 / 河道漂浮物', 'Dirty river or floating rubbish', '县水利局 / 河长办', 'village_cadre', 'P2', wd(15), false],
  ['D', '绿地脏乱', 'Littered green space', '园林所', 'grid_worker', 'P2', wh(4), true, AUTO],
  ['D', '绿地养护（植被枯死、树池破损）', 'Green space upkeep (dead plants, broken tree pits)', '园林所', 'law_enforcement', 'P3', wd(5), false],
  ['D', '焚烧垃圾 / 树叶 / 秸秆', 'Burning rubbish, leaves or straw', '县综合行政执法局 / 生态环境分局', 'law_enforcement', 'P1', wh(2), true],
  ['D', '餐饮油烟扰民', 'Restaurant fumes nuisance', '县综合行政执法局', 'law_enforcement', 'P2', wd(5), false],
  ['D', '噪声扰民', 'Noise nuisance', '县综合行政执法局 / 公安 / 生态环境分局', 'law_enforcement', 'P2', wd(1), true],
  ['E', '违法搭建 / 私搭乱建', 'Illegal construction', '综合执法队 / 街道 / 规划', 'law_enforcement', 'P3', wd(15), false, { also: ['P1', wh(4)] }],
  ['E', '占道经营 / 无证流动摊贩', 'Street vending on the road', '综合执法中队', 'law_enforcement', 'P2', wh(2), true, AUTO],
  ['E', '出店经营', 'Shop spilling onto the pavement', '综合执法中队', 'law_enforcement', 'P2', wd(1), true],
  ['E', '乱堆物料 / 占道堆物', 'Goods piled on the road', '综合执法中队 / 街道', 'law_enforcement', 'P2', wd(1), true, AUTO],
  ['E', '人行道机动车违停', 'Car parked on the pavement', '综合执法中队 / 交警', 'law_enforcement', 'P2', wh(2), false],
  ['E', '乱张贴小广告', 'Fly-posting', '综合执法中队 / 环卫所', 'law_enforcement', 'P2', wd(1), true, AUTO],
  ['E', '渣土车抛洒 / 无证运输', 'Spoil truck spilling or unlicensed', '县综合行政执法局', 'law_enforcement', 'P1', wh(4), false],
  ['E', '沿街晾挂', 'Laundry hung along the street', '街道', 'grid_worker', 'P2', wd(1), true, AUTO],
  ['F', '路灯不亮', 'Street lights out', '县照明管理所', 'law_enforcement', 'P2', wd(1), false],
  ['F', '污水井盖丢失', 'Missing manhole cover', '市政 / 产权单位', 'law_enforcement', 'P0', min(120), false],
  ['F', '道路开挖 / 障碍影响通行', 'Road dug up or blocked', '市政 / 县城运中心', 'law_enforcement', 'P1', wh(2), false],
  ['G', '食品安全隐患', 'Food safety hazard', '市场监管所', 'law_enforcement', 'P1', wd(1), false],
  ['G', '无照经营', 'Unlicensed business', '市场监管所 / 综合执法中队', 'law_enforcement', 'P2', wd(5), false],
  ['H', '特殊人员管理预警', 'Alert on a person under special management', '县委政法委 / 属地乡镇', 'village_cadre', 'P1', wd(1), false],
  ['H', '严重精神障碍患者异常', 'Person with severe mental illness in crisis', '县卫健局 / 派出所 / 村社', 'police', 'P1', wh(4), false, { also: ['P0', min(120)] }],
  ['H', '社区矫正对象异常', 'Person on community correction out of line', '乡镇司法所', 'village_cadre', 'P1', wd(1), false],
  ['H', '困难群众 / 独居老人帮扶', 'Help for people in hardship or elderly living alone', '县民政局 / 村社', 'village_cadre', 'P2', wd(3), true],
  ['I', '代办：证件补办', 'Errand service: replacing a certificate', '乡镇社会治理综合指挥中心 / 派出所', 'grid_worker', 'P2', wd(5), false, { verify: false }],
];

const URGENCY_ORDER: Urgency[] = ['P0', 'P1', 'P2', 'P3'];

export const DEMO_CATALOG: CatalogItemInput[] = ROWS.map(([cat, name, nameEn, department, teamType, defaultUrgency, handle, selfHandle, options = {}], i) => {
  const category = CATEGORIES[cat];
  const tiers: Array<[Urgency, TimeLimit]> = [[defaultUrgency, handle], ...(options.also ? [options.also] : [])];
  tiers.sort((a, b) => URGENCY_ORDER.indexOf(a[0]) - URGENCY_ORDER.indexOf(b[0]));
  const code = `${category.letter}${String(i + 1).padStart(2, '0')}`;
  return {
    code,
    name,
    nameEn,
    category: category.key,
    categoryName: category.name,
    categoryNameEn: category.nameEn,
    department,
    teamType,
    urgencies: tiers.map(([u]) => u),
    defaultUrgency,
    limits: Object.fromEntries(tiers.map(([u, limit]) => [u, tierLimits(u, limit)])),
    selfHandle,
    verificationRequired: options.verify ?? true,
    autoDispatch: options.auto ? { urgencies: options.auto } : null,
    keywords: DEMO_KEYWORDS[code] ?? [],
  };
});

/**
 * Matters that come in but are not grid items (清单外事项), with the body that takes them:
 * an intake of one of these codes is recorded as not admitted and referred there.
 */
export const DEMO_REFERRALS: Referral[] = [
  { code: 'X01', name: '刑事案件', nameEn: 'Criminal case', receivingBody: '县公安局' },
  { code: 'X02', name: '劳动争议仲裁', nameEn: 'Labour dispute arbitration', receivingBody: '县劳动人事争议仲裁院' },
  { code: 'X03', name: '已进入诉讼程序的涉法涉诉事项', nameEn: 'Matter already before a court', receivingBody: '县人民法院' },
  { code: 'X04', name: '医保报销', nameEn: 'Medical insurance reimbursement', receivingBody: '县医疗保障局' },
  { code: 'X05', name: '12345 纯咨询（政策、办事指南）', nameEn: '12345 enquiry only (policy, how-to)', receivingBody: '12345 政务服务热线知识库' },
  { code: 'X06', name: '市场价格投诉', nameEn: 'Price complaint', receivingBody: '县市场监督管理局' },
  { code: 'X07', name: '消费维权投诉', nameEn: 'Consumer complaint', receivingBody: '县市场监督管理局（12315）' },
  { code: 'X08', name: '交通违法举报', nameEn: 'Traffic offence report', receivingBody: '县公安局交通警察大队' },
  { code: 'X09', name: '不动产登记', nameEn: 'Real estate registration', receivingBody: '县不动产登记服务中心' },
  { code: 'X10', name: '社保缴费与待遇查询', nameEn: 'Social insurance contributions and benefits', receivingBody: '县社会保险事业管理中心' },
  { code: 'X11', name: '涉税事项', nameEn: 'Tax matter', receivingBody: '国家税务总局T县税务局' },
  { code: 'X12', name: '户内供电故障', nameEn: 'Power fault inside a home', receivingBody: '国网T县供电公司（95598）' },
  { code: 'X13', name: '供水管网故障', nameEn: 'Water main fault', receivingBody: '县水务集团' },
  { code: 'X14', name: '通信网络与宽带', nameEn: 'Telecoms and broadband', receivingBody: '通信运营商' },
  { code: 'X15', name: '公职人员违纪违法举报', nameEn: 'Report of misconduct by an official', receivingBody: '县纪委县监委' },
];
