import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { applyAcked, applyFetched, applyRaised, newAlerts, NO_ALERTS, restoreAlert } from './alert-state';

const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
  id,
  kind: 'overdue',
  severity: 'warning',
  eventId: 'EV202603020001',
  teamId: null,
  townId: '330100001',
  raisedAt: '2026-03-02T08:00:00Z',
  params: {},
  acked: null,
  ...overrides,
});

describe('open alerts', () => {
  it('lists critical alerts first, then the newest, each once', () => {
    let state = applyRaised(NO_ALERTS, alert('AL1', { raisedAt: '2026-03-02T08:00:00Z' }));
    state = applyRaised(state, alert('AL2', { raisedAt: '2026-03-02T08:05:00Z' }));
    state = applyRaised(state, alert('AL3', { raisedAt: '2026-03-02T07:00:00Z', severity: 'critical', kind: 'urgent_event' }));
    state = applyRaised(state, alert('AL2', { raisedAt: '2026-03-02T08:05:00Z' }));
    expect(state.items.map((a) => a.id)).toEqual(['AL3', 'AL2', 'AL1']);
  });

  it('drops an acknowledged alert for good, even from a list read before the acknowledgement', () => {
    let state = applyRaised(NO_ALERTS, alert('AL1'));
    state = applyAcked(state, 'AL1');
    expect(state.items).toEqual([]);
    expect(applyRaised(state, alert('AL1')).items).toEqual([]);
    expect(applyFetched(state, [alert('AL1'), alert('AL2')], []).items.map((a) => a.id)).toEqual(['AL2']);
  });

  it('keeps alerts pushed while the list was being read', () => {
    const state = applyFetched(NO_ALERTS, [alert('AL1')], [alert('AL9', { raisedAt: '2026-03-02T09:00:00Z' })]);
    expect(state.items.map((a) => a.id)).toEqual(['AL9', 'AL1']);
  });

  it('brings an alert back when its acknowledgement failed', () => {
    const acked = applyAcked(applyRaised(NO_ALERTS, alert('AL1')), 'AL1');
    expect(restoreAlert(acked, alert('AL1')).items.map((a) => a.id)).toEqual(['AL1']);
  });

  it('names the alerts not announced before', () => {
    expect(newAlerts(new Set(['AL1']), [alert('AL1'), alert('AL2')]).map((a) => a.id)).toEqual(['AL2']);
  });
});
