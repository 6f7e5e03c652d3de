import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  diligenceOf,
  performanceOf,
  quarterOf,
  rankByTotal,
  ratingOf,
  suggestedList,
  totalOf,
  validWeights,
  workloadReference,
} from './assessment.js';

const patrol = (days: number, minutes: number, covered: number, served: number) => ({ patrol: { days, minutes, metres: 0, microGridsCovered: covered, microGridsServed: served } });
const perf = (weighted: number | null, closed: number, onTime: number, reworked = 0, returned = 0) => ({
  workload: { perHundredHouseholds: weighted, gridDifficulty: 1, weighted },
  handled: { total: closed, closed, onTime, reworked, returned },
});

describe('assessment: 勤 (diligence)', () => {
  it('gives full marks for patrolling every working day, every micro-grid, two hours a day', () => {
    expect(diligenceOf(patrol(60, 60 * 120, 4, 4), 60)).toBe(100);
  });
  it('weighs days 50, coverage 30, time 20', () => {
    // half the days, one of four micro-grids, a quarter of the time
    expect(diligenceOf(patrol(30, 30 * 60, 1, 4), 60)).toBe(25 + 7.5 + 5);
  });
  it('uses the patrol-day share for coverage when the worker serves no micro-grid, and caps at the period', () => {
    expect(diligenceOf(patrol(30, 0, 0, 0), 60)).toBe(25 + 15);
    expect(diligenceOf(patrol(90, 90 * 500, 2, 2), 60)).toBe(100);
  });
  it('scores 0 for a period without working days', () => {
    expect(diligenceOf(patrol(3, 100, 1, 1), 0)).toBe(0);
  });
});

describe('assessment: 绩 (performance)', () => {
  it('measures workload against the 90th percentile and quality by on-time closure less penalties', () => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((w) => perf(w, 0, 0));
    expect(workloadReference(all)).toBe(9);
    expect(performanceOf(perf(9, 4, 4), 9)).toBe(100);
    expect(performanceOf(perf(4.5, 4, 3, 1, 1), 9)).toBe(0.5 * 50 + 0.5 * (75 - 10));
  });
  it('counts quality as full when no case was closed, workload as 0 without households or a reference', () => {
    expect(performanceOf(perf(null, 0, 0), 5)).toBe(50);
    expect(performanceOf(perf(3, 0, 0), 0)).toBe(50);
    expect(workloadReference([])).toBe(0);
  });
  it('never goes below 0', () => {
    expect(performanceOf(perf(0, 1, 0, 30, 0), 5)).toBe(0);
  });
});

describe('assessment: totals, ranks, ratings, lists', () => {
  it('weights the four scores and waits for 德 and 能', () => {
    expect(totalOf({ de: 90, neng: 80, qin: 70, ji: 60 }, DEFAULT_WEIGHTS)).toBe(18 + 16 + 21 + 18);
    expect(totalOf({ de: null, neng: 80, qin: 70, ji: 60 }, DEFAULT_WEIGHTS)).toBeNull();
  });
  it('accepts weights of whole percents summing to 100 only', () => {
    expect(validWeights(DEFAULT_WEIGHTS)).toBe(true);
    expect(validWeights({ de: 25, neng: 25, qin: 25, ji: 24 })).toBe(false);
    expect(validWeights({ de: 50.5, neng: 49.5, qin: 0, ji: 0 })).toBe(false);
  });
  it('rates by thresholds 90/80/60', () => {
    expect([95, 90, 89.9, 80, 60, 59.9].map(ratingOf)).toEqual(['excellent', 'excellent', 'good', 'good', 'pass', 'fail']);
  });
  it('ranks with shared ranks for equal totals and leaves unscored workers out', () => {
    const ranks = rankByTotal([
      { workerId: 'W3', total: 80 },
      { workerId: 'W1', total: 90 },
      { workerId: 'W2', total: 80 },
      { workerId: 'W4', total: null },
      { workerId: 'W5', total: 70 },
    ]);
    expect([...ranks]).toEqual([['W1', 1], ['W2', 2], ['W3', 2], ['W5', 4]]);
  });
  it('suggests the reward list for the excellent within the town top tenth, exit review for fail', () => {
    expect(suggestedList({ rating: 'excellent', rankTown: 2 }, 20)).toBe('reward');
    expect(suggestedList({ rating: 'excellent', rankTown: 3 }, 20)).toBeNull();
    expect(suggestedList({ rating: 'excellent', rankTown: 1 }, 4)).toBe('reward');
    expect(suggestedList({ rating: 'fail', rankTown: 20 }, 20)).toBe('exit_review');
    expect(suggestedList({ rating: 'good', rankTown: 1 }, 20)).toBeNull();
  });
  it('names the quarter of a day', () => {
    expect(quarterOf('2026-12-04')).toEqual({ id: '2026-Q4', startsOn: '2026-10-01', endsOn: '2026-12-31' });
    expect(quarterOf('2024-02-10')).toEqual({ id: '2024-Q1', startsOn: '2024-01-01', endsOn: '2024-03-31' });
  });
});
