import Papa from 'papaparse';
import { TEAM_TYPES, type TeamType } from '../../../../shared/contracts/catalog.js';
import { ROSTER_KINDS, type RosterImportReport, type RosterKind, type RosterProblem } from '../../../../shared/contracts/imports.js';
import type { WorkerStatus } from '../../../../shared/contracts/workforce.js';
import { TEAM_TYPE_LABELS } from '../../../../shared/domain/labels.js';

export const ROSTER_ROLES = ['town_cadre', 'medical_worker', 'community_police', 'unit_leader', 'unit_assistant'] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

export interface WorkerRow {
  id: string;
  name: string;
  gender: 'F' | 'M';
  birthYear: number;
  education: string;
  phone: string;
  employment: 'full_time' | 'part_time';
  gridId: string;
  /**
   * The optional record columns (issue 16), each only where the sheet has the column: a file
   * without it leaves the stored value as it is (a new worker gets the default). Grade and status
   * left empty keep the stored value; an empty date, team, micro-grid list or account clears it.
   */
  grade?: number | null;
  status?: WorkerStatus | null;
  startedOn?: string | null;
  leftOn?: string | null;
  teamId?: string | null;
  microGridIds?: string[];
  userId?: string | null;
}
export interface RosterRow {
  microGridId: string;
  role: RosterRole;
  personId: string;
  name: string;
  phone: string;
}
export interface TeamRow {
  id: string;
  type: TeamType;
  name: string;
  homeRegionId: string;
  members: number;
  leaderName: string;
  leaderPhone: string;
}

/** What the roster checks read of the database. */
export interface RosterLookup {
  regionId(code: string, levels: readonly string[]): string | null;
  workerExists(id: string): boolean;
  teamExists(id: string): boolean;
  rosterExists(microGridId: string, role: string): boolean;
  /** A micro-grid by code, with its grid. */
  microGrid(code: string): { id: string; gridId: string } | null;
  /** The town a grid lies in. */
  townOfGrid(gridId: string): string | null;
  /** The grid a stored worker is in (null: no such worker). */
  workerGrid(id: string): string | null;
  /** An account by username: whether it holds the field_worker role, and the worker it is linked to. */
  account(username: string): { id: string; fieldWorker: boolean; workerId: string | null } | null;
}

/** Who runs the import: null for the administrator (data:import, every sheet, every town); else the grid office's towns (null: all of them). */
export interface RosterCaller {
  /** Only the workers sheet, and only rows whose grid lies in these towns (null: every town). */
  workersOnly: { towns: string[] | null };
}

export interface RosterPlan {
  report: RosterImportReport;
  workers: WorkerRow[];
  roster: RosterRow[];
  teams: TeamRow[];
}

/** A file that cannot be read as a table at all. */
export class RosterFileError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'encoding',
    detail: string,
  ) {
    super(detail);
  }
}

type Field = { key: string; headers: readonly string[]; required: boolean };

/** The documented columns (docs/IMPORT.md): English keys or the Chinese headers a county's sheet has. */
const COLUMNS: Record<RosterKind, readonly Field[]> = {
  workers: [
    { key: 'id', headers: ['id', '工号', '人员编号', '编号'], required: true },
    { key: 'name', headers: ['name', '姓名'], required: true },
    { key: 'gender', headers: ['gender', '性别'], required: true },
    { key: 'birth_year', headers: ['birth_year', '出生年份', '出生年'], required: true },
    { key: 'education', headers: ['education', '学历'], required: true },
    { key: 'phone', headers: ['phone', '手机', '手机号', '联系电话'], required: true },
    { key: 'employment', headers: ['employment', '专兼职', '用工性质'], required: true },
    { key: 'grid_code', headers: ['grid_code', '网格编码', '所属网格编码'], required: true },
    // optional (issue 16): a file without them imports as before
    { key: 'grade', headers: ['grade', '等级', '薪酬档次', '薪酬等级'], required: false },
    { key: 'status', headers: ['status', '状态', '在岗状态'], required: false },
    { key: 'started_on', headers: ['started_on', '入职日期'], required: false },
    { key: 'left_on', headers: ['left_on', '离职日期'], required: false },
    { key: 'team_id', headers: ['team_id', '所属队伍', '所属队伍编号'], required: false },
    { key: 'micro_grid_codes', headers: ['micro_grid_codes', '服务微网格编码', '服务微网格'], required: false },
    { key: 'account', headers: ['account', '登录账号', '账号'], required: false },
  ],
  roster: [
    { key: 'micro_grid_code', headers: ['micro_grid_code', '微网格编码'], required: true },
    { key: 'role', headers: ['role', '角色', '职责'], required: true },
    { key: 'person_id', headers: ['person_id', '人员编号', '工号', '编号'], required: true },
    { key: 'name', headers: ['name', '姓名'], required: true },
    { key: 'phone', headers: ['phone', '手机', '手机号', '联系电话'], required: true },
  ],
  teams: [
    { key: 'id', headers: ['id', '队伍编号', '编号'], required: true },
    { key: 'type', headers: ['type', '类型', '队伍类型'], required: true },
    { key: 'name', headers: ['name', '名称', '队伍名称'], required: true },
    { key: 'home_code', headers: ['home_code', '驻地编码', '驻地区域编码', '区域编码'], required: true },
    { key: 'members', headers: ['members', '人数'], required: true },
    { key: 'leader_name', headers: ['leader_name', '队长', '负责人'], required: true },
    { key: 'leader_phone', headers: ['leader_phone', '队长手机', '负责人电话'], required: true },
  ],
};

