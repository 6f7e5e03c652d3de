import { describe, expect, it } from 'vitest';
import { buildComposition, compositionOf, inServiceOn, type CompositionWorkerRow } from './composition.service.js';

const w = (id: string, over: Partial<CompositionWorkerRow> = {}): CompositionWorkerRow => ({
  id,
  townId: 'A',
  employment: 'part_time',
  grade: 1,
  status: 'active',
  startedOn: null,
  leftOn: null,
  birthYear: 1970,
  education: 'senior_high',
  ...over,
});

describe('workforce composition (pure)', () => {
  it('is in service from the start day until the day it left (exclusive); left without a date is never in service', () => {
    expect(inServiceOn(w('1', { startedOn: '2026-03-01' }), '2026-02-28')).toBe(false);
    expect(inServiceOn(w('1', { startedOn: '2026-03-01' }), '2026-03-01')).toBe(true);
    expect(inServiceOn(w('1', { status: 'left', leftOn: '2026-05-01' }), '2026-04-30')).toBe(true);
    expect(inServiceOn(w('1', { status: 'left', leftOn: '2026-05-01' }), '2026-05-01')).toBe(false);
    expect(inServiceOn(w('1', { status: 'left' }), '2000-01-01')).toBe(false);
  });

  it('counts structure, age at the year of asOf, turnover over the 12 months before it and the trained', () => {
    const rows = [
      w('1', { employment: 'full_time', grade: 3, birthYear: 1990, education: 'bachelor' }),
      w('2', { birthYear: 1976 }), // 50 in 2026
      w('3', { birthYear: 1960, status: 'on_leave', education: '小学' }),
      w('4', { status: 'left', leftOn: '2026-06-01' }), // left in the window
      w('5', { status: 'left', leftOn: '2025-06-01' }), // before it
      w('6', { startedOn: '2026-12-01' }), // not yet
    ];
    const f = compositionOf(rows, { asOf: '2026-11-20', hours: new Map([['1', 24], ['2', 23.9]]), required: 24 });
    expect(f).toMatchObject({ workers: 3, active: 2, onLeave: 1, fullTime: 1, partTime: 2, fullTimeShare: 33.3, aged50Plus: 2, aged50PlusShare: 66.7, trained: 1, trainedShare: 33.3 });
    expect(f.grades).toEqual({ 1: 2, 2: 0, 3: 1, 4: 0, 5: 0 });
    expect(f.ageBands).toEqual({ under_30: 0, '30_39': 1, '40_49': 0, '50_59': 1, '60_plus': 1 });
    expect(f.education).toEqual({ junior_high: 0, senior_high: 1, junior_college: 0, bachelor: 1, other: 1 });
    // in service on 2025-11-20: 1, 2, 3, 4 (5 left before, 6 not started) → average (4 + 3) / 2
    expect(f.turnover).toEqual({ left: 1, headcountStart: 4, headcountEnd: 3, averageHeadcount: 3.5, rate: 28.6 });
  });

  it('gives each town its figures and the total; nobody counted gives null shares', () => {
    const res = buildComposition([w('1'), w('2', { townId: 'B', employment: 'full_time' })], [{ id: 'A', name: '甲' }, { id: 'B', name: '乙' }, { id: 'C', name: '丙' }], { asOf: '2026-01-01', hours: new Map(), required: 24 });
    expect(res.towns.map((t) => [t.town.id, t.workers, t.fullTime])).toEqual([
      ['A', 1, 0],
      ['B', 1, 1],
      ['C', 0, 0],
    ]);
    expect(res.towns[2]).toMatchObject({ fullTimeShare: null, aged50PlusShare: null, trainedShare: null, turnover: { rate: null } });
    expect(res.total).toMatchObject({ workers: 2, fullTime: 1, fullTimeShare: 50 });
    expect(res.year).toBe(2026);
  });
});
