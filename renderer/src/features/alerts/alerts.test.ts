import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { ALERT_TTL_MS, alertsFrom, MAX_ALERTS, mergeAlerts } from './alerts';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('alertsFrom', () => {
  it('raises the deadline warnings for open cases once, leaving overdue and new urgent cases to the server alerts', () => {
    const raised = new Set<string>();
    const p0 = eventFixture({ id: 'EV-P0', urgency: 'P0', status: 'reported' });
    const alerts = alertsFrom(
      [
        { seq: 1, event: p0, kind: 'reported' },
        { seq: 2, event: { ...p0, status: 'dispatched', seq: 2 }, kind: 'auto-dispatch' },
        { seq: 3, event: eventFixture({ id: 'EV-W', status: 'in_progress' }), kind: 'deadline-warning' },
        { seq: 4, event: eventFixture({ id: 'EV-O', status: 'filed' }), kind: 'deadline-overdue' },
        { seq: 5, event: eventFixture({ id: 'EV-P2', urgency: 'P2' }), kind: 'reported' },
        { seq: 6, event: eventFixture({ id: 'EV-F', status: 'filed' }), kind: 'file' },
      ],
      raised,
      now,
    );
    expect(alerts.map((a) => `${a.kind}:${a.eventId}`)).toEqual(['warning:EV-W']);
    expect(alertsFrom([{ seq: 3, event: eventFixture({ id: 'EV-W', status: 'in_progress' }), kind: 'deadline-warning' }], raised, now)).toEqual([]);
  });

  it('stays quiet about cases that are already finished', () => {
    expect(alertsFrom([{ seq: 1, event: eventFixture({ status: 'closed', urgency: 'P0' }), kind: 'deadline-warning' }], new Set(), now)).toEqual([]);
  });
});

describe('mergeAlerts', () => {
  it('shows the newest first, keeps at most five and lets old ones expire', () => {
    const raised = new Set<string>();
    const make = (i: number, at: number) =>
      alertsFrom([{ seq: i, event: eventFixture({ id: `EV${i}`, status: 'filed' }), kind: 'deadline-warning' }], raised, at)[0]!;
    const old = make(0, now - ALERT_TTL_MS);
    const shown = mergeAlerts([old], [make(1, now), make(2, now)], now);
    expect(shown.map((a) => a.eventId)).toEqual(['EV2', 'EV1']);
    const many = mergeAlerts(shown, [3, 4, 5, 6].map((i) => make(i, now)), now);
    expect(many.map((a) => a.eventId)).toEqual(['EV6', 'EV5', 'EV4', 'EV3', 'EV2']);
    expect(many).toHaveLength(MAX_ALERTS);
  });
});
