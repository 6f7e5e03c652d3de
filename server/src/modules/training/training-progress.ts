import {
  TRAINING_SUBJECTS,
  type HoursBySubject,
  type TrainingProgressResponse,
  type TrainingSubject,
  type TrainingTotals,
  type WorkerTrainingProgress,
} from '../../../../shared/contracts/training.js';
import type { Employment, WorkerStatus } from '../../../../shared/contracts/workforce.js';

/**
 * Training progress from rows (pure): a worker's hours in a year are the sum of their attendance
 * hours at sessions held in it, by the course's subject; behind when under the yearly requirement.
 */

/** Hours are kept to two decimals: sums of quarter hours never show float noise. */
export const roundHours = (n: number): number => Math.round(n * 100) / 100;

/** A percentage with one decimal, null without a denominator. */
export const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

export function noHours(): HoursBySubject {
  return Object.fromEntries(TRAINING_SUBJECTS.map((s) => [s, 0])) as HoursBySubject;
}

export interface ProgressWorkerRow {
  id: string;
  name: string;
  townId: string;
  townName: string;
  gridId: string;
  gridName: string;
  employment: Employment;
  status: WorkerStatus;
}

export interface HoursRow {
  workerId: string;
  subject: TrainingSubject;
  hours: number;
}

/** Hours by worker and subject from summed rows (a worker without rows has none). */
export function hoursByWorker(rows: readonly HoursRow[]): Map<string, HoursBySubject> {
  const out = new Map<string, HoursBySubject>();
  for (const r of rows) {
    const by = out.get(r.workerId) ?? noHours();
    by[r.subject] = roundHours(by[r.subject] + r.hours);
    out.set(r.workerId, by);
  }
  return out;
}

export function workerProgress(w: ProgressWorkerRow, bySubject: HoursBySubject, required: number, certificates: number): WorkerTrainingProgress {
  const hours = roundHours(TRAINING_SUBJECTS.reduce((s, k) => s + bySubject[k], 0));
  const behind = hours < required;
  return {
    workerId: w.id,
    name: w.name,
    town: { id: w.townId, name: w.townName },
    grid: { id: w.gridId, name: w.gridName },
    employment: w.employment,
    status: w.status,
    hours,
    bySubject,
    required,
    behind,
    shortBy: behind ? roundHours(required - hours) : 0,
    certificates,
  };
}

export function totalsOf(rows: readonly WorkerTrainingProgress[]): TrainingTotals {
  const bySubject = noHours();
  let hours = 0;
  let behind = 0;
  let certificates = 0;
  for (const r of rows) {
    hours += r.hours;
    for (const s of TRAINING_SUBJECTS) bySubject[s] = roundHours(bySubject[s] + r.bySubject[s]);
    if (r.behind) behind++;
    certificates += r.certificates;
  }
  const workers = rows.length;
  return {
    workers,
    hours: roundHours(hours),
    averageHours: workers === 0 ? 0 : roundHours(hours / workers),
    bySubject,
    behind,
    met: workers - behind,
    metShare: percent(workers - behind, workers),
    certificates,
  };
}

/** The progress answer: every worker (in the order given), the totals of each town (by the order of their first worker) and of all. */
export function buildProgress(input: {
  year: number;
  required: number;
  workers: readonly ProgressWorkerRow[];
  hours: readonly HoursRow[];
  certificates: ReadonlyMap<string, number>;
}): TrainingProgressResponse {
  const byWorker = hoursByWorker(input.hours);
  const workers = input.workers.map((w) => workerProgress(w, byWorker.get(w.id) ?? noHours(), input.required, input.certificates.get(w.id) ?? 0));
  const towns = new Map<string, { name: string; rows: WorkerTrainingProgress[] }>();
  for (const w of workers) {
    const t = towns.get(w.town.id) ?? { name: w.town.name, rows: [] };
    t.rows.push(w);
    towns.set(w.town.id, t);
  }
  return {
    year: input.year,
    required: input.required,
    workers,
    towns: [...towns].map(([id, t]) => ({ town: { id, name: t.name }, ...totalsOf(t.rows) })),
    total: totalsOf(workers),
  };
}
