import { BRIEFING_AREA_WORDS, BRIEFING_COUNT_FIELDS, chinaDateTime, type BriefingCounts, type BriefingResponse } from '../../../../shared/contracts/briefing.js';
import type { Kpis } from '../../../../shared/contracts/kpi.js';
import { BRIEFING_COUNT_LABELS, KPI_RATE_FIELDS, KPI_RATE_LABELS } from '../../../../shared/domain/briefing-words.js';
import { CSV_BOM, csvLine } from '../audit/audit-csv.js';

/**
 * The briefing's figures as one CSV table (RFC 4180, CRLF, UTF-8 with a BOM so Excel reads the
 * Chinese): a row for the whole scope (合计), then one per area the briefing ranks (town, or a
 * city's county, a province's city), each with the period, the
 * counts and the rates in percent (empty where a rate has no denominator).
 */
export function briefingCsv(b: BriefingResponse): string {
  const from = chinaDateTime(b.period.from);
  const to = chinaDateTime(b.period.to);
  const asOf = chinaDateTime(b.asOf);
  const header = [
    '范围',
    `${BRIEFING_AREA_WORDS[b.areaLevel]['zh-CN']}编码`,
    '时段开始',
    '时段结束',
    '在办截至',
    ...BRIEFING_COUNT_FIELDS.map((k) => `${BRIEFING_COUNT_LABELS[k]['zh-CN']}（件）`),
    ...KPI_RATE_FIELDS.map((k) => `${KPI_RATE_LABELS[k]['zh-CN']}（%）`),
  ];
  const row = (name: string, code: string, counts: BriefingCounts, kpis: Kpis) =>
    csvLine([name, code, from, to, asOf, ...BRIEFING_COUNT_FIELDS.map((k) => counts[k]), ...KPI_RATE_FIELDS.map((k) => kpis[k])]);
  return [CSV_BOM, csvLine(header), row('合计', '', b.counts, b.kpis), ...b.byArea.map((a) => row(a.name, a.id, a.counts, a.kpis))].join('');
}
