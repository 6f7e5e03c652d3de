import type { CompositionFigures, CompositionResponse, TrainingProgressResponse, TrainingSubject } from '../../../../shared/contracts/training.js';
import { TRAINING_SUBJECTS } from '../../../../shared/contracts/training.js';
import { AGE_BANDS, EDUCATIONS } from '../../../../shared/contracts/workforce.js';
import type { ChartProps } from '../../app/charts/Chart';

/*
 * The workforce's charts as ECharts options: pure builders (figures and words in, option out),
 * tested without a browser. Colours are the analysis charts' series colours, never the urgency
 * red or orange; every bar carries its count as a label, so no figure depends on a colour.
 */

export type ChartOption = ChartProps['option'];

const LABEL = '#dce6f0';
const COLORS = { main: '#4fb3ff', second: '#35c98a', third: '#f2c230', fourth: '#a66cff', grey: '#8596a8' } as const;

export interface Slice {
  name: string;
  count: number;
}

/** Slices with their share of the whole in whole percent (null of an empty whole). */
export function withShares(slices: readonly Slice[]): Array<Slice & { share: number | null }> {
  const total = slices.reduce((n, s) => n + s.count, 0);
  return slices.map((s) => ({ ...s, share: total > 0 ? Math.round((s.count / total) * 100) : null }));
}

/** Horizontal bars, one per slice, labelled "count（share%）": grades, age bands, education. */
export function barsOption(slices: readonly Slice[], color: string = COLORS.main): ChartOption {
  const shown = withShares(slices).reverse();
  return {
    grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: shown.map((s) => s.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        data: shown.map((s) => s.count),
        barMaxWidth: 22,
        itemStyle: { color },
        label: { show: true, position: 'right', color: LABEL, textBorderWidth: 0, formatter: (p: { dataIndex: number }) => sliceLabel(shown[p.dataIndex]) },
      },
    ],
  };
}

function sliceLabel(s: (Slice & { share: number | null }) | undefined): string {
  return s ? `${s.count}（${s.share ?? 0}%）` : '';
}

/** Full- and part-time as a ring, each named in the legend with its count and share. */
export function employmentOption(fig: CompositionFigures, words: { fullTime: string; partTime: string }): ChartOption {
  const slices = withShares([
    { name: words.fullTime, count: fig.fullTime },
    { name: words.partTime, count: fig.partTime },
  ]);
  const byName = new Map(slices.map((s) => [s.name, s]));
  return {
    tooltip: { trigger: 'item' },
    legend: { orient: 'vertical', right: 8, top: 'middle', textStyle: { color: LABEL }, formatter: (name: string) => `${name}  ${sliceLabel(byName.get(name))}` },
    series: [
      {
        type: 'pie',
        radius: ['45%', '72%'],
        center: ['32%', '50%'],
        label: { show: false },
        data: slices.map((s, i) => ({ name: s.name, value: s.count, itemStyle: { color: i === 0 ? COLORS.main : COLORS.grey } })),
      },
    ],
  };
}

export interface CompositionWords {
  fullTime: string;
  partTime: string;
  grade(grade: number): string;
  ageBand(band: string): string;
  education(key: string): string;
}

export const gradeSlices = (fig: CompositionFigures, w: CompositionWords): Slice[] =>
  (['1', '2', '3', '4', '5'] as const).map((g) => ({ name: w.grade(Number(g)), count: fig.grades[g] ?? 0 }));

export const ageSlices = (fig: CompositionFigures, w: CompositionWords): Slice[] => AGE_BANDS.map((b) => ({ name: w.ageBand(b), count: fig.ageBands[b] ?? 0 }));

/** The four levels always; "other" only where some record says something else. */
export const educationSlices = (fig: CompositionFigures, w: CompositionWords): Slice[] => [
  ...EDUCATIONS.map((e) => ({ name: w.education(e), count: fig.education[e] ?? 0 })),
  ...(fig.education.other > 0 ? [{ name: w.education('other'), count: fig.education.other }] : []),
];

/**
 * The towns side by side: full- and part-time workers stacked per town, and the share aged 50
 * or more as a line on its own axis (the paper's 71%).
 */
export function byTownOption(comp: CompositionResponse, words: { fullTime: string; partTime: string; over50: string }): ChartOption {
  const towns = comp.towns;
  return {
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: LABEL } },
    xAxis: { type: 'category', data: towns.map((t) => t.town.name), axisLabel: { interval: 0, rotate: towns.length > 8 ? 30 : 0 } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: words.fullTime, type: 'bar', stack: 'workers', data: towns.map((t) => t.fullTime), itemStyle: { color: COLORS.main }, barMaxWidth: 36 },
      {
        name: words.partTime,
        type: 'bar',
        stack: 'workers',
        data: towns.map((t) => t.partTime),
        itemStyle: { color: COLORS.grey },
        barMaxWidth: 36,
        label: { show: true, position: 'top', color: LABEL, textBorderWidth: 0, formatter: (p: { dataIndex: number }) => String(towns[p.dataIndex]?.workers ?? '') },
      },
      {
        name: words.over50,
        type: 'line',
        yAxisIndex: 1,
        data: towns.map((t) => t.aged50PlusShare),
        itemStyle: { color: COLORS.third },
        symbol: 'diamond',
        symbolSize: 9,
        label: { show: true, position: 'top', color: COLORS.third, textBorderWidth: 0, formatter: (p: { value: number | null }) => (p.value === null ? '' : `${p.value}%`) },
      },
    ],
  };
}

/** Hours of training by subject over the scope, as bars in the paper's order of subjects. */
export function subjectHoursOption(progress: TrainingProgressResponse, subjectName: (s: TrainingSubject) => string): ChartOption {
  return barsOption(
    TRAINING_SUBJECTS.map((s) => ({ name: subjectName(s), count: Math.round((progress.total.bySubject[s] ?? 0) * 10) / 10 })),
    COLORS.second,
  );
}

/** Workers behind the yearly hours, most hours missing first, then by name's id. */
export function behindWorkers(progress: TrainingProgressResponse): TrainingProgressResponse['workers'] {
  return progress.workers.filter((w) => w.behind).sort((a, b) => b.shortBy - a.shortBy || a.workerId.localeCompare(b.workerId));
}
