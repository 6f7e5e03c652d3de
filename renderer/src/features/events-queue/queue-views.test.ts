import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { HISTORY_TAB, QUEUE_TABS, QUEUE_VIEWS, tabHolding } from './queue-tabs';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('queue views', () => {
  it('ends with the history tab, after the live ones', () => {
    expect(QUEUE_VIEWS).toEqual([...QUEUE_TABS, HISTORY_TAB]);
  });

  it('shows a case chosen elsewhere in the current tab if it lists it, else in the first tab that does', () => {
    const filed = eventFixture({ status: 'filed', reportedAt: '2024-05-01T08:00:00Z', deadlineAt: '2024-05-01T11:00:00Z' });
    expect(tabHolding(filed, 'overdue', now)).toBe('overdue');
    expect(tabHolding(filed, 'toFile', now)).toBe('toDispatch');
    expect(tabHolding(filed, HISTORY_TAB, now)).toBe('toDispatch');
    expect(tabHolding(eventFixture({ status: 'closed' }), 'new', now)).toBeNull();
    expect(tabHolding(eventFixture({ status: 'not_admitted' }), 'new', now)).toBe('notAdmitted');
  });
});
