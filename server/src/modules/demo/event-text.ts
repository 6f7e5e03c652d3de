import type { EventSource } from '../../../../shared/contracts/events.js';
import type { Random } from './random.js';

/**
 * Description templates per catalog item. `{loc}` is the place, `{n}` a small number,
 * `{time}` the part of the day; `{a|b|c}` picks one alternative.
 */
const TEMPLATES: Record<string, string[]> = {
  A01: [
    '{loc}两户邻居因{排水沟堵塞|墙体渗水|宅基地界址|楼上漏水|装修噪音|共用通道堆物}发生争执，双方情绪激动，请求调解。',
    '{loc}邻里之间因{种菜占地|楼道堆放杂物|饲养家禽扰邻|空调外机噪音}多次发生口角，{time}再次争吵。',
  ],
  A02: [
    '{loc}一对夫妻因{家庭琐事|子女抚养|赡养老人|财产分割}争吵，{time}矛盾激化，需妇联及调委会介入。',
    '{loc}有家庭纠纷，当事人情绪低落，亲属请求村社协助调处。',
  ],
  A03: [
    '{loc}业主反映物业{停车收费不合理|电梯长期维修不到位|垃圾清运不及时|绿化维护不到位}，与物业公司协商未果。',
    '{loc}小区{n}名业主与物业因物业费上调发生纠纷，要求社区协调。',
  ],
  A04: [
    '{loc}附近工地{n}名务工人员反映被拖欠工资约{n}个月，要求尽快解决。',
    '{loc}一家{餐馆|服装厂|五金厂|装修公司}员工反映离职后工资未结清，多次讨要无果。',
  ],
  A05: [
    '{loc}两户村民因{山林界址|承包地边界|宅基地翻建占地|自留山权属}发生争议，双方各执一词。',
    '{loc}村民反映邻户建房超出宅基地范围，侵占自家菜地约{n}0平方米。',
  ],
  A06: ['{loc}村民对征地补偿标准有异议，{n}户联名要求重新评估。', '{loc}拆迁户反映安置房分配方案不公平，情绪较大。'],
  A07: ['{loc}村民反映借给他人{n}万元逾期未还，多次催讨无果，请求调解。', '{loc}有{n}名群众反映参与民间借贷后无法收回本金，担心引发矛盾。'],
  A08: [
    '{loc}居民反映家属在{乡镇卫生院|县人民医院|社区卫生服务站}就诊后病情加重，对治疗过程有异议。',
    '{loc}患者家属与卫生院就医疗费用发生争执，要求协调。',
  ],
  A09: ['{loc}附近发生交通事故后双方就赔偿金额协商不成，请求调解。', '{loc}村民反映被电动车撞伤后对方拒绝承担医疗费用。'],
  A10: ['{loc}租户与房东因{押金退还|房屋漏水维修|提前退租}发生纠纷。', '{loc}购房户反映开发商逾期交房已{n}个月，要求协调。'],
  A11: [
    '{loc}家长反映孩子在学校{受伤|被同学欺凌|课后托管收费}问题处理不满意，要求协调。',
    '{loc}附近学校门口多名家长聚集反映{校车接送|食堂饭菜质量}问题。',
  ],
  A12: ['{loc}信访人再次反映{宅基地审批|低保认定|土地补偿}问题，需属地重点稳控化解。', '{loc}重点信访人员{time}出现上访苗头，属地需落实稳控措施。'],
  B13: ['{loc}{一处出租房人员进出频繁|路段监控损坏|小区围墙破损}，存在治安隐患。', '{loc}夜间有可疑人员多次出入，群众担心安全。'],
  B14: ['{loc}发现散发的非法宣传品约{n}0份，已收集封存待移交公安。', '{loc}墙面张贴有不明宣传品，需公安核查处理。'],
  B15: ['{loc}出租房新入住外来人员{n}名，尚未登记。', '{loc}出租房屋租户变更，需更新流动人口信息。'],
  B16: [
    '{loc}群众报警称{邻居装修噪音扰民|有人在门口堆放杂物|宠物狗伤人|停车纠纷}，属非警务警情，移交属地处置。',
    '{loc}群众求助{老人走失后已找回需回访|家中漏水需协调|独居老人联系不上}，移交属地核实。',
  ],
  B17: ['{loc}{n}名青年发生口角，有推搡动作，存在打架斗殴苗头。', '{loc}有十余人聚集{讨要说法|围堵店门}，情绪激动，需派出所到场。'],
  C18: ['{loc}消防通道被{电动车|私家车|杂物|快递三轮车}堵塞，影响应急车辆通行。', '{loc}楼道内堆放大量纸箱杂物，堵塞疏散通道。'],
  C19: ['{loc}有住户从楼上拉电线给电动车充电（飞线充电），存在火灾隐患。', '{loc}楼道内停放电动自行车充电，共{n}辆。'],
  C20: [
    '{loc}住户反映闻到明显燃气异味，疑似燃气泄漏。',
    '{loc}餐饮店使用的瓶装液化气钢瓶{无检验标识|放置在地下室|与灶具距离过近}，存在安全隐患。',
  ],
  C21: ['{loc}一幢{n}层经营性自建房墙体出现裂缝，底层仍在营业。', '{loc}自建房擅自加层改作出租房，存在结构安全隐患。'],
  C22: ['{loc}有一处D级危房仍有老人居住，近期降雨需尽快转移。', '{loc}老旧土木结构房屋屋顶局部塌陷，住户{n}人尚未搬离。'],
  C23: ['{loc}山体出现裂缝并有碎石滑落，下方有{n}户民房。', '{loc}溪流水位快速上涨、水质浑浊，疑有山洪迹象。'],
  C24: ['{loc}山塘坝体出现渗水，下游有村民居住。', '{loc}堤防一段出现管涌迹象，需紧急处置。'],
  C25: ['{loc}避灾安置点{物资储备不足|应急照明损坏|门锁损坏无法开启}。', '{loc}避灾场所被堆放杂物占用，无法正常使用。'],
  C26: ['{loc}建筑工地{塔吊作业无人指挥|脚手架未设防护网|基坑边缘无围挡}，存在安全隐患。', '{loc}工地夜间施工，工人未佩戴安全帽。'],
  C27: ['{loc}一家{小作坊|五金厂|化工仓库}违规存放危化品约{n}桶。', '{loc}企业车间消防设施损坏，员工宿舍与车间未分隔（三合一）。'],
  C28: ['{loc}{有人在山脚焚烧杂草|坟头燃放鞭炮|山林边上烧荒}，火势有蔓延风险。', '{loc}山上冒出浓烟，疑似野外火情。'],
  C29: ['{loc}电梯故障困人，{n}名居民被困轿厢内。', '{loc}一部电梯停在两层之间，有老人被困，需紧急救援。'],
  D30: ['{loc}垃圾桶满溢，周边有暴露垃圾约{n}袋，散发异味。', '{loc}路边堆有生活垃圾无人清理。'],
  D31: ['{loc}有人倾倒建筑垃圾约{n}车，占用路边空地。', '{loc}装修垃圾乱堆，影响通行和环境。'],
  D32: ['{loc}路面有{泥浆|油污|散落沙石}，道路不洁。', '{loc}路面落叶垃圾较多，长时间未清扫。'],
  D33: ['{loc}降雨后路面积水约{n}0厘米深，车辆行人通行困难。', '{loc}雨水井堵塞导致路面积水。'],
  D34: ['{loc}河道有大量漂浮垃圾和水草，水面发黑。', '{loc}沟渠淤积堵塞，水体有异味。'],
  D35: ['{loc}绿化带内有大量垃圾和烟头。', '{loc}公园草坪上被乱扔{塑料袋|饮料瓶|外卖盒}。'],
  D36: ['{loc}行道树枯死{n}棵，树池破损。', '{loc}绿化带植被大面积枯黄，需补植养护。'],
  D37: ['{loc}有人在田边焚烧{秸秆|垃圾|树叶}，浓烟影响周边居民。', '{loc}空地上有焚烧垃圾现象，气味刺鼻。'],
  D38: ['{loc}一家{烧烤店|饭店|小吃店}油烟直排，影响楼上住户。', '{loc}餐饮店未安装油烟净化设施，油烟扰民。'],
  D39: ['{loc}{夜间施工|广场舞音响|KTV|商铺促销喇叭}噪声扰民，{time}仍未停止。', '{loc}住户反映{楼上|隔壁}长期噪音，影响休息。'],
  E40: ['{loc}有村民未经审批搭建{彩钢棚|砖混房屋|阳光房}约{n}0平方米。', '{loc}屋顶违规加盖一层，正在施工。'],
  E41: ['{loc}有{n}个流动摊贩占道经营，影响交通。', '{loc}{早市|夜宵摊|水果摊}占用人行道经营。'],
  E42: ['{loc}沿街商铺{把货架摆到人行道上|在门口加工作业|占用门前经营}。', '{loc}店铺出店经营，占用人行道约{n}米。'],
  E43: ['{loc}路边乱堆{建材|木料|杂物}，占用车道。', '{loc}人行道上堆放物料，影响行人通行。'],
  E44: ['{loc}人行道上违停机动车{n}辆，行人只能走机动车道。', '{loc}路口有车辆长时间违停，影响通行。'],
  E45: ['{loc}墙面和电线杆上有大量小广告。', '{loc}新贴出{办证|疏通管道|贷款}小广告约{n}张。'],
  E46: ['{loc}渣土车沿途抛洒泥土，路面污染约{n}00米。', '{loc}有未盖篷布的渣土车通行，沿路撒漏。'],
  E47: ['{loc}沿街阳台和护栏上晾挂衣物被褥，影响市容。', '{loc}有住户在行道树之间拉绳晾晒衣物。'],
  F48: ['{loc}路灯连续{n}盏不亮，夜间通行不便。', '{loc}路灯白天常亮、夜间熄灭，疑似控制器故障。'],
  F49: ['{loc}污水井盖丢失，井口敞开，存在安全隐患。', '{loc}窨井盖破损下陷，已有电动车险些摔倒。'],
  F50: ['{loc}道路开挖后未及时回填，影响车辆通行。', '{loc}路面有{倒伏的树木|掉落的广告牌|大块石头}阻碍交通。'],
  G51: ['{loc}一家{小超市|早餐店|农贸市场摊位}销售过期食品。', '{loc}小餐馆后厨卫生条件差，食材存放不规范。'],
  G52: ['{loc}有一家{小作坊|网吧|美容店|废品收购站}无营业执照经营。', '{loc}新开店铺疑似未办理营业执照。'],
  H53: ['{loc}特殊人员{近期行为异常|离开居住地|未按时报到}，需网格员上门核实。', '{loc}重点人员{time}情绪波动较大，需上门走访。'],
  H54: ['{loc}一名严重精神障碍患者{停药后情绪激动|在家中摔打物品|在路上游荡}，家属求助。', '{loc}精神障碍患者监护人外出，患者独自在家，需上门查看。'],
  H55: ['{loc}社区矫正对象未按规定报告，联系不上。', '{loc}社区矫正对象疑似擅自离开居住地。'],
  H56: ['{loc}独居老人{n}天未见出门，邻居担心其身体状况。', '{loc}困难家庭{房屋漏雨|缺少过冬物资|子女重病}，申请帮扶。'],
  I57: [
    '{loc}居民需补办{独生子女证|居住证|残疾证|老年优待证}，请网格员协助代办。',
    '{loc}老人行动不便，委托网格员代办{社保认证|医保报销|身份证补办}。',
  ],
};

