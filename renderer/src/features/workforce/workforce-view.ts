import type { ApiFieldError } from '../../../../shared/contracts/errors.js';
import {
  EMPLOYMENTS,
  WORKER_STATUSES,
  type Employment,
  type WorkerGrade,
  type WorkerPatch,
  type WorkerRecord,
  type WorkerStatus,
} from '../../../../shared/contracts/workforce.js';

/** The worker list's filters as the screen keeps them: '' for "any". */
export interface WorkerFilters {
  town: string;
  status: WorkerStatus | '';
  employment: Employment | '';
  grade: string;
  q: string;
  page: number;
}

export const NO_FILTERS: WorkerFilters = { town: '', status: '', employment: '', grade: '', q: '', page: 1 };
export const PAGE_SIZE = 50;

/** The query of `GET /workforce/workers` for the filters: empty ones left out, the search trimmed. */
export function workerListQuery(f: WorkerFilters): Record<string, string | undefined> {
  const q = f.q.trim();
  return {
    town: f.town || undefined,
    status: f.status || undefined,
    employment: f.employment || undefined,
    grade: f.grade || undefined,
    q: q ? q.slice(0, 64) : undefined,
    page: String(f.page),
    pageSize: String(PAGE_SIZE),
  };
}

/** The filters a deep link names (`/workforce?town=…&status=…`); unknown values are ignored. */
export function filtersFromSearch(search: URLSearchParams): WorkerFilters {
  const status = search.get('status') ?? '';
  const employment = search.get('employment') ?? '';
  const grade = search.get('grade') ?? '';
  const town = search.get('town') ?? '';
  return {
    town: /^\d{9}$/.test(town) ? town : '',
    status: (WORKER_STATUSES as readonly string[]).includes(status) ? (status as WorkerStatus) : '',
    employment: (EMPLOYMENTS as readonly string[]).includes(employment) ? (employment as Employment) : '',
    grade: /^[1-5]$/.test(grade) ? grade : '',
    q: (search.get('q') ?? '').slice(0, 64),
    page: 1,
  };
}

/** Rows shown on a page (1-based, inclusive) and the number of pages; 0–0 of an empty list. */
export function pageWindow(total: number, page: number, pageSize: number): { from: number; to: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total === 0) return { from: 0, to: 0, pages };
  const from = (page - 1) * pageSize + 1;
  return { from: Math.min(from, total), to: Math.min(page * pageSize, total), pages };
}

/** What the edit form holds: strings as the fields give them. */
export interface WorkerDraft {
  grade: string;
  status: WorkerStatus;
  leftOn: string;
  teamId: string;
  microGridIds: readonly string[];
  reason: string;
}

