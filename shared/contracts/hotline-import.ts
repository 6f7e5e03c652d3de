import { z } from 'zod';

/**
 * Bulk import of a day's 12345 hotline cases (工单) from the platform's CSV or XLSX export.
 *
 * `POST /api/v1/hotline-imports?mode=file|row[&dryRun=true][&progress=KEY]`, the raw file as
 * the body (`text/csv` or the XLSX type), its name in `X-Filename` (URI-encoded UTF-8). Every
 * row goes through the hotline channel's one intake (the same one `POST /api/v1/intake/hotline`
 * uses), idempotent on the 工单编号: a file imported twice stores nothing twice.
 */

/** `file`: all or nothing (整批) — nothing is written unless every row passes. `row`: each row on its own (逐行). */
export const HOTLINE_IMPORT_MODES = ['file', 'row'] as const;
export type HotlineImportMode = (typeof HOTLINE_IMPORT_MODES)[number];

/** The file types taken, by Content-Type. */
export const HOTLINE_IMPORT_TYPES = {
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export type HotlineImportType = keyof typeof HOTLINE_IMPORT_TYPES;
export const HOTLINE_IMPORT_TYPE_LIST = Object.keys(HOTLINE_IMPORT_TYPES) as HotlineImportType[];
export type HotlineFileFormat = (typeof HOTLINE_IMPORT_TYPES)[HotlineImportType];

/** Largest file: a typhoon day of a few thousand rows is well under 2 MB as CSV. */
export const HOTLINE_IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** Most data rows in one file. */
export const HOTLINE_IMPORT_MAX_ROWS = 10_000;

/**
 * The columns of a 12345 platform's export, by the field they fill: the Chinese header as the
 * platforms write it first, then accepted variants and English aliases (matched without case,
 * spaces, brackets and their contents, so `联系电话(脱敏)` and `联系电话（脱敏）` both match).
 */
export const HOTLINE_COLUMNS = {
  caseNumber: ['工单编号', '工单号', '受理编号', 'caseNumber', 'case_number', 'ticket'],
  calledAt: ['来电时间', '受理时间', 'calledAt', 'called_at', 'callTime'],
  callerName: ['来电人', '来电人姓名', '诉求人', 'caller', 'callerName'],
  callerPhone: ['联系电话(脱敏)', '联系电话', '来电号码', 'phone', 'callerPhone'],
  address: ['事发地址', '事发地点', '地址', 'address'],
  category: ['诉求类别', '诉求分类', '事项', 'category', 'itemText'],
  content: ['诉求内容', '来电内容', '工单内容', 'content', 'description'],
  urgency: ['紧急程度', 'urgency'],
  lon: ['经度', 'lon', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  crs: ['坐标系', 'crs'],
} as const;
export type HotlineColumn = keyof typeof HOTLINE_COLUMNS;
export const HOTLINE_COLUMN_LIST = Object.keys(HOTLINE_COLUMNS) as HotlineColumn[];
/** Without these a file is refused as a whole (the others may be absent or empty). */
export const REQUIRED_HOTLINE_COLUMNS: readonly HotlineColumn[] = ['caseNumber', 'content'];

/** The canonical form a header is compared in (see HOTLINE_COLUMNS). */
export function headerKey(header: string): string {
  return header
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s_\-·]/g, '')
    .toLowerCase();
}

/** The field a header names, or null when the column is not one of ours (it is then ignored). */
export function columnOfHeader(header: string): HotlineColumn | null {
  const key = headerKey(header);
  if (!key) return null;
  for (const column of HOTLINE_COLUMN_LIST) {
    if (HOTLINE_COLUMNS[column].some((alias) => headerKey(alias) === key)) return column;
  }
  return null;
}

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query of `POST /api/v1/hotline-imports`. */
export const hotlineImportQuerySchema = z
  .object({
    mode: z.enum(HOTLINE_IMPORT_MODES),
    /** Validate, resolve the address and classify every row; write nothing. */
    dryRun: boolParam.default(false),
    /** A key the client picks to poll this upload's progress (`GET /api/v1/hotline-imports/progress/{key}`). */
    progress: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  })
  .strict();
export type HotlineImportQuery = z.infer<typeof hotlineImportQuerySchema>;