const SOURCE_LEAD: Record<EventSource, string> = {
  grid_patrol: '网格员巡查发现：',
  hotline_12345: '12345热线来电反映：',
  video_ai: '视频AI识别告警：',
  citizen_app: '群众通过浙里办反映：',
  police_110: '110非警务警情移交：',
  department: '部门推送：',
  petition: '群众来访反映：',
};

const URBAN_LANDMARKS = ['小区门口', '菜市场旁', '公交站台', '十字路口', '学校门口', '商业街', '停车场', '街心公园', '地下车库入口', '沿街店面'];
const RURAL_LANDMARKS = ['村委会附近', '文化礼堂旁', '溪边', '桥头', '村口', '祠堂前', '菜地旁', '山脚下', '老街', '晒谷场'];

/** Part of the day, as people say it, for a China Standard Time hour. */
export function partOfDay(hour: number): string {
  if (hour < 6) return '凌晨';
  if (hour < 9) return '早上';
  if (hour < 12) return '上午';
  if (hour < 14) return '中午';
  if (hour < 18) return '下午';
  if (hour < 20) return '傍晚';
  return '晚上';
}

/** A place phrase for an event that has no household: the village and a landmark. */
export function landmark(rng: Random, villageName: string, urban: boolean): string {
  return villageName + rng.pick(urban ? URBAN_LANDMARKS : RURAL_LANDMARKS);
}

