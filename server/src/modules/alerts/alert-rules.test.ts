import { describe, expect, it } from 'vitest';
import type { AlertParams } from '../../../../shared/contracts/alerts.js';
import { caseCauseEnded, deadlineKindOf, deadlineParams, severityOf, silenceEnded, type CaseStanding } from './alert-rules.js';

const standing = (patch: Partial<CaseStanding> = {}): CaseStanding => ({
  id: 'EV202611230001',
  status: 'in_progress',
  urgency: 'P1',
  supervised: false,
  step: 'handle',
  stepStartedAt: '2026-11-23T01:00:00.000Z',
  deadlineAt: '2026-11-23T03:00:00.000Z',
  deadlineState: 'overdue',
  teamId: 'TM000001',
  teamName: '东门村网格员队',
  townId: '330899001',
  itemName: '占道经营',
  itemCode: 'D31',
  address: '东门村',
  ...patch,
});

const overdue = (c: CaseStanding = standing()) => ({ kind: 'overdue' as const, params: deadlineParams(c) });

describe('severityOf', () => {
  it('rings for P0 and P1, lists supervised routine overdue steps as notices', () => {
    expect(['P0', 'P1', 'P2', 'P3'].map((u) => severityOf('overdue', u as 'P0'))).toEqual(['critical', 'warning', 'notice', 'notice']);
    expect(severityOf('urgent_event', 'P0')).toBe('critical');
    expect(severityOf('near_deadline', 'P0')).toBe('warning');
    expect(severityOf('task_returned', 'P3')).toBe('warning');
    expect(severityOf('team_silent', undefined)).toBe('warning');
  });
});

describe('deadlineKindOf', () => {
  it('asks for an overdue alert for P0/P1 or a supervised case, a near-deadline one only for P0/P1', () => {
    expect(deadlineKindOf(standing({ urgency: 'P0' }))).toBe('overdue');
    expect(deadlineKindOf(standing({ urgency: 'P3' }))).toBeNull();
    expect(deadlineKindOf(standing({ urgency: 'P3', supervised: true }))).toBe('overdue');
    expect(deadlineKindOf(standing({ deadlineState: 'warning' }))).toBe('near_deadline');
    expect(deadlineKindOf(standing({ deadlineState: 'warning', urgency: 'P2' }))).toBeNull();
    expect(deadlineKindOf(standing({ deadlineState: 'ok' }))).toBeNull();
    expect(deadlineKindOf(standing({ status: 'closed' }))).toBeNull();
    expect(deadlineKindOf(standing({ step: null }))).toBeNull();
  });
});

describe('caseCauseEnded', () => {
  it('clears an overdue alert of a routine case that is not supervised (raised under the earlier rule)', () => {
    const routine = standing({ urgency: 'P2' });
    expect(caseCauseEnded(overdue(routine), routine)).toBe('rule_changed');
    expect(caseCauseEnded(overdue(routine), { ...routine, supervised: true })).toBeNull();
  });

  it('ends every case alert when the case finishes, naming how', () => {
    const cases = { closed: 'case_closed', void: 'case_voided', merged: 'case_merged', rejected: 'case_rejected', not_admitted: 'case_not_admitted' } as const;
    for (const [status, reason] of Object.entries(cases)) {
      for (const kind of ['urgent_event', 'overdue', 'near_deadline', 'task_returned'] as const) {
        expect(caseCauseEnded({ kind, params: deadlineParams(standing()) }, standing({ status: status as 'closed' })), `${kind} ${status}`).toBe(reason);
      }
    }
  });

  it('ends an urgent case once a team signs for it, not at dispatch', () => {
    const alert = { kind: 'urgent_event' as const, params: {} };
    expect(caseCauseEnded(alert, standing({ status: 'reported' }))).toBeNull();
    expect(caseCauseEnded(alert, standing({ status: 'dispatched' }))).toBeNull();
    expect(caseCauseEnded(alert, standing({ status: 'accepted' }))).toBe('accepted');
  });

  it('ends a returned task once it is dispatched again', () => {
    const alert = { kind: 'task_returned' as const, params: {} };
    expect(caseCauseEnded(alert, standing({ status: 'filed', teamId: null }))).toBeNull();
    expect(caseCauseEnded(alert, standing({ status: 'dispatched' }))).toBe('dispatched');
  });

  it('ends a deadline alert when the step moves on or restarts, or the deadline is extended', () => {
    expect(caseCauseEnded(overdue(), standing())).toBeNull();
    expect(caseCauseEnded(overdue(), standing({ status: 'handled', step: 'verify' }))).toBe('step_moved');
    // rework restarts the same step
    expect(caseCauseEnded(overdue(), standing({ stepStartedAt: '2026-11-23T05:00:00.000Z', deadlineAt: '2026-11-23T07:00:00.000Z', deadlineState: 'ok' }))).toBe('step_moved');
    expect(caseCauseEnded(overdue(), standing({ deadlineAt: '2026-11-24T03:00:00.000Z', deadlineState: 'ok' }))).toBe('extended');
    expect(caseCauseEnded(overdue(), standing({ deadlineState: 'ok' }))).toBe('extended');
  });

  it('hands a near-deadline alert over to the overdue one', () => {
    const near = { kind: 'near_deadline' as const, params: deadlineParams(standing({ deadlineState: 'warning' })) };
    expect(caseCauseEnded(near, standing({ deadlineState: 'warning' }))).toBeNull();
    expect(caseCauseEnded(near, standing({ deadlineState: 'overdue' }))).toBe('now_overdue');
  });

  it('reads alerts stored before the step start was recorded by step and deadline alone', () => {
    const { stepStartedAt: _, ...old } = deadlineParams(standing()) as AlertParams & { stepStartedAt?: string | null };
    expect(caseCauseEnded({ kind: 'overdue', params: old }, standing({ stepStartedAt: 'anything' }))).toBeNull();
  });
});

describe('silenceEnded', () => {
  const alert = { params: { lastSeenAt: '2026-11-23T01:00:00.000Z' } };
  it('lasts while the team holds a case and was not heard from since', () => {
    expect(silenceEnded(alert, { seenAt: '2026-11-23T01:00:00.000Z', openCases: 1 })).toBeNull();
    expect(silenceEnded(alert, { seenAt: '2026-11-23T01:40:00.000Z', openCases: 1 })).toBe('team_seen');
    expect(silenceEnded(alert, { seenAt: '2026-11-23T01:00:00.000Z', openCases: 0 })).toBe('team_free');
  });
});
