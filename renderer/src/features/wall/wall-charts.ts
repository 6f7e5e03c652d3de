import type { OverviewCategory, OverviewTrendDay } from '../../../../shared/contracts/overview.js';
import type { ChartProps } from '../../app/charts/Chart';

type ChartOption = ChartProps['option'];

/**
 * The wall's two charts as ECharts options, pure. `u` is the wall's unit (1 px on a 1080p screen,
 * 2 on a 4K one): every text is 20u or more, read from 6 m. No tooltips (nobody points at a wall),
 * no animation, values written on the marks instead of read off an axis.
 */

/** Categories shown by name; the rest are summed under "other". */
export const TOP_CATEGORIES = 5;

export interface TrendWords {
  reported: string;
  closed: string;
  today: string;
}

/**
 * Reported and closed per day as two lines, every point with its number: on each day the larger
 * number is written above its point and the smaller below, so the two never cover each other.
 */
export function trendOption(trend: readonly OverviewTrendDay[], words: TrendWords, u: number): ChartOption {
  const text = Math.round(20 * u);
  const last = trend.length - 1;
  const point = (value: number, other: number, higherWins: boolean) => ({
    value,
    label: { position: value > other || (value === other && higherWins) ? 'top' : 'bottom' },
  });
  const line = (name: string, values: number[], others: number[], first: boolean) => ({
    name,
    type: 'line',
    data: values.map((v, i) => point(v, others[i] ?? 0, first)),
    symbolSize: Math.round(10 * u),
    lineStyle: { width: Math.round(4 * u) },
    label: { show: true, fontSize: text, fontWeight: 'bold', distance: Math.round(6 * u) },
  });
  const reported = trend.map((d) => d.reported);
  const closed = trend.map((d) => d.closed);
  return {
    tooltip: { show: false },
    legend: { top: 0, right: 0, itemWidth: Math.round(26 * u), itemHeight: Math.round(14 * u), itemGap: Math.round(24 * u), textStyle: { fontSize: text }, data: [words.reported, words.closed] },
    grid: { left: Math.round(24 * u), right: Math.round(24 * u), top: Math.round(72 * u), bottom: Math.round(64 * u) },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: trend.map((d, i) => (i === last ? words.today : d.date.slice(5))),
      axisTick: { show: false },
      // Every day named: ECharts would skip some once a label ("Today") is wider than the others.
      axisLabel: { fontSize: text, margin: Math.round(34 * u), interval: 0 },
    },
    yAxis: { type: 'value', show: false, min: 0 },
    series: [line(words.reported, reported, closed, true), line(words.closed, closed, reported, false)],
  };
}

/** The largest categories by name in the UI language, the rest as one "other" bar. */
export function categoryBars(categories: readonly OverviewCategory[], english: boolean, other: string): { name: string; count: number }[] {
  const named = categories.slice(0, TOP_CATEGORIES).map((c) => ({ name: english ? c.nameEn : c.name, count: c.count }));
  const rest = categories.slice(TOP_CATEGORIES).reduce((sum, c) => sum + c.count, 0);
  return rest > 0 ? [...named, { name: other, count: rest }] : named;
}

export function categoryOption(bars: readonly { name: string; count: number }[], u: number): ChartOption {
  const text = Math.round(20 * u);
  return {
    tooltip: { show: false },
    grid: { left: Math.round(4 * u), right: Math.round(56 * u), top: Math.round(4 * u), bottom: Math.round(4 * u) },
    xAxis: { type: 'value', show: false, min: 0 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map((b) => b.name),
      axisLine: { show: false },
      axisTick: { show: false },
      // Long names (English ones) are cut short rather than squeezing the bars to nothing.
      axisLabel: { fontSize: text, margin: Math.round(12 * u), width: Math.round(190 * u), overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barWidth: '62%',
        barMaxWidth: Math.round(26 * u),
        data: bars.map((b) => b.count),
        label: { show: true, position: 'right', fontSize: text, fontWeight: 'bold', distance: Math.round(8 * u) },
      },
    ],
  };
}