export function describe(rng: Random, itemCode: string, source: EventSource, place: string, hour: number): string {
  return fillTemplate(rng, rng.pick(TEMPLATES[itemCode] ?? ['{loc}发现问题，需核实处理。']), place, hour, SOURCE_LEAD[source]);
}

/** Item codes that have templates, for the catalog test. */
export const TEMPLATE_CODES = Object.keys(TEMPLATES);

/**
 * Descriptions of matters that are not grid items (清单外事项), per referral code: what comes in
 * through the hotline, the apps or 110 and is referred elsewhere.
 */
const REFERRAL_TEMPLATES: Record<string, string[]> = {
  X01: ['{loc}群众报称{电动车被盗|家中财物被盗|遭遇电信诈骗被骗{n}千元}，要求立案侦查。', '{loc}有人反映疑似{赌博|盗窃}活动，要求公安查处。'],
  X02: ['{loc}务工人员咨询申请劳动仲裁的材料和流程，要求裁决{解除合同补偿|加班工资}。'],
  X03: ['{loc}当事人反映民事案件已在法院审理，要求网格协调撤销判决。', '{loc}群众对法院执行进度不满，要求加快执行。'],
  X04: ['{loc}居民咨询{异地就医|门诊慢特病|住院费用}医保报销比例和办理手续。'],
  X05: ['{loc}来电咨询{新生儿落户|居住证办理|公积金提取|老年人优待证}的办理流程。', '{loc}市民咨询{垃圾分类投放时间|公交线路调整|惠民政策}。'],
  X06: ['{loc}市民反映{菜市场猪肉|景区停车场|加油站}价格明显偏高，要求查处。'],
  X07: ['{loc}消费者反映在{网店|超市|健身房}购买的商品或服务{质量有问题|退费被拒}，要求维权。'],
  X08: ['{loc}群众举报{车辆闯红灯|货车超载|无牌机动车上路}，提供了行车记录仪视频。'],
  X09: ['{loc}居民咨询{二手房过户|不动产证补办|继承房产登记}的手续。'],
  X10: ['{loc}居民反映{社保缴费记录缺失|养老金未按时到账}，要求核实。'],
  X11: ['{loc}个体户咨询{个税汇算|发票开具|定额税}问题。'],
  X12: ['{loc}居民反映家中{跳闸|插座无电|电表故障}，要求上门维修。'],
  X13: ['{loc}居民反映{自来水浑浊|水压不足|水表漏水}，要求供水公司处理。'],
  X14: ['{loc}居民反映{宽带断网|手机信号差|光纤线路垂落}，要求运营商处理。'],
  X15: ['{loc}群众反映某公职人员{工作作风|收受礼品}问题，要求查处。'],
};

