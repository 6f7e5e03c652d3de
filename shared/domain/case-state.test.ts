import { describe, expect, it } from 'vitest';
import { EVENT_STATUSES, type EventStatus } from '../contracts/events.js';
import { clockDeadlineState, deadlineStanding, isOpen, isOverdue, isQueued, isWithTeam, secondsLeft } from './case-state.js';

const reportedAt = '2024-05-01T00:00:00Z';
const deadlineAt = '2024-05-01T10:00:00Z'; // a 10 h span
const at = (iso: string) => Date.parse(iso);
const where = (test: (c: { status: EventStatus }) => boolean) => EVENT_STATUSES.filter((status) => test({ status }));

describe('isOpen, isQueued, isWithTeam', () => {
  it('calls open the states in which a step waits for someone', () => {
    expect(where(isOpen)).toEqual(['reported', 'filed', 'dispatched', 'accepted', 'in_progress', 'handled', 'verified']);
  });

  it('queues the open cases and those not admitted', () => {
    expect(where(isQueued)).toEqual(['reported', 'filed', 'dispatched', 'accepted', 'in_progress', 'handled', 'verified', 'not_admitted']);
  });

  it('has the team hold a case from dispatch until it reports back', () => {
    expect(where(isWithTeam)).toEqual(['dispatched', 'accepted', 'in_progress']);
  });
});

describe('clockDeadlineState', () => {
  it('warns from warnAt and is overdue from the deadline on', () => {
    const step = { warnAt: '2024-05-01T08:00:00Z', deadlineAt };
    expect(clockDeadlineState(step, at('2024-05-01T07:59:59Z'))).toBe('ok');
    expect(clockDeadlineState(step, at('2024-05-01T08:00:00Z'))).toBe('warning');
    expect(clockDeadlineState(step, at('2024-05-01T10:00:00Z'))).toBe('overdue');
  });

  it('is ok without a deadline, and ignores what the monitor said', () => {
    expect(clockDeadlineState({ warnAt: null, deadlineAt: null }, at('2030-01-01T00:00:00Z'))).toBe('ok');
    expect(clockDeadlineState({ reportedAt, deadlineAt, deadlineState: 'overdue' }, at('2024-05-01T01:00:00Z'))).toBe('ok');
  });
});

describe('deadlineStanding', () => {
  it('is ok until 80 % of the span has passed, without a warnAt from the server', () => {
    expect(deadlineStanding({ reportedAt, deadlineAt }, at('2024-05-01T07:59:00Z'))).toEqual({ kind: 'ok', remainingMs: 2 * 3_600_000 + 60_000 });
    expect(deadlineStanding({ reportedAt, deadlineAt }, at('2024-05-01T08:00:00Z'))).toEqual({ kind: 'warning', remainingMs: 2 * 3_600_000 });
  });

  it('measures the span from the start of the current step, not from the report', () => {
    const step = { reportedAt, deadlineAt, stepStartedAt: '2024-05-01T09:00:00Z' };
    expect(deadlineStanding(step, at('2024-05-01T09:30:00Z'))).toMatchObject({ kind: 'ok' });
    expect(deadlineStanding(step, at('2024-05-01T09:48:00Z'))).toMatchObject({ kind: 'warning' });
  });

  it("warns from the server's warnAt (working calendar) when it has one", () => {
    const event = { reportedAt, deadlineAt, warnAt: '2024-05-01T04:00:00Z' };
    expect(deadlineStanding(event, at('2024-05-01T03:59:59Z'))).toMatchObject({ kind: 'ok' });
    expect(deadlineStanding(event, at('2024-05-01T04:00:00Z'))).toMatchObject({ kind: 'warning' });
  });

  it("follows the deadline monitor's state when it is further along than the clock", () => {
    expect(deadlineStanding({ reportedAt, deadlineAt, deadlineState: 'warning' }, at('2024-05-01T01:00:00Z'))).toEqual({ kind: 'warning', remainingMs: 9 * 3_600_000 });
    expect(deadlineStanding({ reportedAt, deadlineAt, deadlineState: 'overdue' }, at('2024-05-01T01:00:00Z'))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(isOverdue({ deadlineAt, deadlineState: 'overdue' }, at('2024-05-01T01:00:00Z'))).toBe(true);
  });

  it('is overdue from the deadline on, with the time past it', () => {
    expect(deadlineStanding({ reportedAt, deadlineAt }, at('2024-05-01T10:00:00Z'))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(deadlineStanding({ reportedAt, deadlineAt }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'overdue', overdueMs: 5_400_000 });
    expect(isOverdue({ deadlineAt }, at('2024-05-01T10:00:00Z'))).toBe(true);
    expect(isOverdue({ deadlineAt }, at('2024-05-01T09:59:59Z'))).toBe(false);
  });

  it('has no countdown without a deadline', () => {
    expect(deadlineStanding({ reportedAt, deadlineAt: null }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'none' });
    expect(isOverdue({ deadlineAt: null, deadlineState: 'overdue' }, at('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('never warns on a span it cannot measure', () => {
    expect(deadlineStanding({ reportedAt: 'garbage', deadlineAt }, at('2024-05-01T09:59:00Z'))).toMatchObject({ kind: 'ok' });
  });
});

describe('secondsLeft', () => {
  it('counts whole seconds to the deadline, negative once passed', () => {
    const now = at('2026-05-01T10:00:00Z');
    expect(secondsLeft('2026-05-01T11:30:00Z', now)).toBe(5400);
    expect(secondsLeft('2026-05-01T09:59:00Z', now)).toBe(-60);
    expect(secondsLeft(null, now)).toBeNull();
    expect(secondsLeft('garbage', now)).toBeNull();
  });
});
