import type { HotSpot, HoursResponse, MixSlice, TrendResponse } from '../../../../shared/contracts/analysis.js';
import type { ChartProps } from '../../app/charts/Chart';
import { bucketLabel, bucketSpan, escapeHtml, formatChange, formatCount } from './analysis-format';

/*
 * The analysis screen's charts as ECharts options: pure builders (data and words in, option
 * out), so what each chart shows is tested without a browser. Colours: the chart theme's series
 * colours, never the urgency red and orange; every series also has a name in the legend or label.
 */

export type ChartOption = ChartProps['option'];

/** Labels on the dark panels: the theme's text colour, without ECharts' default outline. */
const LABEL = '#dce6f0';
const COLORS = { reported: '#4fb3ff', closed: '#35c98a', filed: '#f2c230', dispatched: '#a66cff', yoy: '#8596a8' } as const;

export interface TrendWords {
  reported: string;
  filed: string;
  dispatched: string;
  closed: string;
  yoyLine: string;
  yoy: string;
  pop: string;
  cut: string;
}

/**
 * The trend: accepted cases as bars, closed as a line, filed and dispatched as lines off by
 * default (a click on the legend shows them), and last year's accepted cases as a dashed line
 * (同比 at a glance). The tooltip gives each bucket's figures with their 同比 and 环比 changes.
 */
export function trendOption(trend: TrendResponse, w: TrendWords): ChartOption {
  const labels = trend.buckets.map((b) => bucketLabel(b, trend.unit));
  const few = trend.buckets.length <= 31;
  const line = (name: string, color: string, data: number[], extra: Record<string, unknown> = {}) => ({
    name,
    type: 'line',
    data,
    smooth: false,
    symbol: few ? 'circle' : 'none',
    itemStyle: { color },
    lineStyle: { color, width: 2 },
    ...extra,
  });
  return {
    grid: { left: 44, right: 16, top: 40, bottom: 28 },
    legend: { top: 0, right: 0, selected: { [w.filed]: false, [w.dispatched]: false } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: Array<{ dataIndex: number }>) => {
        const b = trend.buckets[params[0]?.dataIndex ?? 0];
        if (!b) return '';
        const row = (name: string, n: number, yoy: number | null, pop: number | null) =>
          `<tr><td>${escapeHtml(name)}</td><td style="text-align:right;padding:0 8px"><b>${formatCount(n)}</b></td><td>${w.yoy} ${formatChange(yoy)}</td><td style="padding-left:8px">${w.pop} ${formatChange(pop)}</td></tr>`;
        return (
          `<div style="margin-bottom:4px"><b>${bucketSpan(b)}</b>${b.partial ? escapeHtml(w.cut) : ''}</div><table>` +
          row(w.reported, b.counts.reported, b.yoy.change.reported, b.pop.change.reported) +
          row(w.filed, b.counts.filed, b.yoy.change.filed, b.pop.change.filed) +
          row(w.dispatched, b.counts.dispatched, b.yoy.change.dispatched, b.pop.change.dispatched) +
          row(w.closed, b.counts.closed, b.yoy.change.closed, b.pop.change.closed) +
          '</table>'
        );
      },
    },
    xAxis: { type: 'category', data: labels, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: w.reported,
        type: 'bar',
        data: trend.buckets.map((b) => b.counts.reported),
        itemStyle: { color: COLORS.reported },
        barMaxWidth: 28,
        label: { show: trend.buckets.length <= 16, position: 'top', color: COLORS.reported, fontWeight: 'bold', textBorderWidth: 0 },
      },
      line(w.closed, COLORS.closed, trend.buckets.map((b) => b.counts.closed)),
      line(w.filed, COLORS.filed, trend.buckets.map((b) => b.counts.filed)),
      line(w.dispatched, COLORS.dispatched, trend.buckets.map((b) => b.counts.dispatched)),
      line(w.yoyLine, COLORS.yoy, trend.buckets.map((b) => b.yoy.counts.reported), { lineStyle: { color: COLORS.yoy, width: 2, type: 'dashed' }, symbol: 'none' }),
    ],
  };
}

