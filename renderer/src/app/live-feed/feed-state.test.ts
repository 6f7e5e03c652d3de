import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { applyChanges, applyOwn, EMPTY_FEED, fromSnapshot, pruneExpired } from './feed-state';

const now = Date.parse('2024-05-01T12:00:00Z');
const recent = '2024-05-01T11:00:00Z';
const old = '2024-04-28T00:00:00Z';

describe('fromSnapshot', () => {
  it('keeps open events and events reported in the last 24 h, newest version of each', () => {
    const state = fromSnapshot(
      [
        eventFixture({ id: 'open-old', status: 'dispatched', reportedAt: old, seq: 3 }),
        eventFixture({ id: 'closed-recent', status: 'closed', reportedAt: recent, seq: 4 }),
        eventFixture({ id: 'closed-old', status: 'closed', reportedAt: old, seq: 5 }),
        eventFixture({ id: 'open-old', status: 'in_progress', reportedAt: old, seq: 7 }),
        eventFixture({ id: 'open-old', status: 'filed', reportedAt: old, seq: 2 }),
      ],
      9,
      now,
    );
    expect([...state.events.keys()].sort()).toEqual(['closed-recent', 'open-old']);
    expect(state.events.get('open-old')?.status).toBe('in_progress');
    expect(state.seq).toBe(9);
  });
});

describe('applyChanges', () => {
  const base = fromSnapshot([eventFixture({ id: 'a', seq: 5, status: 'reported', reportedAt: recent })], 10, now);

  it('inserts and updates events in seq order', () => {
    const { state, applied } = applyChanges(
      base,
      [
        { seq: 12, event: eventFixture({ id: 'a', seq: 12, status: 'dispatched', reportedAt: recent }) },
        { seq: 11, event: eventFixture({ id: 'a', seq: 11, status: 'filed', reportedAt: recent }) },
        { seq: 13, event: eventFixture({ id: 'b', seq: 13, reportedAt: recent }) },
      ],
      now,
    );
    expect(applied).toBe(3);
    expect(state.seq).toBe(13);
    expect(state.events.get('a')?.status).toBe('dispatched');
    expect(state.events.has('b')).toBe(true);
  });

  it('drops duplicates at or below the highest applied seq', () => {
    const once = applyChanges(base, [{ seq: 11, event: eventFixture({ id: 'b', seq: 11, reportedAt: recent }) }], now).state;
    const again = applyChanges(
      once,
      [
        { seq: 11, event: eventFixture({ id: 'b', seq: 11, reportedAt: recent, description: 'replayed' }) },
        { seq: 9, event: eventFixture({ id: 'c', seq: 9, reportedAt: recent }) },
      ],
      now,
    );
    expect(again.applied).toBe(0);
    expect(again.state).toBe(once);
  });

  it('ignores an event version older than the one held but counts its seq as seen', () => {
    const held = fromSnapshot([eventFixture({ id: 'a', seq: 20, status: 'handled', reportedAt: recent })], 10, now);
    const { state, applied } = applyChanges(held, [{ seq: 15, event: eventFixture({ id: 'a', seq: 15, status: 'filed', reportedAt: recent }) }], now);
    expect(applied).toBe(0);
    expect(state.events.get('a')?.status).toBe('handled');
    expect(state.seq).toBe(15);
  });

  it('removes an event that left the view and skips one that never entered it', () => {
    const withOld = fromSnapshot([eventFixture({ id: 'old', seq: 5, status: 'handled', reportedAt: old })], 10, now);
    const { state } = applyChanges(
      withOld,
      [
        { seq: 11, event: eventFixture({ id: 'old', seq: 11, status: 'closed', reportedAt: old }) },
        { seq: 12, event: eventFixture({ id: 'ancient', seq: 12, status: 'closed', reportedAt: old }) },
      ],
      now,
    );
    expect(state.events.size).toBe(0);
    expect(state.seq).toBe(12);
  });

  it('keeps the identity of events that did not change', () => {
    const a = base.events.get('a');
    const { state } = applyChanges(base, [{ seq: 11, event: eventFixture({ id: 'b', seq: 11, reportedAt: recent }) }], now);
    expect(state.events.get('a')).toBe(a);
    expect(applyChanges(EMPTY_FEED, [], now).state).toBe(EMPTY_FEED);
  });
});

describe('pruneExpired', () => {
  it('drops finished events once their report is older than 24 h', () => {
    const state = fromSnapshot(
      [eventFixture({ id: 'closed', status: 'closed', reportedAt: recent }), eventFixture({ id: 'open', status: 'filed', reportedAt: recent })],
      1,
      now,
    );
    expect(pruneExpired(state, now)).toBe(state);
    const later = Date.parse('2024-05-02T11:30:00Z');
    expect([...pruneExpired(state, later).events.keys()]).toEqual(['open']);
  });
});

describe('applyOwn', () => {
  const base = fromSnapshot([eventFixture({ id: 'a', seq: 5, status: 'reported', reportedAt: recent })], 10, now);

  it("shows an action's answer at once without moving the feed's seq, and the later push does not apply it twice", () => {
    const filed = eventFixture({ id: 'a', seq: 14, status: 'filed', reportedAt: recent });
    const own = applyOwn(base, filed, now);
    expect(own.events.get('a')).toBe(filed);
    expect(own.seq).toBe(10);
    // Another console's change committed before ours still arrives, then ours, once.
    const { state, applied, fresh } = applyChanges(
      own,
      [
        { seq: 12, event: eventFixture({ id: 'b', seq: 12, reportedAt: recent }) },
        { seq: 14, event: { ...filed }, kind: 'file' },
      ],
      now,
    );
    expect(applied).toBe(1);
    expect(fresh.map((c) => c.seq)).toEqual([12, 14]);
    expect(state.events.get('a')).toBe(filed);
    expect(state.events.has('b')).toBe(true);
    expect(state.seq).toBe(14);
  });

  it('ignores an answer older than the version held', () => {
    const newer = applyChanges(base, [{ seq: 15, event: eventFixture({ id: 'a', seq: 15, status: 'dispatched', reportedAt: recent }) }], now).state;
    expect(applyOwn(newer, eventFixture({ id: 'a', seq: 14, status: 'filed', reportedAt: recent }), now)).toBe(newer);
  });
});
