import { describe, expect, it } from 'vitest';
import { EVENT_STATUSES } from '../../../shared/contracts/events.js';
import { eventFixture } from '../testing/event-fixture';
import { teamFixture } from '../testing/team-fixture';
import { countdownParts, effectiveStatus, isNewTaskFor, myTasks, nextActions, verificationTasks } from './tasks';

describe('myTasks', () => {
  it('lists the team’s dispatched, accepted and in-progress cases, most urgent and nearest deadline first', () => {
    const events = [
      eventFixture({ id: 'a', teamId: 'TM1', status: 'dispatched', urgency: 'P2', deadlineAt: '2026-05-01T10:00:00Z' }),
      eventFixture({ id: 'b', teamId: 'TM1', status: 'in_progress', urgency: 'P0', deadlineAt: '2026-05-01T12:00:00Z' }),
      eventFixture({ id: 'c', teamId: 'TM1', status: 'accepted', urgency: 'P2', deadlineAt: '2026-05-01T09:00:00Z' }),
      eventFixture({ id: 'd', teamId: 'TM2', status: 'dispatched' }),
      eventFixture({ id: 'e', teamId: 'TM1', status: 'handled' }),
      eventFixture({ id: 'f', teamId: null, status: 'filed' }),
    ];
    expect(myTasks(events, 'TM1').map((e) => e.id)).toEqual(['b', 'c', 'a']);
    expect(myTasks(events, null)).toEqual([]);
  });
});

describe('verificationTasks', () => {
  const team = teamFixture({ id: 'TM1', townId: 'T1', homeRegionId: 'V1' });
  it('lists handled cases of other teams in the team’s town, home village first, never its own or self-handled ones', () => {
    const events = [
      eventFixture({ id: 'own', teamId: 'TM1', status: 'handled', townId: 'T1' }),
      eventFixture({ id: 'other-village', teamId: 'TM2', status: 'handled', townId: 'T1', villageId: 'V2', urgency: 'P0' }),
      eventFixture({ id: 'home', teamId: 'TM3', status: 'handled', townId: 'T1', villageId: 'V1', urgency: 'P3' }),
      eventFixture({ id: 'other-town', teamId: 'TM2', status: 'handled', townId: 'T9' }),
      eventFixture({ id: 'self', teamId: 'TM2', status: 'handled', townId: 'T1', selfHandled: true }),
      eventFixture({ id: 'working', teamId: 'TM2', status: 'in_progress', townId: 'T1' }),
    ];
    expect(verificationTasks(events, team).map((e) => e.id)).toEqual(['home', 'other-village']);
    expect(verificationTasks(events, null)).toEqual([]);
  });
  it('takes every town for a county unit', () => {
    const events = [eventFixture({ id: 'x', teamId: 'TM2', status: 'handled', townId: 'T9' })];
    expect(verificationTasks(events, { ...team, townId: null }).map((e) => e.id)).toEqual(['x']);
  });
});

describe('nextActions', () => {
  it('offers one obvious next step per state of the team’s own case (签收 is setting off: 到场 follows it)', () => {
    const own = (status: Parameters<typeof nextActions>[0]) => nextActions(status, { ownTeam: true });
    expect(own('dispatched')).toEqual({ primary: 'accept', secondary: ['return'] });
    expect(own('accepted')).toEqual({ primary: 'start', secondary: ['return'] });
    expect(own('in_progress')).toEqual({ primary: 'report', secondary: ['return'] });
    expect(own('handled')).toEqual({ primary: null, secondary: [] });
  });
  it('offers only verification on another team’s handled case, nothing on any other state', () => {
    for (const status of EVENT_STATUSES) {
      const next = nextActions(status, { ownTeam: false });
      expect(next).toEqual(status === 'handled' ? { primary: 'verify', secondary: ['rework'] } : { primary: null, secondary: [] });
    }
  });
});

describe('effectiveStatus', () => {
  it('applies the queued actions the state machine allows, in order', () => {
    expect(effectiveStatus('dispatched', [])).toBe('dispatched');
    expect(effectiveStatus('dispatched', ['accept', 'start'])).toBe('in_progress');
    expect(effectiveStatus('dispatched', ['accept', 'start', 'report'])).toBe('handled');
    // an action the state does not allow is skipped: the server will refuse it
    expect(effectiveStatus('dispatched', ['report'])).toBe('dispatched');
  });
});

describe('countdownParts', () => {
  it('splits seconds left (or past) into days, hours and minutes', () => {
    expect(countdownParts(5400)).toEqual({ overdue: false, days: 0, hours: 1, minutes: 30 });
    expect(countdownParts(-(2 * 86_400 + 3 * 3600 + 59))).toEqual({ overdue: true, days: 2, hours: 3, minutes: 0 });
  });
});

describe('isNewTaskFor', () => {
  it('is a dispatch (by a person or the machine) of a case to this team', () => {
    const ev = eventFixture({ teamId: 'TM1', status: 'dispatched' });
    expect(isNewTaskFor('TM1', { kind: 'dispatch', event: ev })).toBe(true);
    expect(isNewTaskFor('TM1', { kind: 'auto-dispatch', event: ev })).toBe(true);
    expect(isNewTaskFor('TM2', { kind: 'dispatch', event: ev })).toBe(false);
    expect(isNewTaskFor('TM1', { kind: 'accept', event: { ...ev, status: 'accepted' } })).toBe(false);
    expect(isNewTaskFor('TM1', { kind: 'deadline-warning', event: ev })).toBe(false);
    expect(isNewTaskFor(null, { kind: 'dispatch', event: ev })).toBe(false);
  });
});
