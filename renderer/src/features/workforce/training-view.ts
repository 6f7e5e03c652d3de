import type { ApiFieldError } from '../../../../shared/contracts/errors.js';
import type { AttendanceBody, TrainingAttendanceRow } from '../../../../shared/contracts/training.js';

/** Hours typed into a field: a positive number, or null (empty, not a number, 0 or less). */
export function hoursOf(text: string): number | null {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) && n > 0 ? n : null;
}

/** A test's result as the attendance form offers it: passed, failed, or no test. */
export type PassedChoice = 'passed' | 'failed' | 'none';
export const PASSED_CHOICES: readonly PassedChoice[] = ['passed', 'failed', 'none'];

export function passedOf(choice: PassedChoice): boolean | null {
  return choice === 'none' ? null : choice === 'passed';
}

export function choiceOf(passed: boolean | null): PassedChoice {
  return passed === null ? 'none' : passed ? 'passed' : 'failed';
}

/** One worker in the attendance form, before saving: hours as typed. */
export interface AttendanceDraftRow {
  workerId: string;
  name: string;
  townId: string;
  hours: string;
  passed: PassedChoice;
}

/** A recorded row taken back into the form, to change its hours or result. */
export function draftRowOf(row: TrainingAttendanceRow): AttendanceDraftRow {
  return { workerId: row.workerId, name: row.name, townId: row.townId, hours: String(row.hours), passed: choiceOf(row.passed) };
}

/**
 * The PUT body of the form's rows, or the workers whose hours are not a number (0 is a number:
 * present but not credited). Hours over the session's are the server's to refuse, row by row.
 */
export function attendanceBodyOf(rows: readonly AttendanceDraftRow[]): { body: AttendanceBody } | { missingHours: string[] } {
  const missingHours = rows.filter((r) => r.hours.trim() === '' || !Number.isFinite(Number(r.hours))).map((r) => r.workerId);
  if (missingHours.length > 0) return { missingHours };
  return { body: rows.map((r) => ({ workerId: r.workerId, hours: Number(r.hours), passed: passedOf(r.passed) })) };
}

/** The server's word on one sent row, by the row's field (`workerId`, `hours`, `passed`; `row` for the rest). */
export type RowErrors = Partial<Record<'workerId' | 'hours' | 'passed' | 'row', string>>;

/**
 * The refusal of an attendance body (`0.workerId`, `2.hours`…) by worker, through the rows that
 * were sent (the form may have changed since); what names no row is `general`.
 */
export function attendanceErrors(fields: readonly ApiFieldError[], sent: ReadonlyArray<{ workerId: string }>): { byWorker: Map<string, RowErrors>; general: string[] } {
  const byWorker = new Map<string, RowErrors>();
  const general: string[] = [];
  for (const f of fields) {
    const [index, name] = f.field.split('.');
    const row = /^\d+$/.test(index ?? '') ? sent[Number(index)] : undefined;
    if (!row) {
      general.push(f.message);
      continue;
    }
    const key = name === 'workerId' || name === 'hours' || name === 'passed' ? name : 'row';
    const errors = byWorker.get(row.workerId) ?? {};
    errors[key] = errors[key] ? `${errors[key]}；${f.message}` : f.message;
    byWorker.set(row.workerId, errors);
  }
  return { byWorker, general };
}
