// exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
import type { WorkerRecord, WorkerStatus } from '../../../../shared/contracts/workforce.js';
import { CSV_BOM, csvLine } from '../audit/audit-csv.js';
import { notesSheet, tableSheet } from '../kpi/kpi-xlsx.js';

/**
 * The grid workers' records as a spreadsheet (XLSX or CSV): the roster import's workers columns
 * under the Chinese headers the import reads (docs/IMPORT.md), so an exported file imports back
 * unchanged, then the names of the town, village and grid for the reader (the import ignores them).
 */

export const GENDER_WORDS = { M: '男', F: '女' } as const;
export const EDUCATION_WORDS: Record<string, string> = { junior_high: '初中及以下', senior_high: '高中/中专', junior_college: '大专', bachelor: '本科' };
export const EMPLOYMENT_WORDS = { full_time: '专职', part_time: '兼职' } as const;
export const STATUS_WORDS: Record<WorkerStatus, string> = { active: '在岗', on_leave: '请假', left: '离职' };

interface Column {
  header: string;
  width: number;
  numFmt?: string;
  value: (w: WorkerRecord) => string | number | null;
}

/** Headers: each of the first fifteen is one the roster import reads (roster-plan.ts COLUMNS.workers). */
export const WORKER_EXPORT_COLUMNS: readonly Column[] = [
  { header: '工号', width: 10, value: (w) => w.id },
  { header: '姓名', width: 10, value: (w) => w.name },
  { header: '性别', width: 6, value: (w) => GENDER_WORDS[w.gender] },
  { header: '出生年份', width: 9, numFmt: '0', value: (w) => w.birthYear },
  { header: '学历', width: 11, value: (w) => EDUCATION_WORDS[w.education] ?? w.education },
  { header: '手机号', width: 14, value: (w) => w.phone },
  { header: '专兼职', width: 7, value: (w) => EMPLOYMENT_WORDS[w.employment] },
  { header: '网格编码', width: 16, value: (w) => w.grid.code },
  { header: '等级', width: 6, numFmt: '0', value: (w) => w.grade },
  { header: '状态', width: 6, value: (w) => STATUS_WORDS[w.status] },
  { header: '入职日期', width: 11, value: (w) => w.startedOn },
  { header: '离职日期', width: 11, value: (w) => w.leftOn },
  { header: '所属队伍', width: 10, value: (w) => w.team?.id ?? null },
  { header: '服务微网格编码', width: 30, value: (w) => w.microGrids.map((m) => m.code).join(';') || null },
  { header: '登录账号', width: 14, value: (w) => w.account?.username ?? null },
  { header: '所在镇街', width: 12, value: (w) => w.town.name },
  { header: '所在村社', width: 14, value: (w) => w.village.name },
  { header: '所在网格', width: 24, value: (w) => w.grid.name },
  { header: '队伍名称', width: 22, value: (w) => w.team?.name ?? null },
];

/** The sheet's name: the roster import takes a sheet so named as its workers sheet. */
export const WORKER_SHEET = '网格员';

export interface WorkerExportInput {
  workers: WorkerRecord[];
  /** The scope in words (the county's or the town's name), for the notes. */
  scope: string;
  status: WorkerStatus | null;
  generatedAt: string;
  center: string;
}

/** China wall time `yyyy-mm-dd hh:mm` of an instant. */
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export async function workersWorkbook(input: WorkerExportInput): Promise<Buffer> {
  const wb = new (await import('exceljs')).default.Workbook();
  wb.creator = input.center;
  wb.created = new Date(input.generatedAt);
  wb.title = `${input.scope}网格员档案`;
  const ws = tableSheet(wb, WORKER_SHEET, WORKER_EXPORT_COLUMNS, 2);
  for (const w of input.workers) {
    const row = ws.addRow(WORKER_EXPORT_COLUMNS.map((c) => c.value(w)));
    // phones and codes stay text (a leading 0 of a landline, a long code Excel would round)
    for (const i of [6, 8, 13, 14]) row.getCell(i).numFmt = '@';
  }
  notesSheet(wb, [
    ['表名', `${input.scope}网格员档案`],
    ['范围', input.status === null ? input.scope : `${input.scope}（${STATUS_WORDS[input.status]}）`],
    ['人数', String(input.workers.length)],
    ['生成时间', chinaTime(input.generatedAt)],
    ['导入', '“网格员”表的前 15 列即花名册导入的网格员列，可修改后经“数据导入”导回；所在镇街、村社、网格、队伍名称仅供阅读，导入时忽略。'],
    ['取值', '等级 1–5（1 为起步档）；状态：在岗、请假、离职（离职须填离职日期）；日期 YYYY-MM-DD；服务微网格编码以分号分隔；登录账号为网格员（处置人员）账号的用户名。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same table as CSV (RFC 4180, CRLF, UTF-8 with a BOM so Excel reads the Chinese). */
export function workersCsv(workers: readonly WorkerRecord[]): string {
  return [CSV_BOM, csvLine(WORKER_EXPORT_COLUMNS.map((c) => c.header)), ...workers.map((w) => csvLine(WORKER_EXPORT_COLUMNS.map((c) => c.value(w))))].join('');
}
