// exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import {
  columnOfHeader,
  HOTLINE_IMPORT_MAX_ROWS,
  REQUIRED_HOTLINE_COLUMNS,
  type HotlineColumn,
  type HotlineFileFormat,
  type HotlineImportFile,
} from '../../../../shared/contracts/hotline-import.js';
import { ApiHttpError } from '../../http/errors.js';

/** One data row of the file: its spreadsheet row number and each recognised column's text. */
export interface HotlineFileRow {
  row: number;
  cells: Partial<Record<HotlineColumn, string>>;
}

export interface HotlineSheet {
  file: Omit<HotlineImportFile, 'name' | 'bytes'>;
  rows: HotlineFileRow[];
}

/** How many rows from the top may come before the header (a title line, the export's date range…). */
const HEADER_SEARCH_ROWS = 10;
const CHINA_OFFSET_MS = 8 * 3600_000;

const unreadable = (reason: string, params: Record<string, unknown> = {}) =>
  new ApiHttpError(400, 'invalid_body', `error.hotline_import.${reason}` as 'error.hotline_import.empty', [], params, { reason });

/**
 * The text of a CSV file. Chinese Excel saves "CSV" in the system code page (GBK/GB18030), the
 * platforms export UTF-8, with or without a BOM: a file that is not valid UTF-8 is read as
 * GB18030 (a superset of GBK, which Node's full-ICU TextDecoder knows); one that is neither is
 * refused rather than imported as mojibake.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-8-bom' | 'gbk' } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    // not UTF-8: try the Chinese code page below
  }
  if (bytes[0] === 0xff || bytes[0] === 0xfe) throw unreadable('utf16');
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gbk' };
  } catch {
    throw unreadable('encoding');
  }
}

/** Parses a CSV file's records (papaparse: quotes, embedded newlines and commas as RFC 4180 has them). */
function csvRecords(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: '' });
  // A quote left open swallows the rest of the file: refuse it instead of importing half a row.
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw unreadable('csv_quotes', { row: (fatal.row ?? 0) + 1 });
  return parsed.data;
}

/** A cell of exceljs as the text the sheet shows (dates as China time, numbers without exponent). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel's dates carry no zone; exceljs reads them as UTC. The sheet shows China time, so
    // the UTC fields are the wall-clock time in China.
    return `${value.toISOString().slice(0, 19).replace('T', ' ')}`;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return '';
  return '';
}

async function xlsxRecords(bytes: Buffer): Promise<string[][]> {
  const workbook = new (await import('exceljs')).default.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw unreadable('xlsx');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('empty');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    records[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(records, (r) => r ?? []);
}

/**
 * The header row: the first of the top rows that names the required columns (a platform's
 * export often starts with a title line). Each recognised header maps to its field; the first
 * column wins when two name the same field.
 */
function findHeader(records: string[][]): { index: number; columns: Map<number, HotlineColumn>; file: Pick<HotlineImportFile, 'columns' | 'ignored'> } {
  for (let index = 0; index < Math.min(records.length, HEADER_SEARCH_ROWS); index++) {
    const headers = (records[index] ?? []).map((h) => h.trim());
    const columns = new Map<number, HotlineColumn>();
    const seen = new Set<HotlineColumn>();
    const ignored: string[] = [];
    const mapped: HotlineImportFile['columns'] = [];
    headers.forEach((header, i) => {
      const field = columnOfHeader(header);
      if (field && !seen.has(field)) {
        seen.add(field);
        columns.set(i, field);
        mapped.push({ header, field });
      } else if (header) ignored.push(header);
    });
    if (REQUIRED_HOTLINE_COLUMNS.every((c) => seen.has(c))) return { index, columns, file: { columns: mapped, ignored } };
  }
  throw unreadable('no_header', { required: REQUIRED_HOTLINE_COLUMNS.join(', ') });
}

/** Reads a CSV or XLSX export into rows of recognised columns; refuses a file it cannot read as a whole. */
export async function readHotlineFile(bytes: Buffer, format: HotlineFileFormat): Promise<HotlineSheet> {
  let records: string[][];
  let encoding: HotlineImportFile['encoding'] = null;
  if (format === 'csv') {
    const decoded = decodeCsv(bytes);
    encoding = decoded.encoding;
    records = csvRecords(decoded.text.replace(/^\uFEFF/, ''));
  } else {
    records = await xlsxRecords(bytes);
  }
  const header = findHeader(records);
  const rows: HotlineFileRow[] = [];
  for (let i = header.index + 1; i < records.length; i++) {
    const record = records[i] ?? [];
    if (record.every((c) => c.trim() === '')) continue;
    const cells: HotlineFileRow['cells'] = {};
    for (const [col, field] of header.columns) {
      const text = (record[col] ?? '').trim();
      if (text) cells[field] = text;
    }
    rows.push({ row: i + 1, cells });
  }
  if (rows.length === 0) throw unreadable('no_rows');
  if (rows.length > HOTLINE_IMPORT_MAX_ROWS) throw unreadable('too_many_rows', { rows: rows.length, limit: HOTLINE_IMPORT_MAX_ROWS });
  return { file: { format, encoding, headerRow: header.index + 1, ...header.file }, rows };
}

/**
 * A 来电时间 as an instant: ISO 8601 with an offset as given, or the platforms' local
 * `yyyy-mm-dd hh:mm[:ss]` (also with `/`), which is China time. Null when it is neither.
 */
export function callTime(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) {
    const at = new Date(trimmed);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  }
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23) return null;
  return new Date(utc - CHINA_OFFSET_MS).toISOString();
}