/** The description of a matter that is not admitted, with its channel's lead-in. */
export function describeReferral(rng: Random, code: string, source: EventSource, place: string, hour: number): string {
  return fillTemplate(rng, rng.pick(REFERRAL_TEMPLATES[code] ?? ['{loc}群众反映的问题不属于网格事项。']), place, hour, SOURCE_LEAD[source]);
}

function fillTemplate(rng: Random, template: string, place: string, hour: number, lead: string): string {
  return (
    lead +
    template.replace(/\{([^}]*)\}/g, (_, slot: string) => {
      if (slot === 'loc') return place;
      if (slot === 'n') return String(rng.int(2, 9));
      if (slot === 'time') return partOfDay(hour);
      return rng.pick(slot.split('|'));
    })
  );
}

/** Referral codes that have description templates, for the catalog test. */
export const REFERRAL_TEMPLATE_CODES = Object.keys(REFERRAL_TEMPLATES);

const RESULTS: Record<string, { handled: string[]; self: string[] }> = {
  dispute: {
    handled: ['经调解双方达成一致，已签订人民调解协议书。', '已组织双方当面协商，矛盾化解，将跟踪回访。', '已会同司法所调处，当事人接受处理意见。'],
    self: ['现场调解，双方握手言和。', '现场劝解，双方同意各自让步，纠纷已平息。'],
  },
  public_order: {
    handled: ['已会同社区民警现场处置，隐患已消除。', '已完成核查并落实管控措施。', '已完成信息采集并录入系统。'],
    self: ['已上门采集信息并完成登记。', '已核实并更新出租房屋和流动人口信息。'],
  },
  safety: {
    handled: ['已督促责任单位整改，隐患已消除，现场复查合格。', '已设置警示标志并由专业单位完成处置。', '已疏散人员并完成抢险处置。'],
    self: ['现场劝导，通道已清理畅通。', '已劝止并拆除飞线，车辆已移至集中充电点。', '已现场劝止，火已扑灭。'],
  },
  environment: {
    handled: ['已组织保洁人员清理完毕，现场恢复整洁。', '已督促责任单位整改到位。', '已联系执法中队处置，现场已恢复。'],
    self: ['现场清理完毕。', '已联系保洁员当场清扫干净。', '已现场劝导，当事人已停止并清理。'],
  },
  city_order: {
    handled: ['已现场劝导，当事人已自行整改。', '已依法处置，现场秩序恢复正常。', '已责令限期拆除，当事人已拆除完毕。'],
    self: ['现场劝离，摊贩已撤离。', '现场劝导，店主已将物品收回店内。', '已清除小广告。', '已劝导住户收回晾晒衣物。'],
  },
  facilities: {
    handled: ['已通知维护单位修复完毕。', '已设置临时围挡并完成修复。', '已更换损坏部件，恢复正常使用。'],
    self: ['已设置临时警示，等待维修。'],
  },
  market: {
    handled: ['市场监管所已现场检查并责令整改，问题商品已下架。', '已立案调查，经营者已停止违法经营。'],
    self: ['已现场劝导经营者整改。'],
  },
  special_groups: {
    handled: ['已上门走访核实，落实稳控和帮扶措施。', '已联系家属和监护人，当事人情况稳定。', '已协调送医，后续由村社跟踪。'],
    self: ['已上门走访，送去慰问品并登记需求。', '已上门探望，老人身体状况良好。'],
  },
  service: {
    handled: ['已代办完成，证件已送达当事人。', '已协助提交材料，办理结果已告知当事人。'],
    self: ['已收齐材料，当场代为提交。'],
  },
};

