import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../../shared/contracts/auth.js';
import { buildProgress, hoursByWorker, noHours, percent, roundHours, totalsOf, workerProgress, type ProgressWorkerRow } from './training-progress.js';
import { attendeeProblem } from './training.service.js';

const worker = (id: string, townId: string): ProgressWorkerRow => ({ id, name: id, townId, townName: `镇${townId}`, gridId: 'g', gridName: '网格', employment: 'part_time', status: 'active' });

describe('training progress (pure)', () => {
  it('sums hours by worker and subject without float noise', () => {
    const by = hoursByWorker([
      { workerId: 'W1', subject: 'ethics', hours: 0.1 },
      { workerId: 'W1', subject: 'ethics', hours: 0.2 },
      { workerId: 'W1', subject: 'business', hours: 3 },
      { workerId: 'W2', subject: 'policy_law', hours: 2 },
    ]);
    expect(by.get('W1')).toEqual({ ...noHours(), ethics: 0.3, business: 3 });
    expect(by.get('W2')).toEqual({ ...noHours(), policy_law: 2 });
    expect(roundHours(0.1 + 0.2)).toBe(0.3);
  });

  it('is behind under the requirement, by the hours missing; exactly at it is not behind', () => {
    expect(workerProgress(worker('W1', 'T'), { ...noHours(), business: 23.5 }, 24, 0)).toMatchObject({ hours: 23.5, behind: true, shortBy: 0.5 });
    expect(workerProgress(worker('W1', 'T'), { ...noHours(), business: 12, ethics: 12 }, 24, 2)).toMatchObject({ hours: 24, behind: false, shortBy: 0, certificates: 2 });
  });

  it('totals by town in the order of their first worker, and in all', () => {
    const p = buildProgress({
      year: 2025,
      required: 10,
      workers: [worker('W1', 'A'), worker('W2', 'A'), worker('W3', 'B')],
      hours: [
        { workerId: 'W1', subject: 'business', hours: 12 },
        { workerId: 'W3', subject: 'ethics', hours: 4 },
      ],
      certificates: new Map([['W1', 1]]),
    });
    expect(p.towns.map((t) => [t.town.id, t.workers, t.hours, t.met, t.behind, t.metShare, t.certificates])).toEqual([
      ['A', 2, 12, 1, 1, 50, 1],
      ['B', 1, 4, 0, 1, 0, 0],
    ]);
    expect(p.total).toMatchObject({ workers: 3, hours: 16, averageHours: 5.33, met: 1, behind: 2, metShare: 33.3 });
    expect(totalsOf([])).toMatchObject({ workers: 0, averageHours: 0, metShare: null });
    expect(percent(1, 0)).toBeNull();
  });

  it('refuses attendees unknown, left, outside the town or the scope', () => {
    const county: Scope = { kind: 'county' };
    const town: Scope = { kind: 'towns', towns: ['A'], counties: [], areas: [] };
    const w = { id: 'W1', name: 'x', townId: 'B', status: 'active' as const };
    expect(attendeeProblem(undefined, null, county)).toBe('unknown_worker');
    expect(attendeeProblem({ ...w, status: 'left' }, null, county)).toBe('worker_left');
    expect(attendeeProblem(w, 'A', county)).toBe('worker_outside_town');
    expect(attendeeProblem(w, null, town)).toBe('worker_out_of_scope');
    expect(attendeeProblem(w, null, county)).toBeNull();
    expect(attendeeProblem({ ...w, status: 'on_leave' }, 'B', county)).toBeNull();
  });
});
