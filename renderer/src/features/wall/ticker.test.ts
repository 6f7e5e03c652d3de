import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { tickerEntries } from './ticker';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const iso = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const fresh = (id: string, minutesAgo: number, seq = 1) => eventFixture({ id, seq, reportedAt: iso(minutesAgo), deadlineAt: iso(-60), deadlineState: 'ok' });

describe('tickerEntries', () => {
  it('lists cases of the last hour as new and cases past their step deadline as overdue, newest news first', () => {
    const entries = tickerEntries(
      [
        fresh('new-5', 5),
        fresh('new-50', 50),
        fresh('old', 61),
        eventFixture({ id: 'late-2', reportedAt: iso(600), deadlineAt: iso(2) }),
        eventFixture({ id: 'late-300', reportedAt: iso(900), deadlineAt: iso(300) }),
      ],
      NOW,
      10,
    );
    expect(entries.map((e) => [e.event.id, e.kind])).toEqual([
      ['late-2', 'overdue'],
      ['new-5', 'new'],
      ['new-50', 'new'],
      ['late-300', 'overdue'],
    ]);
  });

  it('drops a line once its cause is gone: closed, or its deadline moved on', () => {
    const entries = tickerEntries(
      [
        eventFixture({ id: 'closed', status: 'closed', reportedAt: iso(5), deadlineAt: null, step: null }),
        eventFixture({ id: 'extended', reportedAt: iso(600), deadlineAt: iso(-120), deadlineState: 'ok' }),
      ],
      NOW,
      10,
    );
    expect(entries).toEqual([]);
  });

  it('says overdue rather than new for a case that ran out of time in its first hour, also when only the monitor says so', () => {
    const entries = tickerEntries([eventFixture({ id: 'p0', reportedAt: iso(20), deadlineAt: iso(-5), deadlineState: 'overdue' })], NOW, 10);
    expect(entries.map((e) => [e.event.id, e.kind, e.at])).toEqual([['p0', 'overdue', NOW]]);
  });

  it("lists one town's cases on that town's page", () => {
    const events = [eventFixture({ ...fresh('a', 5), townId: 'T1' }), eventFixture({ ...fresh('b', 6), townId: 'T2' })];
    expect(tickerEntries(events, NOW, 10, 'T2').map((e) => e.event.id)).toEqual(['b']);
    expect(tickerEntries(events, NOW, 10).map((e) => e.event.id)).toEqual(['a', 'b']);
  });

  it('keeps at most `limit` lines however many cases there are', () => {
    const many = Array.from({ length: 500 }, (_, i) => fresh(`n${i}`, i % 59, i));
    expect(tickerEntries(many, NOW, 8)).toHaveLength(8);
    expect(tickerEntries(many, NOW, 8)[0]!.event.id).toBe('n472');
  });
});
