import type { CatalogItem, TeamType, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';

/**
 * The demo's admitted items (入格事项): the 57 items of the reference catalog
 * (/work/shared/catalog-reference.md §1). A code is the category letter plus the item's number
 * in that reference (A01 … I57), so every row can be traced back to its source line.
 * Limits are the published 处置 limits where the reference has one, otherwise the proposed
 * tier defaults of its §3b; minutes stand in for "at once / on scene" items.
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

type Row = [
  category: keyof typeof CATEGORIES,
  name: string,
  nameEn: string,
  department: string,
  teamType: TeamType,
  urgency: Urgency,
  limit: TimeLimit,
  selfHandle: boolean,
];

const min = (value: number): TimeLimit => ({ value, unit: 'minutes' });
const wh = (value: number): TimeLimit => ({ value, unit: 'work_hours' });
const wd = (value: number): TimeLimit => ({ value, unit: 'work_days' });

const ROWS: Row[] = [
  ['A', '邻里纠纷', 'Neighbour dispute', '村社人民调解委员会 / 乡镇司法所', 'mediator', 'P2', wd(10), true],
  ['A', '婚恋家庭纠纷', 'Marriage and family dispute', '村社调委会 / 妇联', 'mediator', 'P2', wd(10), false],
  ['A', '物业纠纷', 'Property management dispute', '社区 / 县住建局', 'mediator', 'P2', wd(10), false],
  ['A', '欠资欠薪 / 劳动就业纠纷', 'Unpaid wages or labour dispute', '县人力社保局 / 矛调中心', 'mediator', 'P1', wd(5), false],
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
  ['B', '出租房屋 / 流动人口信息变动', 'Rental housing or migrant registration change', '派出所 / 网格员', 'grid_worker', 'P2', wd(3), true],
  ['B', '110 非警务警情分流', '110 non-police call handed over', '乡镇 / 主管部门', 'village_cadre', 'P2', wd(1), false],
  ['B', '打架斗殴苗头 / 群体聚集', 'Brewing fight or crowd gathering', '派出所', 'police', 'P0', min(60), false],
  ['C', '消防通道堵塞', 'Blocked fire lane', '乡镇应急消防管理站', 'emergency_rescue', 'P1', wh(4), true],
  ['C', '电动自行车违规 / 飞线充电', 'Unsafe e-bike charging', '乡镇应急消防管理站', 'grid_worker', 'P1', wd(1), true],
  ['C', '燃气泄漏 / 瓶装燃气隐患', 'Gas leak or bottled-gas hazard', '燃气主管部门 / 燃气企业 / 消防', 'emergency_rescue', 'P0', min(60), false],
  ['C', '经营性自建房安全隐患', 'Unsafe self-built commercial building', '县住建局 / 乡镇规划建设办', 'law_enforcement', 'P1', wd(5), false],
  ['C', 'C / D 级危房（人员居住）', 'Occupied dangerous house (grade C/D)', '县住建局 / 乡镇 / 危房联络员', 'village_cadre', 'P1', wd(1), false],
  ['C', '山洪 / 地质灾害隐患点异常', 'Flash flood or landslide warning sign', '自然资源所 / 县水利局', 'emergency_rescue', 'P0', min(120), false],
  ['C', '水利工程险情（山塘、堤防）', 'Danger at a pond dam or dyke', '县水利局 / 水利工程巡查员', 'emergency_rescue', 'P0', min(120), false],
  ['C', '避灾场所问题', 'Problem at a disaster shelter', '乡镇 / 避灾场所管理员', 'village_cadre', 'P1', wd(1), false],
  ['C', '建筑工地安全隐患', 'Construction site hazard', '县住建局', 'law_enforcement', 'P1', wd(1), false],
  ['C', '企业安全生产 / 危化品隐患', 'Workplace or hazardous chemicals hazard', '县应急管理局', 'law_enforcement', 'P1', wd(1), false],
  ['C', '野外用火 / 森林防火', 'Open fire in the countryside', '县应急管理局 / 林业', 'emergency_rescue', 'P0', min(60), true],
  ['C', '电梯困人', 'People trapped in a lift', '维保单位 / 县市场监管局', 'emergency_rescue', 'P0', min(30), false],
  ['D', '暴露垃圾', 'Exposed rubbish', '环卫所 / 街道', 'grid_worker', 'P2', wh(4), true],
  ['D', '建筑垃圾 / 渣土堆积', 'Construction waste or spoil heap', '环卫所 / 县综合行政执法局', 'law_enforcement', 'P2', wh(4), false],
  ['D', '道路不洁', 'Dirty road', '环卫所', 'grid_worker', 'P2', wh(2), true],
  ['D', '路面积水', 'Standing water on the road', '市政 / 环卫所', 'law_enforcement', 'P1', wh(4), false],
  ['D', '水域不洁 / 河道漂浮物', 'Dirty river or floating rubbish', '县水利局 / 河长办', 'village_cadre', 'P2', wd(15), false],
  ['D', '绿地脏乱', 'Littered green space', '园林所', 'grid_worker', 'P2', wh(4), true],
  ['D', '绿地养护（植被枯死、树池破损）', 'Green space upkeep (dead plants, broken tree pits)', '园林所', 'law_enforcement', 'P3', wd(5), false],
  ['D', '焚烧垃圾 / 树叶 / 秸秆', 'Burning rubbish, leaves or straw', '县综合行政执法局 / 生态环境分局', 'law_enforcement', 'P1', wh(2), true],
  ['D', '餐饮油烟扰民', 'Restaurant fumes nuisance', '县综合行政执法局', 'law_enforcement', 'P2', wd(5), false],
  ['D', '噪声扰民', 'Noise nuisance', '县综合行政执法局 / 公安 / 生态环境分局', 'law_enforcement', 'P2', wd(1), true],
  ['E', '违法搭建 / 私搭乱建', 'Illegal construction', '综合执法队 / 街道 / 规划', 'law_enforcement', 'P3', wd(15), false],
  ['E', '占道经营 / 无证流动摊贩', 'Street vending on the road', '综合执法中队', 'law_enforcement', 'P2', wh(2), true],
  ['E', '出店经营', 'Shop spilling onto the pavement', '综合执法中队', 'law_enforcement', 'P2', wd(1), true],
  ['E', '乱堆物料 / 占道堆物', 'Goods piled on the road', '综合执法中队 / 街道', 'law_enforcement', 'P2', wd(1), true],
  ['E', '人行道机动车违停', 'Car parked on the pavement', '综合执法中队 / 交警', 'law_enforcement', 'P2', wh(2), false],
  ['E', '乱张贴小广告', 'Fly-posting', '综合执法中队 / 环卫所', 'law_enforcement', 'P2', wd(1), true],
  ['E', '渣土车抛洒 / 无证运输', 'Spoil truck spilling or unlicensed', '县综合行政执法局', 'law_enforcement', 'P1', wh(4), false],
  ['E', '沿街晾挂', 'Laundry hung along the street', '街道', 'grid_worker', 'P2', wd(1), true],
  ['F', '路灯不亮', 'Street lights out', '县照明管理所', 'law_enforcement', 'P2', wd(1), false],
  ['F', '污水井盖丢失', 'Missing manhole cover', '市政 / 产权单位', 'law_enforcement', 'P0', min(120), false],
  ['F', '道路开挖 / 障碍影响通行', 'Road dug up or blocked', '市政 / 县城运中心', 'law_enforcement', 'P1', wh(2), false],
  ['G', '食品安全隐患', 'Food safety hazard', '市场监管所', 'law_enforcement', 'P1', wd(1), false],
  ['G', '无照经营', 'Unlicensed business', '市场监管所 / 综合执法中队', 'law_enforcement', 'P2', wd(5), false],
  ['H', '特殊人员管理预警', 'Alert on a person under special management', '县委政法委 / 属地乡镇', 'village_cadre', 'P1', wd(1), false],
  ['H', '严重精神障碍患者异常', 'Person with severe mental illness in crisis', '县卫健局 / 派出所 / 村社', 'police', 'P1', wh(4), false],
  ['H', '社区矫正对象异常', 'Person on community correction out of line', '乡镇司法所', 'village_cadre', 'P1', wd(1), false],
  ['H', '困难群众 / 独居老人帮扶', 'Help for people in hardship or elderly living alone', '县民政局 / 村社', 'village_cadre', 'P2', wd(3), true],
  ['I', '代办：证件补办', 'Errand service: replacing a certificate', '乡镇社会治理综合指挥中心 / 派出所', 'grid_worker', 'P2', wd(5), false],
];

export const DEMO_CATALOG: CatalogItem[] = ROWS.map(([cat, name, nameEn, department, teamType, defaultUrgency, handleLimit, selfHandle], i) => {
  const category = CATEGORIES[cat];
  return {
    code: `${category.letter}${String(i + 1).padStart(2, '0')}`,
    name,
    nameEn,
    category: category.key,
    categoryName: category.name,
    categoryNameEn: category.nameEn,
    department,
    teamType,
    defaultUrgency,
    selfHandle,
    handleLimit,
  };
});
