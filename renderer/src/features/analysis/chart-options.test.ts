import { describe, expect, it } from 'vitest';
import type { Comparison, FlowCounts, HotSpot, HoursResponse, TrendResponse } from '../../../../shared/contracts/analysis.js';
import { bucketLabel, changeDirection, escapeHtml, formatChange } from './analysis-format';
import { categoryOption, focusZoom, hotSpotMapOption, hoursOption, sourceOption, trendOption } from './chart-options';

const flows = (reported: number, closed = 0): FlowCounts => ({ reported, filed: 0, dispatched: 0, closed });
const cmp = (from: string, counts: FlowCounts, change: number | null): Comparison => ({ from, to: from, counts, change: { reported: change, filed: null, dispatched: null, closed: null } });
const trend: TrendResponse = {
  from: '2027-12-31',
  to: '2028-01-01',
  town: null,
  unit: 'day',
  total: flows(5, 1),
  yoy: cmp('2026-12-31', flows(2), 150),
  pop: cmp('2027-12-29', flows(4), 25),
  buckets: [
    { from: '2027-12-31', to: '2027-12-31', partial: false, counts: flows(2), yoy: cmp('2026-12-31', flows(1), 100), pop: cmp('2027-12-30', flows(2), 0) },
    { from: '2028-01-01', to: '2028-01-01', partial: false, counts: flows(3, 1), yoy: cmp('2027-01-01', flows(1), 200), pop: cmp('2027-12-31', flows(2), 50) },
  ],
};
const words = { reported: '受理', filed: '立案', dispatched: '派遣', closed: '结案', yoyLine: '去年同期受理', yoy: '同比', pop: '环比', cut: '（不完整）' };

type AnyOption = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- ECharts options are loose objects

describe('formats', () => {
  it('say a change with an arrow and a sign, never by colour alone; no base is a dash', () => {
    expect([formatChange(12.345), formatChange(-8), formatChange(0), formatChange(0.04), formatChange(null), formatChange(1234.5)]).toEqual(['▲ +12.3%', '▼ −8%', '＝ 0%', '＝ 0%', '—', '▲ +1,234.5%']);
    expect([changeDirection(3), changeDirection(-0.2), changeDirection(0), changeDirection(null)]).toEqual(['up', 'down', 'flat', 'none']);
    expect([bucketLabel({ from: '2027-12-27', to: '2028-01-02' }, 'week'), bucketLabel({ from: '2028-01-01', to: '2028-01-31' }, 'month')]).toEqual(['12-27', '2028-01']);
    expect(escapeHtml('<b>"a" & \'b\'</b>')).toBe('&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;');
  });
});

describe('trendOption', () => {
  it('draws accepted as bars, closed and last year as lines, filing and dispatch off until asked for', () => {
    const o = trendOption(trend, words) as AnyOption;
    expect(o.xAxis.data).toEqual(['12-31', '01-01']);
    expect(o.series.map((s: AnyOption) => [s.name, s.type, s.data])).toEqual([
      ['受理', 'bar', [2, 3]],
      ['结案', 'line', [0, 1]],
      ['立案', 'line', [0, 0]],
      ['派遣', 'line', [0, 0]],
      ['去年同期受理', 'line', [1, 1]],
    ]);
    expect(o.legend.selected).toEqual({ 立案: false, 派遣: false });
    const tip = o.tooltip.formatter([{ dataIndex: 1 }]) as string;
    expect(tip).toContain('2028-01-01');
    expect(tip).toContain('同比 ▲ +200%');
    expect(tip).toContain('环比 ▲ +50%');
  });
});

describe('mix and hours', () => {
  const slices = [
    { key: 'a', name: '<环境>', count: 3, share: 60 },
    { key: 'b', name: '治安', count: 2, share: 40 },
  ];
  it('rank categories largest on top and name channels in the legend with count and share', () => {
    const c = categoryOption(slices, '件') as AnyOption;
    expect(c.yAxis.data).toEqual(['治安', '<环境>']);
    expect(c.tooltip.formatter({ dataIndex: 1 })).toBe('&lt;环境&gt;<br/><b>3</b> 件（60%）');
    const s = sourceOption(slices, '件') as AnyOption;
    expect(s.legend.formatter('治安')).toBe('治安  2（40%）');
  });

  it('lays weekdays from Monday down and hours across', () => {
    const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    counts[4]![23] = 5;
    const h: HoursResponse = { from: 'a', to: 'b', town: null, total: 5, counts, peak: { weekday: 4, hour: 23, count: 5 } };
    const o = hoursOption(h, { weekdays: ['一', '二', '三', '四', '五', '六', '日'], cell: (w, hour, n) => `${w} ${hour} ${n}` }) as AnyOption;
    expect(o.yAxis).toMatchObject({ inverse: true, data: ['一', '二', '三', '四', '五', '六', '日'] });
    expect(o.series[0].data).toContainEqual([23, 4, 5]);
    expect(o.visualMap.max).toBe(5);
  });
});

describe('hotSpotMapOption', () => {
  const spot = (rank: number, gridId: string, count: number): HotSpot => ({
    rank,
    gridId,
    itemCode: 'D01',
    itemName: '暴露垃圾',
    category: 'environment',
    count,
    open: 1,
    place: { id: gridId, level: 'grid', kind: 'grid', name: 'g', path: 't › v', townId: 't', bbox: [120.0, 29.0, 120.02, 29.02] },
    placeName: 't › v › g',
    centroid: [120.01, 29.01],
    microGrids: [],
    caseIds: ['EV1', 'EV2'],
    points: [
      [120.005, 29.005],
      [120.015, 29.015],
    ],
    firstAt: 'x',
    lastAt: 'y',
  });
  const county: [number, number, number, number] = [119.8, 28.8, 120.4, 29.4];

  it('shows the county with every hot spot\'s heat and a numbered marker', () => {
    const o = hotSpotMapOption({ spots: [spot(1, 'G1', 3), spot(2, 'G2', 2)], bbox: county, townNames: { t: '城北街道' }, selected: null, itemName: (s) => s.itemName, spotLabel: (s) => `#${s.rank}` }) as AnyOption;
    expect(o.geo.map((g: AnyOption) => [g.map, g.zoom, g.center])).toEqual([
      ['gridcommand-grids', 1, [120.1, 29.1]],
      ['gridcommand-towns', 1, [120.1, 29.1]],
    ]);
    expect(o.series[0].data).toHaveLength(4);
    expect(o.series[1].data.map((d: AnyOption) => d.label.formatter)).toEqual(['1', '2']);
    expect(o.geo[0].regions).toEqual([]);
  });

  it('outlines and zooms to the selected hot spot\'s grid, both layers alike', () => {
    const selected = spot(1, 'G1', 3);
    const o = hotSpotMapOption({ spots: [selected], bbox: county, townNames: {}, selected, itemName: (s) => s.itemName, spotLabel: (s) => `#${s.rank}` }) as AnyOption;
    expect(o.geo[0].regions[0].name).toBe('G1');
    expect(o.geo[0].center).toEqual([120.01, 29.01]);
    expect(o.geo[0].zoom).toBe(o.geo[1].zoom);
    expect(o.geo[0].zoom).toBeGreaterThan(1);
    expect(focusZoom(county, [120, 29, 120.6, 29.6])).toBe(1);
    expect(focusZoom(county, [120, 29, 120.0001, 29.0001])).toBe(12);
  });
});
