// exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
import type ExcelJS from 'exceljs';
import { KPI_FORMULAS } from '../../../../shared/domain/kpi.js';
import { tableRows } from '../../../../shared/domain/kpi-ranking.js';
import type { EmploymentTotals, GridWorkerResponse, KpiExportTable, KpiResponse, KpiRow } from '../../../../shared/contracts/kpi.js';
import { KPI_COUNT_FIELDS, KPI_COUNT_LABELS, KPI_RATE_FIELDS, KPI_RATE_LABELS } from '../../../../shared/domain/briefing-words.js';

/**
 * The evaluation tables as a workbook (exceljs), for the evaluation meeting's papers: real
 * numeric cells (counts `0`, rates as fractions formatted `0.00%`), Chinese headers frozen at the
 * top, columns wide enough for Chinese names, and a sheet that says what was counted.
 */

const COUNT = '0';
const RATE = '0.00%';
const DECIMAL = '0.00';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F0' } };

/** What a grouping's rows are called in the first columns' headers. */
const GROUP_WORDS: Record<Exclude<KpiExportTable, 'gridWorker'>, string> = {
  city: '市',
  county: '县（市、区）',
  town: '镇街',
  village: '村社',
  grid: '网格',
  team: '处置力量',
  worker: '处置人',
  teamType: '力量类型',
};
const TABLE_TITLES: Record<KpiExportTable, string> = {
  city: '按市考评',
  county: '按县（市、区）考评',
  town: '按镇街考评',
  village: '按村社考评',
  grid: '按网格考评',
  team: '按处置力量考评',
  worker: '按处置人考评',
  teamType: '按力量类型考评',
  gridWorker: '网格员考评',
};
const EMPLOYMENT_WORDS = { full_time: '专职', part_time: '兼职' } as const;

/** A rate in percent as the fraction Excel's `%` format expects; null (no denominator) stays empty. */
const fraction = (rate: number | null): number | null => (rate === null ? null : rate / 100);

export interface ColumnSpec {
  header: string;
  width: number;
  numFmt?: string;
}

/** A sheet with one frozen header row (and `frozenColumns` frozen at the left), columns sized and formatted. */
export function tableSheet(wb: ExcelJS.Workbook, name: string, columns: readonly ColumnSpec[], frozenColumns: number): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.height = 30;
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { bottom: { style: 'thin' } };
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

const countColumns = (): ColumnSpec[] => KPI_COUNT_FIELDS.map((k) => ({ header: `${KPI_COUNT_LABELS[k]['zh-CN']}（件）`, width: 10, numFmt: COUNT }));
const rateColumns = (): ColumnSpec[] => KPI_RATE_FIELDS.map((k) => ({ header: `${KPI_RATE_LABELS[k]['zh-CN']}（%）`, width: 12, numFmt: RATE }));

const kpiCells = (row: Pick<KpiRow, 'counts' | 'kpis'>) => [...KPI_COUNT_FIELDS.map((k) => row.counts[k]), ...KPI_RATE_FIELDS.map((k) => fraction(row.kpis[k]))];

function kpiSheet(wb: ExcelJS.Workbook, table: Exclude<KpiExportTable, 'gridWorker'>, res: KpiResponse): void {
  const ws = tableSheet(wb, TABLE_TITLES[table], [{ header: '排名', width: 7, numFmt: COUNT }, { header: GROUP_WORDS[table], width: table === 'grid' || table === 'village' ? 34 : 22 }, ...countColumns(), ...rateColumns()], 2);
  for (const g of tableRows(res.groups)) ws.addRow([g.place, g.name, ...kpiCells(g)]);
  const total = ws.addRow([null, '合计', ...kpiCells(res.total)]);
  total.font = { bold: true };
  total.border = { top: { style: 'thin' } };
}

