import type { BriefingCounts } from '../contracts/briefing.js';
import type { KpiCounts, Kpis } from '../contracts/kpi.js';
import { KPI_FORMULAS } from './kpi.js';
import type { Label } from './labels.js';

/**
 * The words of the shift briefing's figures, in both languages: the printed page, the XLSX and
 * the CSV all head their columns with these, so a figure is called the same on paper and in
 * the spreadsheet. What each one counts is in shared/contracts/briefing.ts and docs/WORKFLOW.md.
 */
export const BRIEFING_COUNT_LABELS: Readonly<Record<keyof BriefingCounts, Label>> = {
  reported: { 'zh-CN': '上报', en: 'Reported' },
  notAdmitted: { 'zh-CN': '不予受理', en: 'Not admitted' },
  filed: { 'zh-CN': '立案', en: 'Filed' },
  dispatched: { 'zh-CN': '派遣', en: 'Dispatched' },
  closed: { 'zh-CN': '结案', en: 'Closed' },
  closedOnTime: { 'zh-CN': '按期结案', en: 'Closed on time' },
  open: { 'zh-CN': '在办', en: 'Open' },
  overdueOpen: { 'zh-CN': '超期未结', en: 'Overdue, open' },
  nearDeadline: { 'zh-CN': '临期', en: 'Near deadline' },
  supervisedOpen: { 'zh-CN': '督办在办', en: 'Supervised, open' },
};

/** The KPI counts (domain.md §5), as the evaluation names them. */
export const KPI_COUNT_LABELS: Readonly<Record<keyof KpiCounts, Label>> = {
  accepted: { 'zh-CN': '受理', en: 'Accepted' },
  filed: { 'zh-CN': '立案', en: 'Filed' },
  dispatched: { 'zh-CN': '派遣', en: 'Dispatched' },
  due: { 'zh-CN': '应结案', en: 'Due' },
  closed: { 'zh-CN': '结案', en: 'Closed' },
  closedOnTime: { 'zh-CN': '按期结案', en: 'Closed on time' },
  rework: { 'zh-CN': '返工', en: 'Rework' },
  extended: { 'zh-CN': '延期', en: 'Extended' },
};

const KPI_RATE_EN: Readonly<Record<keyof Kpis, string>> = {
  filingRate: 'Filing rate',
  dispatchRate: 'Dispatch rate',
  closureRate: 'Closure rate',
  onTimeClosureRate: 'On-time closure rate',
  reworkRate: 'Rework rate',
  extensionRate: 'Extension rate',
};

/** The KPI rates, in the order of the formulas table (the Chinese word is the formula's own). */
export const KPI_RATE_LABELS: Readonly<Record<keyof Kpis, Label>> = Object.fromEntries(
  (Object.keys(KPI_FORMULAS) as Array<keyof Kpis>).map((k) => [k, { 'zh-CN': KPI_FORMULAS[k].label, en: KPI_RATE_EN[k] }]),
) as Record<keyof Kpis, Label>;

export const KPI_RATE_FIELDS = Object.keys(KPI_FORMULAS) as ReadonlyArray<keyof Kpis>;
export const KPI_COUNT_FIELDS = Object.keys(KPI_COUNT_LABELS) as ReadonlyArray<keyof KpiCounts>;
