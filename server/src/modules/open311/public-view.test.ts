import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { TimelineEntry } from '../../../../shared/contracts/workflow.js';
import { publicStatus, publicSteps, publicText } from './public-view.js';

const staff = (displayName: string, username: string) => ({ userId: username, username, displayName, role: 'dispatcher' as const });

function entry(seq: number, action: TimelineEntry['action'], to: TimelineEntry['to'], at: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return { seq, eventId: 'EV202611230001', action, from: null, to, at, actor: null, teamId: null, auto: false, note: null, position: null, attachments: [], details: {}, ...extra };
}

const event = (over: Partial<EventRecord> = {}) => ({ reporter: { name: '张伟明', phone: '13812345678' }, refusal: null, result: null, ...over }) as EventRecord;

describe('publicText', () => {
  it('removes phone numbers (also masked ones), identity numbers and the given names', () => {
    const text = '我是张伟明，电话13812345678，座机0579-82345678，身份证33072419800101123X，网格员李国强已到场，138****1234 转告';
    expect(publicText(text, ['张伟明', '李国强'])).toBe('我是***，电话***，座机***，身份证***，网格员***已到场，*** 转告');
  });

  it('leaves ordinary numbers, dates and one-character names alone', () => {
    expect(publicText('3组12号门口，2026年11月23日，约2平方米', ['王'])).toBe('3组12号门口，2026年11月23日，约2平方米');
  });

  it('masks the longest name first', () => {
    expect(publicText('张三丰和张三', ['张三', '张三丰'])).toBe('***和**');
  });
});

describe('publicSteps', () => {
  it('shows received, filed, in progress once and closed with the result, without names', () => {
    const entries = [
      entry(1, 'intake', 'reported', '2026-11-23T01:00:00.000Z'),
      entry(2, 'file', 'filed', '2026-11-23T01:10:00.000Z', { actor: staff('陈调度', 'demo-dispatcher') }),
      entry(3, 'dispatch', 'dispatched', '2026-11-23T01:12:00.000Z', { actor: staff('陈调度', 'demo-dispatcher') }),
      entry(4, 'accept', 'accepted', '2026-11-23T01:20:00.000Z', { actor: staff('刘处置', 'demo-field') }),
      entry(5, 'deadline-warning', 'accepted', '2026-11-23T01:30:00.000Z'),
      entry(6, 'report', 'handled', '2026-11-23T02:00:00.000Z', { details: { result: '刘处置已修好' } }),
      entry(7, 'rework', 'in_progress', '2026-11-23T02:10:00.000Z'),
      entry(8, 'close', 'closed', '2026-11-23T03:00:00.000Z', { details: { result: '刘处置已修好，请联系13900001111' } }),
    ];
    const steps = publicSteps(event(), entries, null);
    expect(steps).toEqual([
      { step: 'received', at: '2026-11-23T01:00:00.000Z' },
      { step: 'filed', at: '2026-11-23T01:10:00.000Z' },
      { step: 'in_progress', at: '2026-11-23T01:12:00.000Z' },
      { step: 'closed', at: '2026-11-23T03:00:00.000Z', result: '***已修好，请联系***' },
    ]);
    expect(publicStatus(steps)).toBe('closed');
  });

  it('shows a matter not admitted with its receiving body, and a rejection the same way', () => {
    const notAdmitted = publicSteps(
      event({ refusal: { reason: 'referred', receivingBody: '县公安局' } }),
      [entry(1, 'not-admitted', 'not_admitted', '2026-11-23T01:00:00.000Z', { details: { reason: 'referred', receivingBody: '县公安局' } })],
      null,
    );
    expect(notAdmitted).toEqual([
      { step: 'received', at: '2026-11-23T01:00:00.000Z' },
      { step: 'not_admitted', at: '2026-11-23T01:00:00.000Z', receivingBody: '县公安局' },
    ]);
    const rejected = publicSteps(
      event({ refusal: { reason: '不属于网格事项', receivingBody: '县市场监管局' } }),
      [entry(1, 'intake', 'reported', '2026-11-23T01:00:00.000Z'), entry(2, 'reject', 'rejected', '2026-11-23T01:05:00.000Z')],
      null,
    );
    expect(rejected.at(-1)).toEqual({ step: 'not_admitted', at: '2026-11-23T01:05:00.000Z', receivingBody: '县市场监管局' });
    expect(publicStatus(rejected)).toBe('not_admitted');
  });

  it('follows the master of a merged case from the merge on', () => {
    const own = [entry(1, 'intake', 'reported', '2026-11-23T01:00:00.000Z'), entry(2, 'merge', 'merged', '2026-11-23T01:05:00.000Z')];
    const masterEntries = [
      entry(10, 'intake', 'reported', '2026-11-23T00:30:00.000Z'),
      entry(11, 'file', 'filed', '2026-11-23T00:40:00.000Z'),
      entry(12, 'dispatch', 'dispatched', '2026-11-23T01:30:00.000Z'),
      entry(13, 'close', 'closed', '2026-11-23T04:00:00.000Z', { details: { result: '已处理' } }),
    ];
    const steps = publicSteps(event(), own, { event: event({ reporter: { name: '赵六', phone: '' } }), entries: masterEntries });
    expect(steps.map((s) => s.step)).toEqual(['received', 'filed', 'in_progress', 'closed']);
    // filed before the merge: this report joined it at the merge
    expect(steps.map((s) => s.at)).toEqual(['2026-11-23T01:00:00.000Z', '2026-11-23T01:05:00.000Z', '2026-11-23T01:30:00.000Z', '2026-11-23T04:00:00.000Z']);
  });
});
