// exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
import type ExcelJS from 'exceljs';
import { BRIEFING_AREA_WORDS, BRIEFING_COUNT_FIELDS, casePlaceName, chinaDateTime, type BriefingAreaLevel, type BriefingCase, type BriefingCounts, type BriefingFigures, type BriefingResponse } from '../../../../shared/contracts/briefing.js';
import type { EventSource, EventStatus, Urgency } from '../../../../shared/contracts/events.js';
import type { TeamType } from '../../../../shared/contracts/catalog.js';
import { BRIEFING_COUNT_LABELS, KPI_COUNT_FIELDS, KPI_COUNT_LABELS, KPI_RATE_FIELDS, KPI_RATE_LABELS } from '../../../../shared/domain/briefing-words.js';
import { ACTION_LABELS, SOURCE_LABELS, STATUS_LABELS, SYSTEM_ENTRY_LABELS, TEAM_TYPE_LABELS, URGENCY_LABELS } from '../../../../shared/domain/labels.js';
import type { CaseSheetRow, StandingRow } from './briefing.repo.js';

/**
 * The briefing as a workbook (exceljs): the summary, the towns, the cases reported, the open
 * cases, the items, the hot spots, the teams and the notable cases' timelines. Figures are real
 * numeric cells (counts `0`, rates as fractions formatted `0.00%`, times as China-time dates), so
 * the reader can sort and sum them; headers are Chinese, frozen, with units.
 */

const COUNT = '0';
const RATE = '0.00%';
const TIME = 'yyyy-mm-dd hh:mm';
const CHINA_OFFSET_MS = 8 * 3600_000;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E2D0' } };

/**
 * Excel has no time zones: a cell shows the wall time it stores. The county reads China time,
 * so an instant is stored as its China wall time.
 */
const chinaTime = (iso: string | null): Date | null => (iso === null ? null : new Date(Date.parse(iso) + CHINA_OFFSET_MS));
/** A rate in percent as the fraction Excel's `%` format expects; null (no denominator) stays empty. */
const fraction = (rate: number | null): number | null => (rate === null ? null : rate / 100);

const zh = <K extends string>(table: Readonly<Record<K, { 'zh-CN': string }>>, key: K): string => table[key]['zh-CN'];
const stepWord = (action: string): string =>
  (ACTION_LABELS as Record<string, { 'zh-CN': string }>)[action]?.['zh-CN'] ?? (SYSTEM_ENTRY_LABELS as Record<string, { 'zh-CN': string }>)[action]?.['zh-CN'] ?? action;

interface ColumnSpec {
  header: string;
  width: number;
  numFmt?: string;
}

/** A sheet whose first `headerRows` rows stay in view, with the given columns' widths and formats. */
function sheet(wb: ExcelJS.Workbook, name: string, columns: ColumnSpec[], frozen: { rows: number; columns?: number }): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: frozen.columns ?? 0, ySplit: frozen.rows }] });
  ws.columns = columns.map((c) => ({ width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  return ws;
}

function headerRow(ws: ExcelJS.Worksheet, values: string[]): ExcelJS.Row {
  const row = ws.addRow(values);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { bottom: { style: 'thin' } };
  });
  return row;
}

const countHeaders = () => BRIEFING_COUNT_FIELDS.map((k) => `${zh(BRIEFING_COUNT_LABELS, k)}（件）`);
const rateHeaders = () => KPI_RATE_FIELDS.map((k) => `${zh(KPI_RATE_LABELS, k)}（%）`);

export interface WorkbookInput {
  briefing: BriefingResponse;
  /** Every case reported in the period, reporters already masked for the reader's role. */
  reported: readonly CaseSheetRow[];
  /** Every case open at `asOf`, most pressing first. */
  open: readonly StandingRow[];
  /** The command centre's name for the title rows. */
  center: string;
}

