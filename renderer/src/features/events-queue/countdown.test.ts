import { describe, expect, it } from 'vitest';
import { deadlineState, isOverdue } from './countdown';

const reportedAt = '2024-05-01T00:00:00Z';
const deadlineAt = '2024-05-01T10:00:00Z'; // a 10 h span
const at = (iso: string) => Date.parse(iso);

describe('deadlineState', () => {
  it('is ok while more than 20% of the span is left', () => {
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T07:59:00Z'))).toEqual({ kind: 'ok', remainingMs: 2 * 3_600_000 + 60_000 });
  });

  it('warns when less than 20% is left', () => {
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T08:00:01Z'))).toMatchObject({ kind: 'warning' });
  });

  it('is overdue from the deadline on, with the time past it', () => {
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T10:00:00Z'))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(deadlineState({ reportedAt, deadlineAt }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'overdue', overdueMs: 5_400_000 });
    expect(isOverdue({ deadlineAt }, at('2024-05-01T10:00:00Z'))).toBe(true);
    expect(isOverdue({ deadlineAt }, at('2024-05-01T09:59:59Z'))).toBe(false);
  });

  it('has no countdown without a deadline', () => {
    expect(deadlineState({ reportedAt, deadlineAt: null }, at('2024-05-01T11:30:00Z'))).toEqual({ kind: 'none' });
    expect(isOverdue({ deadlineAt: null }, at('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('never warns on a span it cannot measure', () => {
    expect(deadlineState({ reportedAt: 'garbage', deadlineAt }, at('2024-05-01T09:59:00Z'))).toMatchObject({ kind: 'ok' });
  });
});