export const progressKeyParamsSchema = z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict();
export const hotlineImportIdSchema = z.string().regex(/^HI\d{1,12}$/);
export const hotlineImportIdParamsSchema = z.object({ id: hotlineImportIdSchema }).strict();

/**
 * What became of one row. `accepted`: a case was created (admitted); `triaged`: a case waits in
 * the 待甄别 queue for a person (the item was uncertain, or the address did not resolve);
 * `not_admitted`: recorded as not admitted (不予受理), with the body that receives it; `invalid`:
 * the row is wrong and nothing was made of it; `duplicate_of_earlier_import`: its 工单编号 was
 * imported before and nothing new was stored.
 */
export const HOTLINE_ROW_OUTCOMES = ['accepted', 'triaged', 'not_admitted', 'invalid', 'duplicate_of_earlier_import'] as const;
export type HotlineRowOutcome = (typeof HOTLINE_ROW_OUTCOMES)[number];

/** A message in both UI languages, with its stable code. */
export interface BilingualReason {
  code: string;
  'zh-CN': string;
  en: string;
}

export interface HotlineImportRow {
  /** The row's number as a spreadsheet shows it (the header row counts). */
  row: number;
  /** The 工单编号, as the file has it ('' when the cell is empty). */
  caseNumber: string;
  outcome: HotlineRowOutcome;
  /** True when this import stored something for the row (never in a dry run or a refused file). */
  written: boolean;
  /** The case made (or made by an earlier import). */
  eventId?: string;
  /** The case's entry in the 待甄别 queue, for a triaged row. */
  triageId?: string;
  /** Why: the reason a row is invalid or not admitted, why it waits for triage, or what a duplicate duplicates. */
  reason: BilingualReason | null;
  /** The column at fault, by the file's own header, when one is. */
  field?: string;
  /** The body that receives a not admitted matter (承接单位). */
  receivingBody?: string;
}

export type HotlineImportTotals = Record<HotlineRowOutcome, number> & { rows: number; written: number };

/**
 * `preview`: a dry run; `written`: every row that could be was written; `refused`: all or
 * nothing, and some row failed: nothing was written; `partial`: all or nothing, every row passed
 * the preview but some failed when written (the file changed nothing else: re-import it after
 * fixing those rows; rows already in are reported as duplicates); `interrupted`: the server
 * stopped midway (re-import the same file to complete it).
 */
export const HOTLINE_IMPORT_STATUSES = ['running', 'preview', 'written', 'refused', 'partial', 'interrupted'] as const;
export type HotlineImportStatus = (typeof HOTLINE_IMPORT_STATUSES)[number];

export interface HotlineImportFile {
  name: string;
  format: HotlineFileFormat;
  /** How the text was decoded (CSV): `utf-8`, `utf-8-bom` or `gbk`; null for XLSX. */
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | null;
  bytes: number;
  /** The header row's number. */
  headerRow: number;
  /** Each recognised column: the file's header and the field it fills. */
  columns: Array<{ header: string; field: HotlineColumn }>;
  /** Headers that are not ours (ignored). */
  ignored: string[];
}

/** Answer of `POST /api/v1/hotline-imports` and `GET /api/v1/hotline-imports/{id}`. */
export interface HotlineImportReport {
  /** The batch's id (`HI…`): every import and preview is kept for the report history. */
  id: string;
  mode: HotlineImportMode;
  dryRun: boolean;
  status: HotlineImportStatus;
  file: HotlineImportFile;
  startedAt: string;
  finishedAt: string | null;
  by: { userId: string; displayName: string };
  totals: HotlineImportTotals;
  rows: HotlineImportRow[];
}

/** One line of the report history, `GET /api/v1/hotline-imports`. */
export type HotlineImportSummary = Omit<HotlineImportReport, 'rows'>;
export interface HotlineImportListResponse {
  items: HotlineImportSummary[];
}

/** `GET /api/v1/hotline-imports/progress/{key}`: how far an upload has got. */
export interface HotlineImportProgress {
  /** `checking`: every row is validated (a dry run, or before an all-or-nothing write); `writing`: rows are stored. */
  phase: 'reading' | 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}

/** Counts per outcome, every outcome present. */
export function emptyTotals(): HotlineImportTotals {
  return { rows: 0, written: 0, accepted: 0, triaged: 0, not_admitted: 0, invalid: 0, duplicate_of_earlier_import: 0 };
}