export async function briefingWorkbook({ briefing: b, reported, open, center }: WorkbookInput): Promise<Buffer> {
  const wb = new (await import('exceljs')).default.Workbook();
  wb.creator = center;
  wb.created = new Date(b.generatedAt);
  summarySheet(wb, b, center);
  areaSheet(wb, b);
  reportedSheet(wb, b, reported);
  openSheet(wb, b, open);
  rankingSheets(wb, b);
  teamSheet(wb, b);
  notableSheet(wb, b);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function summarySheet(wb: ExcelJS.Workbook, b: BriefingResponse, center: string): void {
  const ws = sheet(wb, '摘要', [{ header: '', width: 24 }, { header: '', width: 8 }, { header: '', width: 16 }, { header: '', width: 16 }, { header: '', width: 16 }], { rows: 6 });
  const title = ws.addRow([`${center} 交班简报`]);
  title.font = { bold: true, size: 16, color: { argb: 'FFC00000' } };
  ws.mergeCells(1, 1, 1, 5);
  ws.addRow([b.issue ? `${b.issue.year}年 第 ${b.issue.number} 期` : '时段简报', '', b.shift ? `班次：${b.shift.name}` : '', b.shift ? `带班领导：${b.shift.lead ?? '—'}` : '']);
  ws.addRow(['时段', '', `${chinaDateTime(b.period.from)} 至 ${chinaDateTime(b.period.to)}`]);
  ws.addRow(['在办情况截至', '', chinaTime(b.asOf), '生成时间', chinaTime(b.generatedAt)]).eachCell((cell) => {
    if (cell.value instanceof Date) cell.numFmt = TIME;
  });
  ws.addRow([]);
  headerRow(ws, ['指标', '单位', '本时段', '上一班次', '上周同班次']);
  const figures: BriefingFigures[] = [b, b.comparison.previous, b.comparison.weekAgo];
  for (const k of BRIEFING_COUNT_FIELDS) {
    ws.addRow([zh(BRIEFING_COUNT_LABELS, k), '件', ...figures.map((f) => f.counts[k])]).eachCell((cell, col) => {
      if (col >= 3) cell.numFmt = COUNT;
    });
  }
  for (const k of KPI_COUNT_FIELDS) {
    ws.addRow([`考评口径·${zh(KPI_COUNT_LABELS, k)}`, '件', ...figures.map((f) => f.kpiCounts[k])]).eachCell((cell, col) => {
      if (col >= 3) cell.numFmt = COUNT;
    });
  }
  for (const k of KPI_RATE_FIELDS) {
    ws.addRow([zh(KPI_RATE_LABELS, k), '%', ...figures.map((f) => fraction(f.kpis[k]))]).eachCell((cell, col) => {
      if (col >= 3) cell.numFmt = RATE;
    });
  }
}

/** The areas the briefing ranks (各镇街指标, or a city's 各县（市、区）指标, a province's 各市指标). */
function areaSheet(wb: ExcelJS.Workbook, b: BriefingResponse): void {
  const word = BRIEFING_AREA_WORDS[b.areaLevel]['zh-CN'];
  const columns: ColumnSpec[] = [
    { header: word, width: 14 },
    ...BRIEFING_COUNT_FIELDS.map(() => ({ header: '', width: 10, numFmt: COUNT })),
    ...KPI_RATE_FIELDS.map(() => ({ header: '', width: 12, numFmt: RATE })),
  ];
  const ws = sheet(wb, `各${word}指标`, columns, { rows: 1, columns: 1 });
  headerRow(ws, [word, ...countHeaders(), ...rateHeaders()]);
  const row = (name: string, counts: BriefingCounts, kpis: BriefingResponse['kpis']) =>
    ws.addRow([name, ...BRIEFING_COUNT_FIELDS.map((k) => counts[k]), ...KPI_RATE_FIELDS.map((k) => fraction(kpis[k]))]);
  for (const a of b.byArea) row(a.name, a.counts, a.kpis);
  row('合计', b.counts, b.kpis).font = { bold: true };
}

/** The place columns' header: the town, or under a city or province the county › town. */
const townHeader = (level: BriefingAreaLevel) => (level === 'town' ? '镇街' : '县（市、区） › 镇街');

const caseColumns: ColumnSpec[] = [
  { header: '案件编号', width: 18 },
  { header: '上报时间', width: 17, numFmt: TIME },
  { header: '镇街', width: 20 },
  { header: '村社 › 网格', width: 26 },
  { header: '事项', width: 22 },
  { header: '紧急程度', width: 9 },
];

const statusWord = (s: EventStatus) => zh(STATUS_LABELS, s);
const urgencyWord = (u: Urgency) => `${u} ${zh(URGENCY_LABELS, u)}`;

function reportedSheet(wb: ExcelJS.Workbook, b: BriefingResponse, rows: readonly CaseSheetRow[]): void {
  const ws = sheet(
    wb,
    '案件',
    [
      ...caseColumns,
      { header: '来源', width: 12 },
      { header: '状态', width: 10 },
      { header: '报事人', width: 10 },
      { header: '联系电话', width: 15 },
      { header: '处置队伍', width: 20 },
      { header: '应结案时间', width: 17, numFmt: TIME },
      { header: '结案时间', width: 17, numFmt: TIME },
      { header: '督办', width: 6 },
      { header: '超期', width: 6 },
    ],
    { rows: 1, columns: 1 },
  );
  headerRow(ws, ['案件编号', '上报时间', townHeader(b.areaLevel), '村社 › 网格', '事项', '紧急程度', '来源', '状态', '报事人', '联系电话', '处置队伍', '应结案时间', '结案时间', '督办', '超期']);
  for (const r of rows) {
    ws.addRow([
      r.id,
      chinaTime(r.reportedAt),
      casePlaceName(r, b.areaLevel),
      r.place,
      r.itemName,
      urgencyWord(r.urgency),
      (SOURCE_LABELS as Record<string, { 'zh-CN': string }>)[r.source as EventSource]?.['zh-CN'] ?? r.source,
      statusWord(r.status),
      r.reporterName,
      r.reporterPhone,
      r.teamName ?? '',
      chinaTime(r.dueAt),
      chinaTime(r.closedAt),
      r.supervised ? '是' : '',
      r.overdue ? '是' : '',
    ]);
  }
}

function openSheet(wb: ExcelJS.Workbook, b: BriefingResponse, rows: readonly StandingRow[]): void {
  const ws = sheet(
    wb,
    '在办案件',
    [
      { header: '类别', width: 10 },
      ...caseColumns,
      { header: '状态', width: 10 },
      { header: '处置队伍', width: 20 },
      { header: '应结案时间', width: 17, numFmt: TIME },
      { header: '督办', width: 6 },
    ],
    { rows: 1, columns: 2 },
  );
  headerRow(ws, ['类别', '案件编号', '上报时间', townHeader(b.areaLevel), '村社 › 网格', '事项', '紧急程度', '状态', '处置队伍', '应结案时间', '督办']);
  const kind = (c: BriefingCase) => (c.dueAt !== null && c.dueAt < b.asOf ? '超期' : c.dueAt !== null && c.dueAt < b.nearDeadlineUntil ? '临期' : '在办');
  for (const r of rows) {
    ws.addRow([kind(r), r.id, chinaTime(r.reportedAt), casePlaceName(r, b.areaLevel), r.place, r.itemName, urgencyWord(r.urgency), statusWord(r.status), r.teamName ?? '', chinaTime(r.dueAt), r.supervised ? '是' : '']);
  }
}

function rankingSheets(wb: ExcelJS.Workbook, b: BriefingResponse): void {
  const items = sheet(wb, '高发事项', [{ header: '', width: 6 }, { header: '', width: 12 }, { header: '', width: 26 }, { header: '', width: 12, numFmt: COUNT }, { header: '', width: 12, numFmt: COUNT }], { rows: 1 });
  headerRow(items, ['排名', '事项编码', '事项', '上报（件）', '已结案（件）']);
  b.topItems.forEach((t, i) => items.addRow([i + 1, t.itemCode, t.itemName, t.count, t.closed]));

  const spots = sheet(wb, '热点网格', [{ header: '', width: 6 }, { header: '', width: 34 }, { header: '', width: 26 }, { header: '', width: 12, numFmt: COUNT }], { rows: 1 });
  headerRow(spots, ['排名', '镇街 › 村社 › 网格', '事项', '重复上报（件）']);
  b.hotSpots.forEach((h, i) => spots.addRow([i + 1, h.place, h.itemName, h.count]));
}

function teamSheet(wb: ExcelJS.Workbook, b: BriefingResponse): void {
  const ws = sheet(
    wb,
    '队伍工作量',
    [{ header: '', width: 24 }, { header: '', width: 12 }, ...['', '', '', ''].map(() => ({ header: '', width: 12, numFmt: COUNT }))],
    { rows: 1, columns: 1 },
  );
  headerRow(ws, ['处置队伍', '类型', '派遣（件）', '反馈（件）', '结案（件）', '回退（件）']);
  for (const t of b.teams) {
    ws.addRow([t.name, (TEAM_TYPE_LABELS as Record<string, { 'zh-CN': string }>)[t.type as TeamType]?.['zh-CN'] ?? t.type, t.dispatched, t.handled, t.closed, t.returned]);
  }
}

function notableSheet(wb: ExcelJS.Workbook, b: BriefingResponse): void {
  const ws = sheet(
    wb,
    '重点事件',
    [
      { header: '', width: 18 },
      { header: '', width: 22 },
      { header: '', width: 9 },
      { header: '', width: 17, numFmt: TIME },
      { header: '', width: 12 },
      { header: '', width: 16 },
      { header: '', width: 20 },
      { header: '', width: 40 },
    ],
    { rows: 1, columns: 1 },
  );
  headerRow(ws, ['案件编号', '事项', '紧急程度', '时间', '环节', '操作人', '队伍', '说明']);
  for (const n of b.notable) {
    for (const s of n.steps) {
      ws.addRow([n.case.id, n.case.itemName, urgencyWord(n.case.urgency), chinaTime(s.at), stepWord(s.action), s.actor ?? '系统', s.teamName ?? '', s.note ?? '']);
    }
  }
}
