import { addYears } from '../../../../shared/domain/calendar-days.js';
import type { AgeBandCounts, CompositionFigures, CompositionResponse, EducationCounts, GradeCounts } from '../../../../shared/contracts/training.js';
import { AGE_BANDS, EDUCATIONS, WORKER_GRADES, ageBandOf, type Employment, type WorkerStatus } from '../../../../shared/contracts/workforce.js';
import { percent, roundHours } from '../training/training-progress.js';

/**
 * The workforce's composition on a day (issue 16 part 5), from the workers' rows (pure).
 *
 * - In service on day d: started by d (`started_on` null or ≤ d) and not left by d (`left_on`
 *   null or after d; a worker whose status is `left` without a date counts as left all along).
 * - Structure (employment, grade, age band, education) counts the workers in service on asOf; age
 *   is asOf's year − birth year (`ageBandOf`).
 * - Turnover = workers who left in the 12 months up to asOf (`left_on` in (asOf − 1 year, asOf])
 *   ÷ the average headcount ((in service on asOf − 1 year + in service on asOf) / 2), in percent.
 * - Trained: workers in service whose hours (sessions held from 1 January of asOf's year up to
 *   asOf) meet the yearly requirement.
 */

export interface CompositionWorkerRow {
  id: string;
  townId: string;
  employment: Employment;
  grade: number;
  status: WorkerStatus;
  startedOn: string | null;
  leftOn: string | null;
  birthYear: number;
  education: string;
}

export function leftBy(w: Pick<CompositionWorkerRow, 'status' | 'leftOn'>, day: string): boolean {
  if (w.leftOn !== null) return w.leftOn <= day;
  return w.status === 'left';
}

export function inServiceOn(w: Pick<CompositionWorkerRow, 'status' | 'leftOn' | 'startedOn'>, day: string): boolean {
  return (w.startedOn === null || w.startedOn <= day) && !leftBy(w, day);
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function compositionOf(workers: readonly CompositionWorkerRow[], opts: { asOf: string; hours: ReadonlyMap<string, number>; required: number }): CompositionFigures {
  const year = Number(opts.asOf.slice(0, 4));
  const start = addYears(opts.asOf, -1);
  const grades = zeros(WORKER_GRADES.map(String)) as GradeCounts;
  const ageBands = zeros(AGE_BANDS) as AgeBandCounts;
  const education = zeros([...EDUCATIONS, 'other'] as const) as EducationCounts;
  let count = 0;
  let onLeave = 0;
  let fullTime = 0;
  let trained = 0;
  let headcountStart = 0;
  let left = 0;
  for (const w of workers) {
    if (inServiceOn(w, start)) headcountStart++;
    if (w.leftOn !== null && w.leftOn > start && w.leftOn <= opts.asOf) left++;
    if (!inServiceOn(w, opts.asOf)) continue;
    count++;
    if (w.status === 'on_leave') onLeave++;
    if (w.employment === 'full_time') fullTime++;
    const grade = String(w.grade) as keyof GradeCounts;
    if (grade in grades) grades[grade]++;
    ageBands[ageBandOf(w.birthYear, year)]++;
    const edu = (EDUCATIONS as readonly string[]).includes(w.education) ? (w.education as keyof EducationCounts) : 'other';
    education[edu]++;
    if ((opts.hours.get(w.id) ?? 0) >= opts.required) trained++;
  }
  const aged50Plus = ageBands['50_59'] + ageBands['60_plus'];
  const averageHeadcount = roundHours((headcountStart + count) / 2);
  return {
    workers: count,
    active: count - onLeave,
    onLeave,
    fullTime,
    partTime: count - fullTime,
    fullTimeShare: percent(fullTime, count),
    grades,
    ageBands,
    aged50Plus,
    aged50PlusShare: percent(aged50Plus, count),
    education,
    turnover: { left, headcountStart, headcountEnd: count, averageHeadcount, rate: averageHeadcount === 0 ? null : Math.round((left / averageHeadcount) * 1000) / 10 },
    trained,
    trainedShare: percent(trained, count),
  };
}

/** The figures of each town (in the order given) and of all the workers given. */
export function buildComposition(
  workers: readonly CompositionWorkerRow[],
  towns: ReadonlyArray<{ id: string; name: string }>,
  opts: { asOf: string; hours: ReadonlyMap<string, number>; required: number },
): CompositionResponse {
  const byTown = new Map<string, CompositionWorkerRow[]>(towns.map((t) => [t.id, []]));
  for (const w of workers) byTown.get(w.townId)?.push(w);
  return {
    asOf: opts.asOf,
    year: Number(opts.asOf.slice(0, 4)),
    requiredHours: opts.required,
    towns: towns.map((t) => ({ town: { id: t.id, name: t.name }, ...compositionOf(byTown.get(t.id) ?? [], opts) })),
    total: compositionOf(workers, opts),
  };
}
