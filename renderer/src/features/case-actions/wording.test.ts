import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../app/api-client';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { describeActionError, limitLabel, pointsLabel, reasonLabel, reasonTone, type Translate } from './wording';

// The real catalogues through a private i18next instance: the wording under test is theirs.
const i18n = i18next.createInstance();
let zh: Translate;
let english: Translate;
beforeAll(async () => {
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  zh = i18n.getFixedT('zh-CN') as unknown as Translate;
  english = i18n.getFixedT('en') as unknown as Translate;
});

describe('reasonLabel', () => {
  it('turns reason codes and params into short phrases in the UI language', () => {
    expect(reasonLabel(zh, { code: 'distance', params: { km: 2.44 }, points: 17.6 })).toBe('距离 2.4 km');
    expect(reasonLabel(english, { code: 'distance', params: { km: 2.44 }, points: 17.6 })).toBe('2.4 km away');
    expect(reasonLabel(zh, { code: 'roster', params: { name: '张三', role: 'community_police' }, points: 15 })).toBe('5包1：张三（社区民警）');
    expect(reasonLabel(zh, { code: 'load', params: { open: 3 }, points: -6 })).toBe('在办 3 件');
    expect(reasonLabel(zh, { code: 'home_village', params: {}, points: 30 })).toBe('本村社队伍');
    expect(reasonLabel(zh, { code: 'type_mismatch', params: { type: 'police', wanted: 'law_enforcement' }, points: 0 })).toBe('类型不符（需综合执法）');
    expect(reasonLabel(english, { code: 'stale_position', params: { hours: 5.5 }, points: -5 })).toBe('Position 5.5 h old');
    expect(reasonLabel(zh, { code: 'returned_before', params: { times: 1 }, points: 0 })).toBe('已回退过本案件');
    expect(reasonLabel(zh, { code: 'returned_before', params: { times: 2 }, points: 0 })).toBe('已回退过本案件 2 次');
    expect(reasonLabel(english, { code: 'returned_before', params: { times: 1 }, points: 0 })).toBe('Returned this case before');
  });

  it('still says something when a param is missing', () => {
    expect(reasonLabel(zh, { code: 'distance', params: {}, points: 0 })).toBe('距离');
    expect(reasonLabel(zh, { code: 'stale_position', params: {}, points: -5 })).toBe('位置较久未更新');
    expect(reasonLabel(zh, { code: 'roster', params: {}, points: 15 })).toBe('5包1 联系人所在队伍');
  });
});

describe('points and limits', () => {
  it('signs points with a true minus and marks the weight of a reason', () => {
    expect(pointsLabel(30)).toBe('+30');
    expect(pointsLabel(-4.52)).toBe('\u22124.5');
    expect(pointsLabel(0)).toBe('±0');
    expect(reasonTone({ code: 'busy', params: {}, points: -10 })).toBe('minus');
    expect(reasonTone({ code: 'off_duty', params: {}, points: 0 })).toBe('minus');
    expect(reasonTone({ code: 'returned_before', params: { times: 1 }, points: 0 })).toBe('minus');
    expect(reasonTone({ code: 'distance', params: { km: 40 }, points: 0 })).toBe('zero');
  });

  it('says a time limit with its unit', () => {
    expect(limitLabel(zh, { value: 2, unit: 'work_days' })).toBe('2 工作日');
    expect(limitLabel(english, { value: 90, unit: 'minutes' })).toBe('90 minutes');
  });
});

describe('describeActionError', () => {
  it('names the current state and the allowed actions of an illegal transition', () => {
    const err = new ApiRequestError('非法', 409, 'illegal_transition', { status: 'dispatched', allowed: ['accept', 'return'] });
    expect(describeActionError(zh, 'file', err)).toEqual({
      title: '「立案」未成功',
      message: '该事件当前为「已派遣」，不能执行「立案」（可能已被他人处理）。',
      hint: '现在可执行：签收、回退',
    });
    expect(describeActionError(english, 'close', new ApiRequestError('x', 409, 'illegal_transition', { status: 'closed', allowed: [] })).hint).toBe(
      'Nothing is possible now',
    );
  });

  it("carries the server's reason for a separation-of-duties refusal", () => {
    const err = new ApiRequestError('采办分离：处置人不能核查自己处置的案件', 403, 'separation_of_duties', { rule: 'handler_cannot_verify' });
    expect(describeActionError(zh, 'verify', err)).toEqual({ title: '「核查通过」未成功', message: '采办分离：处置人不能核查自己处置的案件', hint: null });
  });

  it("says why a team may not be dispatched in the server's words (off duty, no reason given)", () => {
    const err = new ApiRequestError('“甲村网格服务团队”不符合派遣条件：该处置力量当前离岗。如确需派遣，须写明派遣理由（override.reason）。', 422, 'team_ineligible', {
      ineligible: ['off_duty'],
      overridable: true,
    });
    expect(describeActionError(zh, 'dispatch', err)).toEqual({ title: '「派遣」未成功', message: err.message, hint: null });
  });

  it("says a guard failure in the server's words, with what is possible now", () => {
    const err = new ApiRequestError('已有一份延期申请待审批，不能再次申请。', 409, 'illegal_transition', { status: 'in_progress', allowed: ['report'], reason: 'extension_pending' });
    expect(describeActionError(zh, 'request-extension', err)).toEqual({ title: '「申请延期」未成功', message: '已有一份延期申请待审批，不能再次申请。', hint: '现在可执行：处置反馈' });
  });

  it('says that nothing was sent when the server is unreachable, and lists refused fields', () => {
    expect(describeActionError(zh, 'file', new ApiRequestError('fetch failed', 0, 'network')).message).toBe('无法连接服务器，操作未提交，请重试。');
    const invalid = new ApiRequestError('请求内容有误', 400, 'invalid_body', {}, [{ field: 'teamId', code: 'invalid', message: '格式不对' }]);
    expect(describeActionError(zh, 'dispatch', invalid)).toEqual({ title: '「派遣」未成功', message: '请求内容有误', hint: 'teamId: 格式不对' });
  });
});
