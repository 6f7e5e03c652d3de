import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { applyFetched, applyGone, applyRaised, countBySeverity, filterAlerts, groupByKind, newAlerts, NO_ALERTS, NO_FILTER, restoreAlerts } from './alert-state';

const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
  id,
  kind: 'overdue',
  severity: 'warning',
  eventId: 'EV202603020001',
  teamId: null,
  townId: '330100001',
  regionId: null,
  raisedAt: '2026-03-02T08:00:00Z',
  params: {},
  acked: null,
  cleared: null,
  ...overrides,
});

describe('open alerts', () => {
  it('lists critical alerts first, then warnings, then notices, the newest first within each, each once', () => {
    let state = applyRaised(NO_ALERTS, alert('AL1', { raisedAt: '2026-03-02T08:00:00Z' }));
    state = applyRaised(state, alert('AL2', { raisedAt: '2026-03-02T08:05:00Z' }));
    state = applyRaised(state, alert('AL3', { raisedAt: '2026-03-02T07:00:00Z', severity: 'critical', kind: 'urgent_event' }));
    state = applyRaised(state, alert('AL4', { raisedAt: '2026-03-02T09:00:00Z', severity: 'notice' }));
    state = applyRaised(state, alert('AL2', { raisedAt: '2026-03-02T08:05:00Z' }));
    expect(state.items.map((a) => a.id)).toEqual(['AL3', 'AL2', 'AL1', 'AL4']);
  });

  it('drops an acknowledged or cleared alert for good, even from a list read before', () => {
    let state = applyRaised(applyRaised(NO_ALERTS, alert('AL1')), alert('AL2'));
    state = applyGone(state, ['AL1', 'AL2']);
    expect(state.items).toEqual([]);
    expect(applyRaised(state, alert('AL1')).items).toEqual([]);
    expect(applyFetched(state, [alert('AL1'), alert('AL2'), alert('AL3')], []).items.map((a) => a.id)).toEqual(['AL3']);
    expect(applyRaised(NO_ALERTS, alert('AL5', { cleared: { at: '2026-03-02T08:01:00Z', reason: 'case_closed' } })).items).toEqual([]);
  });

  it('keeps alerts pushed while the list was being read', () => {
    const state = applyFetched(NO_ALERTS, [alert('AL1')], [alert('AL9', { raisedAt: '2026-03-02T09:00:00Z' })]);
    expect(state.items.map((a) => a.id)).toEqual(['AL9', 'AL1']);
  });

  it('brings alerts back when their acknowledgement failed', () => {
    const acked = applyGone(applyRaised(applyRaised(NO_ALERTS, alert('AL1')), alert('AL2')), ['AL1', 'AL2']);
    expect(restoreAlerts(acked, [alert('AL1'), alert('AL2')]).items.map((a) => a.id).sort()).toEqual(['AL1', 'AL2']);
  });

  it('names the alerts not announced before', () => {
    expect(newAlerts(new Set(['AL1']), [alert('AL1'), alert('AL2')]).map((a) => a.id)).toEqual(['AL2']);
  });
});

describe('groups and filters', () => {
  const items = [
    alert('AL1', { kind: 'overdue', severity: 'notice', townId: 'T1' }),
    alert('AL2', { kind: 'overdue', severity: 'warning', townId: 'T2' }),
    alert('AL3', { kind: 'team_silent', severity: 'warning', townId: 'T1' }),
    alert('AL4', { kind: 'urgent_event', severity: 'critical', townId: 'T2' }),
  ];

  it('groups by kind, the group holding the most severe alert first, with counts by severity', () => {
    const groups = groupByKind(items);
    expect(groups.map((g) => [g.kind, g.items.length])).toEqual([
      ['urgent_event', 1],
      ['overdue', 2],
      ['team_silent', 1],
    ]);
    expect(groups[1]!.bySeverity).toEqual({ critical: 0, warning: 1, notice: 1 });
    expect(countBySeverity(items)).toEqual({ critical: 1, warning: 2, notice: 1 });
  });

  it('narrows by kind, severity and town', () => {
    expect(filterAlerts(items, NO_FILTER)).toHaveLength(4);
    expect(filterAlerts(items, { kind: 'overdue', severity: null, townId: null }).map((a) => a.id)).toEqual(['AL1', 'AL2']);
    expect(filterAlerts(items, { kind: null, severity: 'warning', townId: 'T1' }).map((a) => a.id)).toEqual(['AL3']);
  });
});
