import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { itemNamer } from '../../app/item-names';
import { alertWords } from './alert-wording';

const t = (key: string, options?: Record<string, unknown>) => (options ? `${key}${JSON.stringify(options)}` : key);
const base: Alert = { id: 'AL1', kind: 'urgent_event', severity: 'critical', eventId: 'EV1', teamId: null, townId: null, regionId: null, raisedAt: '2026-03-02T08:00:00Z', params: {}, acked: null, cleared: null };
const now = Date.parse('2026-03-02T08:30:00Z');

describe('alertWords', () => {
  it('names the case for case alerts and the team for a silent team, with the facts in one line', () => {
    expect(alertWords(t, { ...base, params: { itemName: '火情', urgency: 'P0', address: '城关镇' } }, now)).toEqual({
      kind: 'serverAlerts.kind.urgent_event',
      subject: '火情',
      detail: 'urgency.P0 · 城关镇',
    });
    const silent = alertWords(t, { ...base, kind: 'team_silent', severity: 'warning', teamId: 'TM1', params: { teamName: '东门村网格员队', minutes: 30, lastSeenAt: null, openCases: 2 } }, now);
    expect(silent.subject).toBe('东门村网格员队');
    expect(silent.detail).toContain('serverAlerts.neverSeen');
    expect(silent.detail).toContain('teams.load{"count":2}');
  });

  it('says when a step near its deadline falls due', () => {
    const near = alertWords(t, { ...base, kind: 'near_deadline', severity: 'warning', params: { itemName: '井盖缺失', step: 'dispatch', deadlineAt: '2026-03-02T08:40:00Z', teamName: null } }, now);
    expect(near).toMatchObject({ kind: 'serverAlerts.kind.near_deadline', subject: '井盖缺失' });
    expect(near.detail).toContain('serverAlerts.nearStep');
    expect(near.detail).toContain('step.dispatch');
  });

  it('names the item in the UI language by its code, keeping the recorded name for an alert without one', () => {
    const namer = itemNamer({ B12: 'Fire' });
    expect(alertWords(t, { ...base, params: { itemName: '火情', itemCode: 'B12', urgency: 'P0' } }, now, namer).subject).toBe('Fire');
    expect(alertWords(t, { ...base, params: { itemName: '火情', urgency: 'P0' } }, now, namer).subject).toBe('火情');
  });

  it('tells the city how the county ended its case, in the county’s words, against the city’s deadline', () => {
    const reported = alertWords(
      t,
      { ...base, kind: 'assignment_reported', severity: 'warning', regionId: '330800', params: { itemName: '河道漂浮物', outcome: { status: 'rejected', text: '属省级河道', receivingBody: '省水利厅' }, onTime: false } },
      now,
    );
    expect(reported.subject).toBe('河道漂浮物');
    expect(reported.detail).toContain('status.rejected');
    expect(reported.detail).toMatch(/assignments\.alertText.*属省级河道.*assignments\.alertBody.*省水利厅/);
    expect(reported.detail).toContain('assignments.standing.late');
  });

  it('falls back to the ids when the names are missing', () => {
    expect(alertWords(t, { ...base, kind: 'task_returned', severity: 'warning', teamId: 'TM9', params: { reason: '非本队职责' } }, now).subject).toBe('EV1');
  });
});