/** The categories as ranked horizontal bars, each labelled with its count and share. */
export function categoryOption(slices: readonly MixSlice[], unit: string): ChartOption {
  const shown = [...slices].reverse();
  return {
    grid: { left: 8, right: 88, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => sliceText(shown[p.dataIndex], unit) },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: shown.map((s) => s.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        data: shown.map((s) => s.count),
        barMaxWidth: 22,
        itemStyle: { color: COLORS.reported },
        label: {
          show: true,
          position: 'right',
          color: LABEL,
          textBorderWidth: 0,
          formatter: (p: { dataIndex: number }) => `${formatCount(shown[p.dataIndex]!.count)}（${shown[p.dataIndex]!.share ?? 0}%）`,
        },
      },
    ],
  };
}

function sliceText(s: MixSlice | undefined, unit: string): string {
  return s ? `${escapeHtml(s.name)}<br/><b>${formatCount(s.count)}</b> ${escapeHtml(unit)}（${s.share ?? 0}%）` : '';
}

/**
 * The channels as a ring, with a legend under it naming each with its count and share: seven
 * channels of very different sizes, whose labels around a ring would overlap. (A pie's radius in
 * percent is of the smaller side of the box, so the ring fits whatever the panel's shape.)
 */
export function sourceOption(slices: readonly MixSlice[], unit: string): ChartOption {
  const byName = new Map(slices.map((s) => [s.name, s]));
  return {
    tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => sliceText(slices[p.dataIndex], unit) },
    legend: {
      orient: 'vertical',
      left: 'center',
      bottom: 0,
      itemGap: 6,
      textStyle: { color: LABEL },
      formatter: (name: string) => {
        const s = byName.get(name);
        return s ? `${name}  ${formatCount(s.count)}（${s.share ?? 0}%）` : name;
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['27%', '45%'],
        center: ['50%', '33%'],
        data: slices.map((s) => ({ name: s.name, value: s.count })),
        label: { show: false },
        itemStyle: { borderColor: '#111b26', borderWidth: 2 },
      },
    ],
  };
}

export interface HoursWords {
  weekdays: readonly string[];
  cell(weekday: string, hour: number, count: number): string;
}

/** Weekday × hour as a heat grid (Monday on top), counts written in the cells that have some. */
export function hoursOption(hours: HoursResponse, w: HoursWords): ChartOption {
  const max = Math.max(1, ...hours.counts.flat());
  const data = hours.counts.flatMap((row, weekday) => row.map((count, hour) => [hour, weekday, count]));
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { value: [number, number, number] }) => escapeHtml(w.cell(w.weekdays[p.value[1]] ?? '', p.value[0], p.value[2])) },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: false }, axisTick: { show: false } },
    yAxis: { type: 'category', data: [...w.weekdays], inverse: true, axisTick: { show: false } },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#15202c', '#1d4f7a', '#2f86c8', '#7cc8ff', '#e8f6ff'] },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, fontSize: 11, formatter: (p: { value: [number, number, number] }) => (p.value[2] > 0 ? String(p.value[2]) : '') },
        itemStyle: { borderColor: '#0c141d', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#f3f7fb', borderWidth: 1 } },
      },
    ],
  };
}

/** Hot spots drawn with their rank on the map; the rest are small dots (a county has hundreds). */
export const NUMBERED_SPOTS = 10;

/** Names of the GeoJSON maps the hot-spot map registers (grids under towns, the county's own lines). */
export const HOT_SPOT_MAPS = { grids: 'gridcommand-grids', towns: 'gridcommand-towns' } as const;

export interface HotSpotMapInput {
  spots: readonly HotSpot[];
  /** The county's (or the user's towns') bounds, [minLon, minLat, maxLon, maxLat]. */
  bbox: [number, number, number, number];
  /** Town names by id (the geo labels). */
  townNames: Readonly<Record<string, string>>;
  selected: HotSpot | null;
  itemName(spot: HotSpot): string;
  spotLabel(spot: HotSpot): string;
}

/** How far to zoom so a grid's box fills about half the view of the county's box. */
export function focusZoom(county: [number, number, number, number], place: [number, number, number, number]): number {
  const span = (b: [number, number, number, number]) => Math.max(b[2] - b[0], (b[3] - b[1]) * 1.3, 1e-6);
  return Math.min(12, Math.max(1, (span(county) / span(place)) * 0.45));
}