/** Sheet names that say what a sheet holds. */
const SHEET_NAMES: Record<RosterKind, readonly string[]> = {
  workers: ['workers', '网格员'],
  roster: ['roster', '5包1', '五包一'],
  teams: ['teams', '队伍'],
};

const GENDER: Record<string, 'F' | 'M'> = { 男: 'M', m: 'M', male: 'M', 女: 'F', f: 'F', female: 'F' };
const EDUCATION: Record<string, string> = {
  初中及以下: 'junior_high', 初中: 'junior_high', 小学: 'junior_high', junior_high: 'junior_high',
  高中: 'senior_high', 中专: 'senior_high', '高中/中专': 'senior_high', 职高: 'senior_high', senior_high: 'senior_high',
  大专: 'junior_college', junior_college: 'junior_college',
  本科: 'bachelor', 本科及以上: 'bachelor', 研究生: 'bachelor', 硕士: 'bachelor', 博士: 'bachelor', bachelor: 'bachelor',
};
const STATUS: Record<string, WorkerStatus> = { 在岗: 'active', active: 'active', 请假: 'on_leave', 休假: 'on_leave', on_leave: 'on_leave', 离职: 'left', 已离职: 'left', left: 'left' };
/** YYYY-MM-DD (or with / or . between), a real day between 1950 and 2100. */
function isoDay(v: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day || day < '1950-01-01' || day > '2100-12-31') return null;
  return day;
}
const EMPLOYMENT: Record<string, 'full_time' | 'part_time'> = { 专职: 'full_time', 全职: 'full_time', full_time: 'full_time', 兼职: 'part_time', part_time: 'part_time' };
const ROLE: Record<string, RosterRole> = {
  镇街干部: 'town_cadre', 镇街道干部: 'town_cadre', 乡镇干部: 'town_cadre', town_cadre: 'town_cadre',
  医务人员: 'medical_worker', 基层医务人员: 'medical_worker', 医生: 'medical_worker', medical_worker: 'medical_worker',
  社区民警: 'community_police', 民警: 'community_police', community_police: 'community_police',
  单元长: 'unit_leader', unit_leader: 'unit_leader',
  单元协理员: 'unit_assistant', 协理员: 'unit_assistant', unit_assistant: 'unit_assistant',
};
const TEAM_TYPE: Record<string, TeamType> = Object.fromEntries(
  TEAM_TYPES.flatMap((t) => [[t, t], [TEAM_TYPE_LABELS[t]['zh-CN'], t], [TEAM_TYPE_LABELS[t].en.toLowerCase(), t]]),
);
/** Mobile (11 digits) or a landline with area code. */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

interface Sheet {
  name: string;
  headers: string[];
  /** Row number as the file shows it, and the cells by column. */
  rows: Array<{ row: number; cells: string[] }>;
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  // a date cell of a spreadsheet (exceljs reads it as midnight UTC of the day shown)
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('').trim();
    if (o.result !== undefined) return cell(o.result);
    if (typeof o.text === 'string') return o.text.trim();
  }
  return String(v).trim();
};

