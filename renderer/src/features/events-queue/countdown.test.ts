import { describe, expect, it } from 'vitest';
import { deadlineState, isOverdue } from './countdown';

const reportedAt = '2024-05-01T00:00:00Z';
const deadlineAt = '2024-05-01T10:00:00Z'; // a 10 h span
const at = (iso: string) => Date.parse(iso);

describe('deadlineState', () => {
  it('is ok until 80 % of the span has passed, without a warnAt from the server', () => {
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T07:59:00Z'))).toEqual({ kind: 'ok', remainingMs: 2 * 3_600_000 + 60_000 });
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T08:00:00Z'))).toMatchObject({ kind: 'warning' });
  });

  it('measures the span from the start of the current step, not from the report', () => {
    const step = { reportedAt, deadlineAt, stepStartedAt: '2024-05-01T09:00:00Z' };
    expect(deadlineState(step, at('2024-05-01T09:30:00Z'))).toMatchObject({ kind: 'ok' });
    expect(deadlineState(step, at('2024-05-01T09:48:00Z'))).toMatchObject({ kind: 'warning' });
  });

  it("warns from the server's warnAt (working calendar) when it has one", () => {
    const event = { reportedAt, deadlineAt, warnAt: '2024-05-01T04:00:00Z' };
    expect(deadlineState(event, at('2024-05-01T03:59:59Z'))).toMatchObject({ kind: 'ok' });
    expect(deadlineState(event, at('2024-05-01T04:00:00Z'))).toMatchObject({ kind: 'warning' });
  });

  it("follows the deadline monitor's state when it is further along than the clock", () => {
    expect(deadlineState({ reportedAt, deadlineAt, deadlineState: 'warning' }, at('2024-05-01T01:00:00Z'))).toMatchObject({ kind: 'warning' });
    expect(deadlineState({ reportedAt, deadlineAt, deadlineState: 'overdue' }, at('2024-05-01T01:00:00Z'))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(isOverdue({ deadlineAt, deadlineState: 'overdue' }, at('2024-05-01T01:00:00Z'))).toBe(true);
  });

  it('is overdue from the deadline on, with the time past it', () => {
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T10:00:00Z'))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'overdue', overdueMs: 5_400_000 });
    expect(isOverdue({ deadlineAt }, at('2024-05-01T10:00:00Z'))).toBe(true);
    expect(isOverdue({ deadlineAt }, at('2024-05-01T09:59:59Z'))).toBe(false);
  });

  it('has no countdown without a deadline', () => {
    expect(deadlineState({ reportedAt, deadlineAt: null }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'none' });
    expect(isOverdue({ deadlineAt: null, deadlineState: 'overdue' }, at('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('never warns on a span it cannot measure', () => {
    expect(deadlineState({ reportedAt: 'garbage', deadlineAt }, at('2024-05-01T09:59:00Z'))).toMatchObject({ kind: 'ok' });
  });
});
