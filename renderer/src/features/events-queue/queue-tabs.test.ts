import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { inTab, queueRows, tabCounts } from './queue-tabs';

const now = Date.parse('2024-05-01T12:00:00Z');
const events = [
  eventFixture({ id: 'reported-late', status: 'reported', deadlineAt: '2024-05-01T11:00:00Z' }),
  eventFixture({ id: 'filed', status: 'filed', deadlineAt: '2024-05-01T13:00:00Z' }),
  eventFixture({ id: 'dispatched', status: 'dispatched', deadlineAt: '2024-05-02T00:00:00Z' }),
  eventFixture({ id: 'in-progress', status: 'in_progress', deadlineAt: '2024-05-01T12:30:00Z' }),
  eventFixture({ id: 'handled', status: 'handled', deadlineAt: null }),
  eventFixture({ id: 'verified', status: 'verified', deadlineAt: '2024-05-03T00:00:00Z' }),
  eventFixture({ id: 'closed', status: 'closed', deadlineAt: null, closedAt: '2024-05-01T11:00:00Z' }),
  eventFixture({ id: 'void-overdue', status: 'void', deadlineAt: '2024-05-01T01:00:00Z' }),
];
const ids = (tab: Parameters<typeof queueRows>[1]) => queueRows(events, tab, now).map((e) => e.id);

describe('queue tabs', () => {
  it('groups open events by step and leaves finished ones out', () => {
    expect(ids('open')).toEqual(['reported-late', 'in-progress', 'filed', 'dispatched', 'verified', 'handled']);
    expect(ids('reported')).toEqual(['reported-late']);
    expect(ids('filed')).toEqual(['filed']);
    expect(ids('active')).toEqual(['in-progress', 'dispatched']);
    expect(ids('handled')).toEqual(['handled']);
  });

  it('puts only open events past their deadline under overdue', () => {
    expect(ids('overdue')).toEqual(['reported-late']);
    expect(inTab(events[7]!, 'overdue', now)).toBe(false);
  });

  it('breaks deadline ties by urgency, then by the oldest report', () => {
    const deadlineAt = '2024-05-01T13:00:00Z';
    const tied = [
      eventFixture({ id: 'p2-old', urgency: 'P2', deadlineAt, reportedAt: '2024-05-01T01:00:00Z' }),
      eventFixture({ id: 'p2-older', urgency: 'P2', deadlineAt, reportedAt: '2024-05-01T00:30:00Z' }),
      eventFixture({ id: 'p0', urgency: 'P0', deadlineAt, reportedAt: '2024-05-01T02:00:00Z' }),
    ];
    expect(queueRows(tied, 'open', now).map((e) => e.id)).toEqual(['p0', 'p2-older', 'p2-old']);
  });

  it('counts every tab in one pass', () => {
    expect(tabCounts(events, now)).toEqual({ open: 6, reported: 1, filed: 1, active: 2, handled: 1, overdue: 1 });
  });
});