/**
 * Decodes CSV text: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK (what
 * Excel for Chinese Windows saves "CSV" as). Invalid UTF-8 is a cheap, reliable sign of GBK;
 * the GBK decoding is then checked for replacement characters.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: string } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: bom ? 'UTF-8 (BOM)' : 'UTF-8' };
  } catch {
    const text = new TextDecoder('gbk').decode(bytes);
    if (text.includes('\uFFFD')) throw new RosterFileError('encoding', 'neither UTF-8 nor GBK; save the file as UTF-8 CSV');
    return { text, encoding: 'GBK' };
  }
}

async function readSheets(bytes: Uint8Array, fileName: string): Promise<{ sheets: Sheet[]; encoding: string }> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    // exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
    const book = new (await import('exceljs')).default.Workbook();
    try {
      await book.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
    } catch (err) {
      throw new RosterFileError('unreadable', (err as Error).message);
    }
    const sheets: Sheet[] = [];
    book.eachSheet((ws) => {
      const headerRow = ws.getRow(1);
      const headers: string[] = [];
      headerRow.eachCell({ includeEmpty: true }, (c, col) => (headers[col - 1] = cell(c.value)));
      const rows: Sheet['rows'] = [];
      ws.eachRow({ includeEmpty: false }, (r, n) => {
        if (n === 1) return;
        const cells = headers.map((_, i) => cell(r.getCell(i + 1).value));
        if (cells.some((c) => c !== '')) rows.push({ row: n, cells });
      });
      sheets.push({ name: ws.name, headers: headers.map((h) => h ?? ''), rows });
    });
    return { sheets, encoding: 'XLSX' };
  }
  const { text, encoding } = decodeCsv(bytes);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const [head, ...body] = parsed.data;
  // Papa reports no row numbers; a record's line is recovered by counting (quoted newlines aside, one row a line).
  return {
    sheets: [{ name: fileName, headers: (head ?? []).map((h) => h.trim()), rows: body.map((cells, i) => ({ row: i + 2, cells: cells.map((c) => c.trim()) })) }],
    encoding,
  };
}

function columnsFor(kind: RosterKind, headers: string[]): Map<string, number> {
  const at = new Map<string, number>();
  const lower = headers.map((h) => h.toLowerCase());
  for (const f of COLUMNS[kind]) {
    const i = lower.findIndex((h) => f.headers.some((name) => name.toLowerCase() === h));
    if (i >= 0) at.set(f.key, i);
  }
  return at;
}

function kindOf(sheet: Sheet, asked: RosterKind | undefined): RosterKind | null {
  if (asked) return asked;
  for (const kind of ROSTER_KINDS) if (SHEET_NAMES[kind].some((n) => sheet.name.toLowerCase().replace(/\.(csv|txt)$/, '') === n.toLowerCase())) return kind;
  // the kind whose required columns are all present
  const complete = ROSTER_KINDS.filter((kind) => {
    const at = columnsFor(kind, sheet.headers);
    return COLUMNS[kind].every((f) => !f.required || at.has(f.key));
  });
  return complete.length === 1 ? complete[0]! : null;
}

/**
 * Validates a roster file (CSV or XLSX; a workbook may hold workers, 5包1 and teams on their
 * own sheets) and plans an upsert: workers and teams by id, the 5包1 roster by micro-grid and
 * role. Nothing is removed. Every problem names its sheet, row and column.
 */
