import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../shared/contracts/workflow.js';
import { zhCN } from '../../i18n/zh-CN';
import type { Translate } from '../case-actions/wording';
import { detailRows, entryLabel, entryTone, timelineStamp } from './timeline-format';

const i18n = i18next.createInstance();
let t: Translate;
beforeAll(async () => {
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  t = i18n.getFixedT('zh-CN') as unknown as Translate;
});

const person = { userId: 'u1', username: 'demo-dispatcher', displayName: '调度员', role: 'dispatcher' as const };
const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  seq: 1,
  eventId: 'EV000000000001',
  action: 'file',
  from: 'reported',
  to: 'filed',
  at: '2024-05-01T02:00:00Z',
  actor: person,
  teamId: null,
  auto: false,
  note: null,
  position: null,
  attachments: [],
  details: {},
  ...over,
});

describe('timeline entries', () => {
  it('name actions and system steps in words', () => {
    expect(entryLabel(t, entry({ action: 'dispatch' }))).toBe('派遣');
    expect(entryLabel(t, entry({ action: 'intake' }))).toBe('受理上报');
    expect(entryLabel(t, entry({ action: 'deadline-overdue' }))).toBe('超期告警');
    expect(entryLabel(t, entry({ action: 'auto-dispatch', details: { step: 'file' } }))).toBe('机器派单 · 立案');
    expect(entryLabel(t, entry({ action: 'auto-dispatch', details: { dispatched: false, reason: 'no_eligible_team' } }))).toBe('未能机器派单');
  });

  it('tell the machine, the deadline alarms, refusals and the close apart', () => {
    expect(entryTone(entry({ action: 'file' }))).toBe('person');
    expect(entryTone(entry({ action: 'auto-dispatch', actor: null, auto: true, to: 'dispatched' }))).toBe('machine');
    // No one acted (an intake from an integration or the demo history): drawn as the system's.
    expect(entryTone(entry({ action: 'intake', actor: null, auto: false, from: null, to: 'reported' }))).toBe('machine');
    expect(entryTone(entry({ action: 'deadline-warning', actor: null, auto: true }))).toBe('warning');
    expect(entryTone(entry({ action: 'rework', to: 'in_progress' }))).toBe('refusal');
    expect(entryTone(entry({ action: 'close', to: 'closed' }))).toBe('done');
  });

  it('show the facts of a dispatch and an approved extension, with times in county time', () => {
    expect(detailRows(t, entry({ action: 'dispatch', details: { teamId: 'TM0001', teamName: '城关网格队', previousTeamId: null, dueAt: '2024-05-03T09:30:00Z' } }))).toEqual([
      { key: 'teamName', label: '派往', value: '城关网格队' },
      { key: 'dueAt', label: '应结案', value: '2024-05-03 17:30:00' },
    ]);
    const approved = detailRows(
      t,
      entry({
        action: 'approve-extension',
        details: { extension: { value: 2, unit: 'work_days' }, reason: '需协调', requestedBy: '网格员', deadlineFrom: '2024-05-01T09:00:00Z', deadlineTo: '2024-05-03T09:00:00Z' },
      }),
    );
    expect(approved.map((r) => `${r.label}=${r.value}`)).toEqual(['理由=需协调', '延期=2 工作日', '申请人=网格员', '原时限=2024-05-01 17:00:00', '新时限=2024-05-03 17:00:00']);
  });

  it('show the channel a case came through and its own facts (camera, confidence, the hotline\'s words)', () => {
    const video = detailRows(t, entry({ action: 'intake', details: { source: 'video_ai', channel: 'video', channelId: 'XL-0917', cameraId: 'CAM0004', cameraName: '东门路口 雪亮工程04号', alertType: 'occupy_road', confidence: 0.914, urgency: 'P2', duplicateCandidates: [] } }));
    expect(video.map((r) => `${r.label}=${r.value}`)).toEqual(['来件渠道=视频AI（雪亮工程）', '渠道编号=XL-0917', '摄像头=东门路口 雪亮工程04号', 'AI 置信度=91%']);
    const hotline = detailRows(t, entry({ action: 'intake', details: { channel: 'hotline', channelId: 'ZJ12345-42', itemText: '城市管理/占道经营', itemBy: 'mapping', caller: '138****1234' } }));
    expect(hotline.map((r) => `${r.label}=${r.value}`)).toEqual(['来件渠道=12345 热线', '渠道编号=ZJ12345-42', '热线分类=城市管理/占道经营', '事项确定方式=按分类对照表', '来电号码=138****1234']);
  });

  it('show the reason a team the ranking marked ineligible was sent anyway, and what was overridden', () => {
    const rows = detailRows(t, entry({ action: 'dispatch', details: { teamName: '东门村网格队', override: { reason: '值班长已电话召回', ineligible: ['off_duty', 'type_mismatch'] } } }));
    expect(rows.map((r) => `${r.label}=${r.value}`)).toEqual(['派往=东门村网格队', '派遣理由=值班长已电话召回', '不符合条件=离岗、类型不符']);
  });

  it('say why the machine did not dispatch, and what it weighed when it did', () => {
    expect(detailRows(t, entry({ action: 'auto-dispatch', details: { dispatched: false, reason: 'no_available_home_team' } }))).toEqual([
      { key: 'why', label: '说明', value: '本地队伍均不空闲，转人工派遣' },
    ]);
    const rows = detailRows(t, entry({ action: 'auto-dispatch', details: { step: 'dispatch', teamId: 'TM1', teamName: '东门村网格队', score: 80, reasons: ['type_match', 'home_village', 'distance'] } }));
    expect(rows.map((r) => r.value)).toEqual(['东门村网格队', '类型相符、本村社队伍、距离']);
  });

  it('explain a refusal to admit by its reason code', () => {
    const rows = detailRows(t, entry({ action: 'not-admitted', details: { reason: 'referred', receivingBody: '县公安局', itemCode: 'X01' } }));
    expect(rows).toEqual([
      { key: 'reason', label: '理由', value: '清单外事项，已转承接单位' },
      { key: 'receivingBody', label: '承接单位', value: '县公安局' },
    ]);
  });
});

describe('timelineStamp', () => {
  // 2026-11-24 10:00 in the county (UTC+8)
  const now = Date.parse('2026-11-24T10:00:00+08:00');

  it('gives only the time for today, county time, whatever the machine’s zone', () => {
    expect(timelineStamp('2026-11-24T00:05:00+08:00', now, 'zh-CN')).toEqual({ date: null, time: '00:05' });
    expect(timelineStamp('2026-11-23T16:30:00Z', now, 'en')).toEqual({ date: null, time: '00:30' });
  });

  it('adds the date for an earlier day, the year for an earlier year, in the UI language', () => {
    expect(timelineStamp('2026-11-23T23:59:00+08:00', now, 'zh-CN')).toEqual({ date: '11月23日', time: '23:59' });
    expect(timelineStamp('2026-11-03T08:07:00+08:00', now, 'en')).toEqual({ date: 'Nov 3', time: '08:07' });
    expect(timelineStamp('2025-12-31T09:00:00+08:00', now, 'zh-CN')).toEqual({ date: '2025年12月31日', time: '09:00' });
    expect(timelineStamp('2025-12-31T09:00:00+08:00', now, 'en')).toEqual({ date: 'Dec 31, 2025', time: '09:00' });
    expect(timelineStamp('garbled', now, 'zh-CN')).toEqual({ date: null, time: '—' });
  });
});