function gridWorkerSheets(wb: ExcelJS.Workbook, res: GridWorkerResponse): void {
  const ws = tableSheet(
    wb,
    TABLE_TITLES.gridWorker,
    [
      { header: '排名', width: 7, numFmt: COUNT },
      { header: '姓名', width: 10 },
      { header: '编号', width: 9 },
      { header: '用工', width: 7 },
      { header: '所在网格', width: 34 },
      { header: '网格户数（户）', width: 10, numFmt: COUNT },
      { header: '网格员数（人）', width: 10, numFmt: COUNT },
      { header: '巡查上报（件）', width: 10, numFmt: COUNT },
      { header: '自行处置（件）', width: 10, numFmt: COUNT },
      { header: '每百户上报（件/百户）', width: 13, numFmt: DECIMAL },
      { header: '网格受理（件）', width: 10, numFmt: COUNT },
      { header: '网格应结案（件）', width: 11, numFmt: COUNT },
      { header: '网格结案（件）', width: 10, numFmt: COUNT },
      { header: '网格按期结案率（%）', width: 13, numFmt: RATE },
    ],
    2,
  );
  for (const w of res.workers) {
    ws.addRow([
      w.rank,
      w.name,
      w.id,
      EMPLOYMENT_WORDS[w.employment],
      w.placeName,
      w.households,
      w.gridWorkers,
      w.reported,
      w.selfHandled,
      w.per100Households,
      w.grid.counts.accepted,
      w.grid.counts.due,
      w.grid.counts.closed,
      fraction(w.grid.kpis.onTimeClosureRate),
    ]);
  }
  const split = tableSheet(
    wb,
    '专兼职对比',
    [
      { header: '用工', width: 8 },
      { header: '人数（人）', width: 10, numFmt: COUNT },
      { header: '巡查上报（件）', width: 10, numFmt: COUNT },
      { header: '自行处置（件）', width: 10, numFmt: COUNT },
      { header: '服务户数（户）', width: 11, numFmt: COUNT },
      { header: '每百户上报（件/百户）', width: 13, numFmt: DECIMAL },
      { header: '人均上报（件/人）', width: 12, numFmt: DECIMAL },
    ],
    1,
  );
  const line = (e: EmploymentTotals) => [EMPLOYMENT_WORDS[e.employment], e.workers, e.reported, e.selfHandled, e.households, e.per100Households, e.perWorker];
  for (const e of res.employment) split.addRow(line(e));
}

export function notesSheet(wb: ExcelJS.Workbook, lines: Array<[string, string]>): void {
  const ws = wb.addWorksheet('说明');
  ws.columns = [{ width: 16 }, { width: 90 }];
  for (const [k, v] of lines) {
    const row = ws.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    row.alignment = { vertical: 'top', wrapText: true };
  }
}

export interface KpiWorkbookInput {
  table: KpiExportTable;
  /** `[from, to)` as instants. */
  from: string;
  to: string;
  /** The scope in words: the name of the scope's root (the county, a city…), or of the town or area asked for. */
  scope: string;
  generatedAt: string;
  center: string;
  kpis?: KpiResponse;
  workers?: GridWorkerResponse;
}

/** China wall time `yyyy-mm-dd hh:mm` of an instant. */
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The workbook of one evaluation table: the table (two sheets for grid workers), then the notes. */
export async function kpiWorkbook(input: KpiWorkbookInput): Promise<Buffer> {
  const wb = new (await import('exceljs')).default.Workbook();
  wb.creator = input.center;
  wb.created = new Date(input.generatedAt);
  wb.title = `${input.scope}${TABLE_TITLES[input.table]}`;
  if (input.table === 'gridWorker') gridWorkerSheets(wb, input.workers!);
  else kpiSheet(wb, input.table, input.kpis!);
  const formulas = (Object.keys(KPI_FORMULAS) as Array<keyof typeof KPI_FORMULAS>).map((k) => {
    const f = KPI_FORMULAS[k];
    return `${f.label} = ${KPI_COUNT_LABELS[f.numerator]['zh-CN']} ÷ ${KPI_COUNT_LABELS[f.denominator]['zh-CN']}`;
  });
  notesSheet(wb, [
    ['表名', `${input.scope}${TABLE_TITLES[input.table]}`],
    ['统计期间', `${chinaTime(input.from)} 至 ${chinaTime(input.to)}（北京时间，不含结束时刻）`],
    ['范围', input.scope],
    ['生成时间', chinaTime(input.generatedAt)],
    ['口径', '受理、立案、派遣：期间内上报且受理的案件；应结案、结案、按期结案、返工、延期：结案时限落在期间内的案件（含往期结转）。分母为 0 的比率留空。'],
    ['公式', formulas.join('；')],
    [
      '网格员',
      '巡查上报为该网格员手机号报送的网格巡查事件（网格员名册与系统账号不关联，以报送手机号对应）；每百户上报 = 巡查上报 ÷ 所在网格户数 × 100；网格受理、应结案、结案、按期结案率为其所在网格全部案件的数据，同网格网格员共享。排名按每百户上报、再按巡查上报。',
    ],
    ['排名', '按期结案率高者在前，相同再比结案率；无应结案的排在最后；数值相同名次相同。“未派遣”“未记录处置人”不是考评对象，列在最后、不排名次。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