export async function planRosterImport(bytes: Uint8Array, fileName: string, asked: RosterKind | undefined, db: RosterLookup, caller: RosterCaller | null = null): Promise<RosterPlan> {
  const { sheets, encoding } = await readSheets(bytes, fileName);
  const problems: RosterProblem[] = [];
  const plan: RosterPlan = { report: { kind: 'roster', encoding, sheets: [], problems }, workers: [], roster: [], teams: [] };
  for (const sheet of sheets) {
    const kind = kindOf(sheet, asked);
    // the grid office imports its workers only: other sheets of a workbook are left alone
    if (caller && kind !== null && kind !== 'workers') continue;
    if (!kind) {
      if (sheets.length === 1) problems.push({ sheet: asked ?? 'workers', row: 1, field: null, problem: 'unknown_header', value: sheet.headers.join(', ') });
      continue;
    }
    const at = columnsFor(kind, sheet.headers);
    const missing = COLUMNS[kind].filter((f) => f.required && !at.has(f.key));
    for (const f of missing) problems.push({ sheet: kind, row: 1, field: f.key, problem: 'required', value: `${f.headers.join(' / ')}` });
    if (missing.length > 0) continue;
    if (sheet.rows.length === 0) problems.push({ sheet: kind, row: null, field: null, problem: 'no_rows', value: sheet.name });
    const seen = new Map<string, number>();
    /** Accounts claimed by rows of this sheet: account id → worker id. */
    const claimed = new Map<string, string>();
    /** Workers of the file whose row names an account (they give up any other). */
    const fileWorkers = new Set(kind === 'workers' && at.has('account') ? sheet.rows.map(({ cells }) => cells[at.get('id')!] ?? '') : []);
    let inserts = 0;
    let updates = 0;
    for (const { row, cells } of sheet.rows) {
      const before = problems.length;
      const get = (key: string) => cells[at.get(key)!] ?? '';
      // the column as the file names it, so the report points at what the user sees
      const bad = (field: string, problem: RosterProblem['problem'], value: string | null = get(field)) =>
        problems.push({ sheet: kind, row, field: sheet.headers[at.get(field)!] ?? field, problem, value });
      const need = (key: string) => {
        const v = get(key);
        if (!v) bad(key, 'required', null);
        return v;
      };
      const mapped = <T>(key: string, table: Record<string, T>): T | null => {
        const v = need(key);
        if (!v) return null;
        const hit = table[v] ?? table[v.toLowerCase()];
        if (hit === undefined) bad(key, 'bad_value');
        return hit ?? null;
      };
      const phone = (key: string) => {
        const v = need(key).replace(/\s/g, '');
        if (v && !PHONE.test(v)) bad(key, 'bad_value');
        return v;
      };
      const region = (key: string, levels: readonly string[]) => {
        const v = need(key);
        const id = v ? db.regionId(v, levels) : null;
        if (v && !id) bad(key, 'unknown_region');
        return id;
      };
      const once = (key: string, value: string, field: string) => {
        if (!value) return;
        const first = seen.get(key);
        if (first !== undefined) bad(field, 'duplicate', `${value} (#${first})`);
        else seen.set(key, row);
      };
      if (kind === 'workers') {
        const id = need('id');
        once(id, id, 'id');
        const name = need('name');
        const gender = mapped('gender', GENDER);
        const yearText = need('birth_year');
        const birthYear = Number(yearText);
        if (yearText && (!/^\d{4}$/.test(yearText) || birthYear < 1930 || birthYear > 2010)) bad('birth_year', 'bad_value');
        const education = mapped('education', EDUCATION);
        const tel = phone('phone');
        const employment = mapped('employment', EMPLOYMENT);
        const gridId = region('grid_code', ['grid']);
        const scope = caller?.workersOnly.towns;
        if (scope) {
          // the grid office's own towns only: the row's grid, and where a stored worker is now (no taking another town's worker)
          const outside = (grid: string | null) => grid !== null && !scope.includes(db.townOfGrid(grid) ?? '');
          if (gridId && outside(gridId)) bad('grid_code', 'outside_scope');
          else if (id && outside(db.workerGrid(id))) bad('id', 'outside_scope');
        }
        const extra = workerExtras(id, gridId, { has: (k) => at.has(k), get, bad }, db, claimed, fileWorkers);
        if (problems.length === before) {
          if (db.workerExists(id)) updates++;
          else inserts++;
          plan.workers.push({ id, name, gender: gender!, birthYear, education: education!, phone: tel, employment: employment!, gridId: gridId!, ...extra });
        }
      } else if (kind === 'roster') {
        const microGridId = region('micro_grid_code', ['microgrid']);
        const role = mapped('role', ROLE);
        once(`${get('micro_grid_code')}|${role ?? get('role')}`, `${get('micro_grid_code')} ${get('role')}`, 'role');
        const personId = need('person_id');
        const name = need('name');
        const tel = phone('phone');
        if (problems.length === before) {
          if (db.rosterExists(microGridId!, role!)) updates++;
          else inserts++;
          plan.roster.push({ microGridId: microGridId!, role: role!, personId, name, phone: tel });
        }
      } else {
        const id = need('id');
        once(id, id, 'id');
        const type = mapped('type', TEAM_TYPE);
        const name = need('name');
        const homeRegionId = region('home_code', ['county', 'town', 'village', 'grid']);
        const membersText = need('members');
        const members = Number(membersText);
        if (membersText && (!/^\d{1,4}$/.test(membersText) || members < 1)) bad('members', 'bad_value');
        const leaderName = need('leader_name');
        const leaderPhone = phone('leader_phone');
        if (problems.length === before) {
          if (db.teamExists(id)) updates++;
          else inserts++;
          plan.teams.push({ id, type: type!, name, homeRegionId: homeRegionId!, members, leaderName, leaderPhone });
        }
      }
    }
    plan.report.sheets.push({ kind, rows: sheet.rows.length, inserts, updates });
  }
  if (plan.report.sheets.length === 0 && problems.length === 0) problems.push({ sheet: asked ?? 'workers', row: null, field: null, problem: 'no_rows', value: fileName });
  return plan;
}

