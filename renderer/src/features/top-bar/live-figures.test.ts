import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { liveFigures } from './live-figures';

describe('liveFigures', () => {
  // 10:00 in the county; its day began at 2024-05-01T16:00Z
  const now = Date.parse('2024-05-02T02:00:00Z');

  it('counts today in county time, filed events, and open overdue ones', () => {
    const figures = liveFigures(
      [
        eventFixture({ id: 'today-closed', status: 'closed', reportedAt: '2024-05-01T16:30:00Z', deadlineAt: null }),
        eventFixture({ id: 'today-filed', status: 'filed', reportedAt: '2024-05-02T01:00:00Z', deadlineAt: '2024-05-02T03:00:00Z' }),
        eventFixture({ id: 'yesterday-overdue', status: 'dispatched', reportedAt: '2024-05-01T15:59:59Z', deadlineAt: '2024-05-02T01:00:00Z' }),
        eventFixture({ id: 'void-past-deadline', status: 'void', reportedAt: '2024-05-01T10:00:00Z', deadlineAt: '2024-05-01T11:00:00Z' }),
      ],
      now,
    );
    expect(figures).toEqual({ newToday: 2, toDispatch: 1, overdue: 1 });
  });
});
