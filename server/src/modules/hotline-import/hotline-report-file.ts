import Papa from 'papaparse';
import type { HotlineImportReport, HotlineRowOutcome } from '../../../../shared/contracts/hotline-import.js';

/** The outcome words of the report file: Chinese first (the file goes back to the 12345 platform's people), the code after. */
const OUTCOME_WORDS: Record<HotlineRowOutcome, string> = {
  accepted: '已受理',
  triaged: '待甄别',
  not_admitted: '不予受理',
  invalid: '无效',
  duplicate_of_earlier_import: '此前已导入',
};

const HEADERS = ['行号', '工单编号', '结果', '结果代码', '已写入', '案件编号', '待甄别编号', '问题列', '承接单位', '说明', 'Reason'];

function lines(report: HotlineImportReport): Array<Array<string | number>> {
  return report.rows.map((r) => [
    r.row,
    r.caseNumber,
    OUTCOME_WORDS[r.outcome],
    r.outcome,
    r.written ? '是' : '否',
    r.eventId ?? '',
    r.triageId ?? '',
    r.field ?? '',
    r.receivingBody ?? '',
    r.reason?.['zh-CN'] ?? '',
    r.reason?.en ?? '',
  ]);
}

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
 * apostrophe: a case number or reason typed by a caller must never execute in Excel.
 */
const inert = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The per-row report as CSV, UTF-8 with a BOM so that Excel in China opens it without mojibake. */
export function reportCsv(report: HotlineImportReport): string {
  return `\uFEFF${Papa.unparse({ fields: HEADERS, data: lines(report).map((l) => l.map(inert)) })}\r\n`;
}

/** The per-row report as a workbook: the rows (header frozen, filterable), then the totals. */
export async function reportXlsx(report: HotlineImportReport): Promise<Buffer> {
  // exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
  const workbook = new (await import('exceljs')).default.Workbook();
  const sheet = workbook.addWorksheet('逐行结果', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(HEADERS).font = { bold: true };
  for (const line of lines(report)) sheet.addRow(line);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: HEADERS.length } };
  const widths = [8, 22, 12, 28, 8, 18, 22, 14, 28, 60, 60];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  const totals = workbook.addWorksheet('汇总');
  totals.addRow(['导入编号', report.id]);
  totals.addRow(['文件', report.file.name]);
  totals.addRow(['方式', report.mode === 'file' ? '整批（全部成功才写入）' : '逐行（每行各自写入）']);
  totals.addRow(['预览', report.dryRun ? '是（未写入）' : '否']);
  totals.addRow(['状态', report.status]);
  totals.addRow(['行数', report.totals.rows]);
  for (const outcome of Object.keys(OUTCOME_WORDS) as HotlineRowOutcome[]) totals.addRow([OUTCOME_WORDS[outcome], report.totals[outcome]]);
  totals.addRow(['已写入', report.totals.written]);
  totals.getColumn(1).width = 14;
  totals.getColumn(2).width = 40;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
