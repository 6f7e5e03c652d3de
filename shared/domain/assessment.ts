import type { AssessmentWeights, Rating } from '../contracts/assessment.js';
import type { WorkerActivity } from '../contracts/workforce.js';

export type { AssessmentWeights, Rating };

/**
 * The periodic assessment of grid workers by 德、能、勤、绩 (issue 16 part 4; docs/WORKFORCE.md
 * "Assessment"). 德 (conduct) and 能 (ability) are scored 0–100 by the town's reviewers; 勤
 * (diligence) and 绩 (performance) are computed here from the worker's activity in the period
 * (shared/contracts/workforce.ts WorkerActivity). Pure: the same figures give the same scores.
 */

/** The default weights, in percent: conduct and ability 20 each, diligence and performance 30 each. */
export const DEFAULT_WEIGHTS: AssessmentWeights = { de: 20, neng: 20, qin: 30, ji: 30 };

/** Patrol a worker is expected to do on a working day (minutes): the 勤 score's full mark. */
export const PATROL_MINUTES_PER_WORKING_DAY = 120;

/** Points off the quality part of 绩 for each case sent back for rework or returned. */
export const QUALITY_PENALTY = 5;

/** Rating thresholds on the total: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below. */
export function ratingOf(total: number): Rating {
  if (total >= 90) return 'excellent';
  if (total >= 80) return 'good';
  if (total >= 60) return 'pass';
  return 'fail';
}

const clamp = (v: number, lo = 0, hi = 100) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * 勤 (diligence), 0–100:
 *   50 × min(1, patrol days ÷ working days)
 * + 30 × (micro-grids covered ÷ micro-grids served; the patrol-day share when the worker serves none)
 * + 20 × min(1, patrol minutes ÷ (working days × 120)).
 * A period without working days scores 0.
 */
export function diligenceOf(a: Pick<WorkerActivity, 'patrol'>, workingDays: number): number {
  if (workingDays <= 0) return 0;
  const days = Math.min(1, a.patrol.days / workingDays);
  const coverage = a.patrol.microGridsServed > 0 ? a.patrol.microGridsCovered / a.patrol.microGridsServed : days;
  const time = Math.min(1, a.patrol.minutes / (workingDays * PATROL_MINUTES_PER_WORKING_DAY));
  return round1(clamp(50 * days + 30 * coverage + 20 * time));
}

/**
 * The workload figure 绩 compares: the weighted workload (cases per 100 households × the grid's
 * difficulty), 0 where the worker serves no households.
 */
export function workloadFigure(a: Pick<WorkerActivity, 'workload'>): number {
  return a.workload.weighted ?? 0;
}

/**
 * The reference the workload part of 绩 is measured against: the 90th percentile (nearest rank) of
 * the weighted workload of the workers assessed together (the county), so the busiest tenth score
 * full marks and one outlier does not flatten everyone else. 0 when nobody has any workload.
 */
export function workloadReference(all: readonly Pick<WorkerActivity, 'workload'>[]): number {
  const v = all.map(workloadFigure).sort((x, y) => x - y);
  if (v.length === 0) return 0;
  return v[Math.max(0, Math.ceil(0.9 * v.length) - 1)]!;
}

/**
 * 绩 (performance), 0–100: half workload, half quality.
 *   workload = 100 × min(1, weighted workload ÷ reference) (0 when the reference is 0);
 *   quality  = 100 × on-time closed ÷ closed handled (100 when none were closed)
 *              − 5 per case reworked or returned, at least 0.
 */
export function performanceOf(a: Pick<WorkerActivity, 'workload' | 'handled'>, reference: number): number {
  const workload = reference > 0 ? 100 * Math.min(1, workloadFigure(a) / reference) : 0;
  const onTime = a.handled.closed > 0 ? (100 * a.handled.onTime) / a.handled.closed : 100;
  const quality = clamp(onTime - QUALITY_PENALTY * (a.handled.reworked + a.handled.returned));
  return round1(0.5 * workload + 0.5 * quality);
}

/** The weighted total, or null until 德 and 能 are scored. */
export function totalOf(scores: { de: number | null; neng: number | null; qin: number; ji: number }, w: AssessmentWeights): number | null {
  if (scores.de === null || scores.neng === null) return null;
  return round1((w.de * scores.de + w.neng * scores.neng + w.qin * scores.qin + w.ji * scores.ji) / 100);
}

export function validWeights(w: AssessmentWeights): boolean {
  const parts = [w.de, w.neng, w.qin, w.ji];
  return parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 100) && parts.reduce((s, p) => s + p, 0) === 100;
}

/**
 * Ranks by total, best first (competition ranking: equal totals share a rank, the next rank skips);
 * unscored workers (null) are not ranked. Ties are listed by worker id so the order is stable.
 */
export function rankByTotal<T extends { workerId: string; total: number | null }>(rows: readonly T[]): Map<string, number> {
  const scored = rows.filter((r) => r.total !== null).sort((a, b) => b.total! - a.total! || (a.workerId < b.workerId ? -1 : 1));
  const ranks = new Map<string, number>();
  scored.forEach((r, i) => {
    const prev = scored[i - 1];
    ranks.set(r.workerId, prev && prev.total === r.total ? ranks.get(prev.workerId)! : i + 1);
  });
  return ranks;
}

/** Share of a town's ranked workers the reward list (以奖代补) may propose: rated excellent and within the town's top 10 % (at least one). */
export const REWARD_TOP_SHARE = 0.1;

/** Which list a result proposes the worker for: reward (优秀, town's top tenth), exit review (不合格), or none. */
export function suggestedList(r: { rating: Rating | null; rankTown: number | null }, rankedInTown: number): 'reward' | 'exit_review' | null {
  if (r.rating === 'fail') return 'exit_review';
  if (r.rating === 'excellent' && r.rankTown !== null && r.rankTown <= Math.max(1, Math.floor(REWARD_TOP_SHARE * rankedInTown))) return 'reward';
  return null;
}

/** The quarter holding a China calendar day, as a period id and its first and last day. */
export function quarterOf(day: string): { id: string; startsOn: string; endsOn: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) + 1;
  const first = (q - 1) * 3 + 1;
  const last = first + 2;
  const lastDay = new Date(Date.UTC(y, last, 0)).getUTCDate();
  const mm = (n: number) => String(n).padStart(2, '0');
  return { id: `${y}-Q${q}`, startsOn: `${y}-${mm(first)}-01`, endsOn: `${y}-${mm(last)}-${mm(lastDay)}` };
}
