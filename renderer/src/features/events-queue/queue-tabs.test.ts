import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { inTab, isAssigned, queueRows, rowBadges, tabCounts, type QueueTab } from './queue-tabs';

const now = Date.parse('2024-05-01T12:00:00Z');
const old = '2024-05-01T08:00:00Z';
const events = [
  eventFixture({ id: 'reported-late', status: 'reported', reportedAt: old, deadlineAt: '2024-05-01T11:00:00Z' }),
  eventFixture({ id: 'reported-new', status: 'reported', reportedAt: '2024-05-01T11:10:00Z', deadlineAt: '2024-05-01T14:00:00Z' }),
  eventFixture({ id: 'filed', status: 'filed', reportedAt: old, deadlineAt: '2024-05-01T13:00:00Z' }),
  eventFixture({ id: 'dispatched', status: 'dispatched', reportedAt: old, deadlineAt: '2024-05-02T00:00:00Z' }),
  eventFixture({ id: 'accepted', status: 'accepted', reportedAt: old, deadlineAt: '2024-05-01T20:00:00Z' }),
  eventFixture({ id: 'in-progress', status: 'in_progress', reportedAt: old, deadlineAt: '2024-05-01T12:30:00Z', deadlineState: 'overdue' }),
  eventFixture({ id: 'handled', status: 'handled', reportedAt: old, deadlineAt: null }),
  eventFixture({ id: 'verified', status: 'verified', reportedAt: old, deadlineAt: '2024-05-03T00:00:00Z' }),
  eventFixture({ id: 'closed-new', status: 'closed', reportedAt: '2024-05-01T11:30:00Z', deadlineAt: null }),
  eventFixture({ id: 'void-overdue', status: 'void', reportedAt: old, deadlineAt: '2024-05-01T01:00:00Z' }),
  eventFixture({ id: 'not-admitted', status: 'not_admitted', reportedAt: '2024-05-01T11:50:00Z', deadlineAt: null }),
  eventFixture({ id: 'merged', status: 'merged', reportedAt: '2024-05-01T11:55:00Z', deadlineAt: null }),
];
const ids = (tab: QueueTab, sort?: Parameters<typeof queueRows>[3]) => queueRows(events, tab, now, sort).map((e) => e.id);

describe('queue tabs', () => {
  it('lists under "new" the open cases reported in the last hour, whatever their step', () => {
    expect(ids('new')).toEqual(['reported-new']);
    expect(inTab(eventFixture({ status: 'dispatched', reportedAt: '2024-05-01T11:00:00Z' }), 'new', now)).toBe(true);
    expect(inTab(eventFixture({ status: 'dispatched', reportedAt: '2024-05-01T10:59:59Z' }), 'new', now)).toBe(false);
  });

  it('groups open cases by step and leaves finished ones out', () => {
    expect(ids('toFile')).toEqual(['reported-late', 'reported-new']);
    expect(ids('toDispatch')).toEqual(['filed']);
    expect(ids('inProgress')).toEqual(['in-progress', 'accepted', 'dispatched']);
    expect(ids('toVerify')).toEqual(['verified', 'handled']);
  });

  it('puts open cases past their deadline, or flagged overdue by the server, under overdue', () => {
    expect(ids('overdue')).toEqual(['reported-late', 'in-progress']);
    expect(inTab(events[9]!, 'overdue', now)).toBe(false);
  });

  it('lists the not-admitted intakes in their own tab', () => {
    expect(ids('notAdmitted')).toEqual(['not-admitted']);
  });

  it('breaks deadline ties by urgency, then by the oldest report', () => {
    const deadlineAt = '2024-05-01T13:00:00Z';
    const tied = [
      eventFixture({ id: 'p2-old', urgency: 'P2', deadlineAt, reportedAt: '2024-05-01T01:00:00Z' }),
      eventFixture({ id: 'p2-older', urgency: 'P2', deadlineAt, reportedAt: '2024-05-01T00:30:00Z' }),
      eventFixture({ id: 'p0', urgency: 'P0', deadlineAt, reportedAt: '2024-05-01T02:00:00Z' }),
    ];
    expect(queueRows(tied, 'toFile', now).map((e) => e.id)).toEqual(['p0', 'p2-older', 'p2-old']);
  });

  it('sorts by urgency, then deadline, or by report time, newest first', () => {
    const rows = [
      eventFixture({ id: 'p2-soon', urgency: 'P2', deadlineAt: '2024-05-01T12:10:00Z', reportedAt: '2024-05-01T11:00:00Z' }),
      eventFixture({ id: 'p0-late', urgency: 'P0', deadlineAt: '2024-05-01T18:00:00Z', reportedAt: '2024-05-01T10:00:00Z' }),
      eventFixture({ id: 'p0-soon', urgency: 'P0', deadlineAt: '2024-05-01T13:00:00Z', reportedAt: '2024-05-01T11:30:00Z' }),
    ];
    expect(queueRows(rows, 'toFile', now, 'deadline').map((e) => e.id)).toEqual(['p2-soon', 'p0-soon', 'p0-late']);
    expect(queueRows(rows, 'toFile', now, 'urgency').map((e) => e.id)).toEqual(['p0-soon', 'p0-late', 'p2-soon']);
    expect(queueRows(rows, 'toFile', now, 'reported').map((e) => e.id)).toEqual(['p0-soon', 'p2-soon', 'p0-late']);
  });

  it('counts every tab in one pass', () => {
    expect(tabCounts(events, now)).toEqual({ new: 1, toFile: 2, toDispatch: 1, inProgress: 3, toVerify: 2, overdue: 2, notAdmitted: 1 });
  });
});

describe('rowBadges', () => {
  it('marks supervision, duplicates, a pending extension, rework and machine dispatch', () => {
    const event = eventFixture({
      status: 'in_progress',
      supervised: true,
      duplicateCandidates: ['EV000000000002', 'EV000000000003'],
      extensionRequest: { requestedAt: '2024-05-01T10:00:00Z', by: 'u1', reason: '需协调', limit: { value: 1, unit: 'work_days' } },
      reworkCount: 2,
      autoDispatched: true,
    });
    expect(rowBadges(event)).toEqual([
      { kind: 'supervised' },
      { kind: 'duplicate', count: 2 },
      { kind: 'extension' },
      { kind: 'rework', count: 2 },
      { kind: 'auto' },
    ]);
    expect(rowBadges(eventFixture())).toEqual([]);
  });

  it("marks a case a county's server forwarded before anything else, with the county's number", () => {
    const forwarded = eventFixture({ supervised: true, forwardedFrom: { county: '330899', eventId: 'EV202612040007' } });
    expect(rowBadges(forwarded)).toEqual([{ kind: 'forwarded', countyEventId: 'EV202612040007' }, { kind: 'supervised' }]);
  });

  it('marks a city’s assignment first, with the city and its deadline, and the filter keeps only those', () => {
    const assignment = { byRegionId: '330800', byRegionName: 'T市', at: old, dueAt: '2024-05-03T10:00:00Z', note: null, reportedAt: null, outcome: null };
    const assigned = eventFixture({ id: 'assigned', supervised: true, assignment });
    expect(rowBadges(assigned)).toEqual([{ kind: 'assigned', city: 'T市', dueAt: '2024-05-03T10:00:00Z' }, { kind: 'supervised' }]);
    expect([assigned, eventFixture()].filter(isAssigned).map((e) => e.id)).toEqual(['assigned']);
  });

  it('drops the duplicate mark once the case is finished', () => {
    expect(rowBadges(eventFixture({ status: 'merged', duplicateCandidates: ['EV000000000002'] }))).toEqual([]);
  });
});