/** The handling result a team reports back (or a grid worker who fixed it on the spot). */
export function closingResult(rng: Random, category: string, selfHandled: boolean): string {
  const r = RESULTS[category] ?? RESULTS.service!;
  return rng.pick(selfHandled ? r.self : r.handled);
}

const REJECTIONS: Array<{ reason: string; receivingBody: string }> = [
  { reason: '经核实属于劳动争议仲裁范围，不属网格事项，已告知反映人。', receivingBody: '县劳动人事争议仲裁院' },
  { reason: '反映事项已进入诉讼程序，依法由法院处理。', receivingBody: '县人民法院' },
  { reason: '属于消费维权投诉，已转市场监管部门。', receivingBody: '县市场监督管理局（12315）' },
  { reason: '属于小区户内设施问题，由物业服务企业负责处理。', receivingBody: '小区物业服务企业' },
  { reason: '涉嫌违法犯罪，移交公安机关处理。', receivingBody: '县公安局' },
];

/** Why a report is not filed (不予立案), and where it goes instead. */
export function rejection(rng: Random): { reason: string; receivingBody: string } {
  return { ...rng.pick(REJECTIONS) };
}

export function voidReason(rng: Random): string {
  return rng.pick(['重复上报，同一问题已在办理中。', '上报信息有误，现场核查无此情况。', '反映人撤回，问题已自行解决。']);
}

export function returnReason(rng: Random): string {
  return rng.pick(['不属于本队伍职责范围，请改派。', '队伍人员正在处置其他紧急事件，无法按时到场，请改派。']);
}

export function reworkReason(rng: Random): string {
  return rng.pick(['现场核查未整改到位，请继续处置。', '群众回访不满意，需重新处置。', '反馈照片与现场不符，请重新处置并拍照。']);
}

export function extensionReason(rng: Random): string {
  return rng.pick(['需多部门联合处置，协调时间较长。', '当事人外出，需待其返回后再行调解。', '需等待检测鉴定结果。', '连续降雨，现场暂不具备施工条件。']);
}

/** A shift lead's note when putting a case under supervision (督办). */
export function supervisionNote(rng: Random, overdue: boolean): string {
  return overdue
    ? rng.pick(['已超时，请加快办理并及时反馈进展。', '超时未办结，请说明原因并当日办结。'])
    : rng.pick(['特急事项，请主要负责人到场指挥。', '重点事项，请优先处置并随时报告。']);
}
