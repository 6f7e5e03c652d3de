import { KPI_FORMULAS } from '../../../shared/domain/kpi.js';
import { vocabulary } from './vocabulary';

/**
 * The wall (大屏), in both languages; mounted under `wall` in zh-CN.ts and en.ts. The words of
 * states and actions come from the shared label table.
 */
const zh = vocabulary('zh-CN');
const en = vocabulary('en');

export const wallZhCN = {
  title: '指挥大屏',
  date: '{{month}}月{{day}}日 {{weekday}}',
  weekday: { 0: '星期日', 1: '星期一', 2: '星期二', 3: '星期三', 4: '星期四', 5: '星期五', 6: '星期六' },
  view: { county: '全县', city: '全市', province: '全省', hotspots: '热点分布' },
  figures: {
    label: '今日数据',
    of: '今日数据（{{date}}）',
    asOf: '统计截至 {{time}}',
    reported: '上报',
    filed: zh.actions.file,
    dispatched: zh.actions.dispatch,
    inProgress: zh.status.in_progress,
    closed: zh.actions.close,
    onTimeRate: KPI_FORMULAS.onTimeClosureRate.label,
    overdueNow: '当前超期',
    teamsOnDuty: '在岗队伍',
    teamsOf: '共 {{total}} 支',
    noRate: '—',
    loading: '正在读取今日数据…',
    failed: '今日数据暂时读不到，将自动重试',
  },
  trend: { title: '近 7 日', reported: '上报', closed: zh.actions.close, today: '今天' },
  categories: { title: '今日事件类别', other: '其他', empty: '今日尚无上报' },
  ranking: {
    title: '镇街排名（按期结案率）',
    rank: '名次',
    town: '镇街',
    reported: '上报',
    closed: zh.actions.close,
    overdue: '超期',
    onTime: '按期率',
    more: '…另 {{count}} 个镇街…',
    // On a platform of several counties the wall ranks counties (one city) or cities (a province).
    units: {
      county: { title: '区县排名（按期结案率）', name: '区县', more: '…另 {{count}} 个区县…' },
      city: { title: '地市排名（按期结案率）', name: '地市', more: '…另 {{count}} 个地市…' },
    },
  },
  ticker: {
    title: '实时动态',
    new: '新上报',
    overdueFor: '超期 {{duration}}',
    empty: '近一小时无新上报，无超期案件',
  },
  legend: { overdue: '红圈：超期' },
} as const;

type WallMessages = { [K in keyof typeof wallZhCN]: (typeof wallZhCN)[K] extends string ? string : DeepStrings<(typeof wallZhCN)[K]> };
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

export const wallEn: WallMessages = {
  title: 'Command wall',
  date: '{{weekday}} {{iso}}',
  weekday: { 0: 'Sunday', 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday' },
  view: { county: 'County', city: 'City', province: 'Province', hotspots: 'Hot spots' },
  figures: {
    label: "Today's figures",
    of: "Today's figures ({{date}})",
    asOf: 'as of {{time}}',
    reported: 'Reported',
    filed: 'Filed',
    dispatched: 'Dispatched',
    inProgress: en.status.in_progress,
    closed: en.status.closed,
    onTimeRate: 'Closed on time',
    overdueNow: 'Overdue now',
    teamsOnDuty: 'Teams on duty',
    teamsOf: 'of {{total}}',
    noRate: '—',
    loading: "Reading today's figures…",
    failed: "Today's figures cannot be read just now; retrying by itself",
  },
  trend: { title: 'Last 7 days', reported: 'Reported', closed: en.status.closed, today: 'Today' },
  categories: { title: "Today's categories", other: 'Other', empty: 'Nothing reported yet today' },
  ranking: {
    title: 'Towns ranked (on-time closure)',
    rank: 'No.',
    town: 'Town',
    reported: 'Rep.',
    closed: 'Closed',
    overdue: 'Overdue',
    onTime: 'On time',
    more: '…{{count}} more towns…',
    units: {
      county: { title: 'Counties ranked (on-time closure)', name: 'County', more: '…{{count}} more counties…' },
      city: { title: 'Cities ranked (on-time closure)', name: 'City', more: '…{{count}} more cities…' },
    },
  },
  ticker: {
    title: 'Live',
    new: 'New',
    overdueFor: 'Overdue {{duration}}',
    empty: 'Nothing new in the last hour, nothing overdue',
  },
  legend: { overdue: 'Red ring: overdue' },
};