interface RowAccess {
  has(key: string): boolean;
  get(key: string): string;
  bad(field: string, problem: RosterProblem['problem'], value?: string | null): unknown;
}

/**
 * The optional record columns of a workers row (issue 16), each checked on its own: a bad value
 * is a problem of the row naming the column. Returns only the columns the sheet has.
 */
function workerExtras(
  id: string,
  gridId: string | null,
  row: RowAccess,
  db: RosterLookup,
  claimed: Map<string, string>,
  fileWorkers: ReadonlySet<string>,
): Partial<WorkerRow> {
  const out: Partial<WorkerRow> = {};
  const { has, get, bad } = row;
  if (has('grade')) {
    const v = get('grade').replace(/[档级]$/, '');
    if (v === '') out.grade = null;
    else if (/^[1-5]$/.test(v)) out.grade = Number(v);
    else bad('grade', 'bad_value');
  }
  if (has('status')) {
    const v = get('status');
    const hit = v === '' ? null : (STATUS[v] ?? STATUS[v.toLowerCase()]);
    if (hit === undefined) bad('status', 'bad_value');
    else out.status = hit;
  }
  const day = (key: string) => {
    if (!has(key)) return undefined;
    const v = get(key);
    if (v === '') return null;
    const d = isoDay(v);
    if (d === null) bad(key, 'bad_value');
    return d;
  };
  const startedOn = day('started_on');
  const leftOn = day('left_on');
  if (startedOn !== undefined) out.startedOn = startedOn;
  if (leftOn !== undefined) out.leftOn = leftOn;
  // a worker who left has a leaving date, and only they have one, not before the start
  if (out.status === 'left' && !leftOn && !(has('left_on') && get('left_on'))) bad(has('left_on') ? 'left_on' : 'status', 'left_on_required', get('status'));
  if (leftOn && (!has('status') || (out.status !== undefined && out.status !== 'left'))) bad('left_on', 'left_on_not_left');
  if (leftOn && startedOn && leftOn < startedOn) bad('left_on', 'date_order', `${startedOn} > ${leftOn}`);
  if (has('team_id')) {
    const v = get('team_id');
    if (v === '') out.teamId = null;
    else if (!db.teamExists(v)) bad('team_id', 'unknown_team');
    else out.teamId = v;
  }
  if (has('micro_grid_codes')) {
    const codes = [...new Set(get('micro_grid_codes').split(/[;；、,，\s]+/).filter(Boolean))];
    const ids: string[] = [];
    for (const code of codes) {
      const m = db.microGrid(code);
      if (!m || (gridId !== null && m.gridId !== gridId)) bad('micro_grid_codes', 'micro_grid_outside', code);
      else ids.push(m.id);
    }
    out.microGridIds = ids.sort();
  }
  if (has('account')) {
    const v = get('account');
    if (v === '') out.userId = null;
    else {
      const account = db.account(v);
      if (!account || !account.fieldWorker) bad('account', 'unknown_account');
      else if (
        (claimed.has(account.id) && claimed.get(account.id) !== id) ||
        (account.workerId !== null && account.workerId !== id && !fileWorkers.has(account.workerId))
      ) {
        bad('account', 'account_taken');
      } else {
        claimed.set(account.id, id);
        out.userId = account.id;
      }
    }
  }
  return out;
}