/**
 * The hot spots on the county's boundaries: the heat of every hot-spot case, a marker per hot
 * spot (the first ten numbered by rank, bigger with more cases), and the selected one's grid
 * outlined and zoomed to, its marker on top.
 * Two geo layers, drawn over the same bounds so they line up: the grids, then the towns' thicker
 * lines and names.
 */
export function hotSpotMapOption(input: HotSpotMapInput): ChartOption {
  const { spots, bbox, selected } = input;
  const maxCount = Math.max(2, ...spots.map((s) => s.count));
  const view = selected
    ? { center: selected.centroid, zoom: focusZoom(bbox, selected.place.bbox) }
    : { center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2], zoom: 1 };
  const common = {
    roam: false,
    boundingCoords: [
      [bbox[0], bbox[3]],
      [bbox[2], bbox[1]],
    ],
    layoutCenter: ['50%', '50%'],
    layoutSize: '96%',
    nameProperty: 'id',
    ...view,
    emphasis: { disabled: true },
    select: { disabled: true },
  };
  return {
    geo: [
      {
        ...common,
        map: HOT_SPOT_MAPS.grids,
        silent: true,
        itemStyle: { areaColor: '#132131', borderColor: '#263a4f', borderWidth: 0.5 },
        regions: selected ? [{ name: selected.gridId, itemStyle: { areaColor: '#1e3a55', borderColor: '#7cc4ff', borderWidth: 3 } }] : [],
        z: 1,
      },
      {
        ...common,
        map: HOT_SPOT_MAPS.towns,
        silent: true,
        nameMap: input.townNames,
        itemStyle: { areaColor: 'transparent', borderColor: '#6d8aa8', borderWidth: 1.5 },
        label: { show: true, color: '#8da1b5', fontSize: 12 },
        z: 2,
      },
    ],
    // heat from blue to yellow and white: the urgency red and orange stay the cases' own
    visualMap: { show: false, min: 0, max: 2, seriesIndex: 0, inRange: { color: ['rgba(79,179,255,0)', 'rgba(79,179,255,0.75)', '#f2c230', '#fff6d5'] } },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; dataIndex: number }) => {
        const spot = p.seriesIndex === 1 ? spots[p.dataIndex] : p.seriesIndex === 2 ? (selected ?? undefined) : undefined;
        return spot ? `${escapeHtml(input.spotLabel(spot))}<br/>${escapeHtml(spot.placeName)}` : '';
      },
    },
    series: [
      { type: 'heatmap', coordinateSystem: 'geo', geoIndex: 0, data: spots.flatMap((s) => s.points.map(([lon, lat]) => [lon, lat, 1])), pointSize: selected ? 20 : 16, blurSize: selected ? 28 : 22, silent: true, z: 3 },
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        z: 4,
        data: spots.map((s, i) => {
          const numbered = i < NUMBERED_SPOTS;
          return {
            name: input.itemName(s),
            value: [s.centroid[0], s.centroid[1], s.count],
            symbolSize: numbered ? 14 + 14 * Math.sqrt(s.count / maxCount) : 7,
            itemStyle: { color: '#4fb3ff', opacity: selected && s !== selected ? 0.55 : 1, borderColor: '#0c141d', borderWidth: 1.5 },
            label: { show: numbered, formatter: String(s.rank), color: '#0c141d', fontWeight: 'bold', textBorderWidth: 0 },
          };
        }),
      },
      // the selected hot spot on top of the others, large and white
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        z: 6,
        data: selected
          ? [
              {
                name: input.itemName(selected),
                value: [selected.centroid[0], selected.centroid[1], selected.count],
                symbolSize: 34,
                itemStyle: { color: '#f3f7fb', borderColor: '#4fb3ff', borderWidth: 3, shadowBlur: 12, shadowColor: '#4fb3ff' },
                label: { show: true, formatter: String(selected.rank), color: '#0c141d', fontWeight: 'bold', fontSize: 15, textBorderWidth: 0 },
              },
            ]
          : [],
      },
    ],
  };
}