export function draftOf(w: WorkerRecord): WorkerDraft {
  return {
    grade: String(w.grade),
    status: w.status,
    leftOn: w.leftOn ?? '',
    teamId: w.team?.id ?? '',
    microGridIds: w.microGrids.map((m) => m.id),
    reason: '',
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The PATCH body for what the form changed (only the changed fields, so the audit trail names
 * exactly those), or null when nothing changed. Leaving `left` without a date is the server's
 * to refuse; the form says it first (`leftOnProblem`).
 */
export function patchOf(w: WorkerRecord, d: WorkerDraft): WorkerPatch | null {
  const patch: WorkerPatch = {};
  const grade = Number(d.grade) as WorkerGrade;
  if (grade !== w.grade) patch.grade = grade;
  if (d.status !== w.status) patch.status = d.status;
  // Returning from `left` clears the date on the server: only a leaving worker's date is sent.
  if (d.status === 'left' && (d.leftOn || null) !== w.leftOn) patch.leftOn = d.leftOn || null;
  const teamId = d.teamId || null;
  if (teamId !== (w.team?.id ?? null)) patch.teamId = teamId;
  if (!sameSet(d.microGridIds, w.microGrids.map((m) => m.id))) patch.microGridIds = [...d.microGridIds];
  if (Object.keys(patch).length === 0) return null;
  const reason = d.reason.trim();
  if (reason) patch.reason = reason.slice(0, 500);
  return patch;
}

/** The form's own check before sending: a worker who left needs the day they left. */
export function leftOnProblem(d: WorkerDraft): boolean {
  return d.status === 'left' && !/^\d{4}-\d{2}-\d{2}$/.test(d.leftOn);
}

/**
 * The server's field errors by the form's field names (`microGridIds.2` → `microGridIds`), the
 * first message of each; the body-level ones (no field) under `''`.
 */
export function fieldErrorsByName(fields: readonly ApiFieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const name = f.field.split('.')[0] ?? '';
    out[name] ??= f.message;
  }
  return out;
}

/* ------------------------------------------------------------------------------ periods and figures */

/** `YYYY-MM-DD` of a date in the county's zone (UTC+8, no daylight saving). */
export function countyDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export type PeriodPreset = 'last30' | 'thisMonth' | 'lastMonth' | 'quarter';

/** A preset period ending no later than `today` (county days, inclusive). */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const day = (yy: number, mm: number, dd: number) => `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  if (preset === 'last30') return { from: new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10), to: today };
  if (preset === 'thisMonth') return { from: day(y, m, 1), to: today };
  if (preset === 'lastMonth') {
    const py = m === 1 ? y - 1 : y;
    const pm = m === 1 ? 12 : m - 1;
    const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
    return { from: day(py, pm, 1), to: day(py, pm, last) };
  }
  const qm = Math.floor((m - 1) / 3) * 3 + 1;
  return { from: day(y, qm, 1), to: today };
}

/** Minutes as whole hours and the rest. */
export function hoursAndMinutes(minutes: number): { h: number; m: number } {
  const total = Math.max(0, Math.round(minutes));
  return { h: Math.floor(total / 60), m: total % 60 };
}

/** Metres as kilometres with one decimal. */
export function kilometres(metres: number): string {
  return (Math.max(0, metres) / 1000).toFixed(1);
}

/** A share as a whole percent, or null where there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 100) : null;
}

/** A figure that may be missing (no households served): one decimal, or the dash. */
export function decimal(value: number | null | undefined, dash: string): string {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : value.toFixed(1);
}

/** A day or instant shown as its county day (`2026-12-04`). */
export function dayText(value: string | null | undefined, dash: string): string {
  if (!value) return dash;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : countyDay(at);
}

/** Lines of a textarea, trimmed, blank ones dropped. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** "姓名 角色" lines as participants: the first word is the name, the rest the role. */
export function participantsOf(text: string): Array<{ name: string; role: string }> {
  return linesOf(text).map((line) => {
    const [name = '', ...rest] = line.split(/\s+/);
    return { name, role: rest.join(' ') };
  });
}

/** States in which a case is over (closed or not taken on): the rest are still being worked. */
const ENDED = new Set(['closed', 'rejected', 'void', 'merged']);
export function taskIsOpen(status: string): boolean {
  return !ENDED.has(status);
}

/** The export's file name: `网格员_2026-12-04.xlsx`, with the town's code when one is filtered. */
export function exportFileName(format: 'xlsx' | 'csv', today: string, town: string): string {
  return `网格员_${town ? `${town}_` : ''}${today}.${format}`;
}

/**
 * The grids a meeting may be recorded for: those whose village lies in one of `towns` (the
 * user's), labelled `town › village › grid`, in code order.
 */
export function gridChoices(
  grids: ReadonlyArray<{ id: string; code: string; name: string; parentId: string }>,
  villages: ReadonlyArray<{ id: string; name: string; parentId: string }>,
  towns: ReadonlyArray<{ id: string; name: string }>,
): Array<{ id: string; label: string }> {
  const townName = new Map(towns.map((t) => [t.id, t.name]));
  const village = new Map(villages.map((v) => [v.id, v]));
  const out: Array<{ id: string; code: string; label: string }> = [];
  for (const g of grids) {
    const v = village.get(g.parentId);
    const town = v ? townName.get(v.parentId) : undefined;
    if (v && town !== undefined) out.push({ id: g.id, code: g.code, label: `${town} › ${v.name} › ${g.name}` });
  }
  return out.sort((a, b) => a.code.localeCompare(b.code)).map(({ id, label }) => ({ id, label }));
}
