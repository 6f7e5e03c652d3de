import type { EventStatus } from '../../../../shared/contracts/events.js';
import type { Action } from '../../../../shared/contracts/workflow.js';

/** Chinese names of case states, for refusal messages (the English ones are the codes). */
export const STATUS_ZH: Readonly<Record<EventStatus, string>> = {
  reported: '已上报',
  filed: '已立案',
  rejected: '不予立案',
  void: '已作废',
  dispatched: '已派遣',
  accepted: '已签收',
  in_progress: '处置中',
  handled: '已反馈',
  verified: '已核查',
  closed: '已结案',
  merged: '已合并',
  not_admitted: '不予受理',
};

/** Chinese names of actions, for refusal messages. */
export const ACTION_ZH: Readonly<Record<Action, string>> = {
  file: '立案',
  reject: '不予立案',
  void: '作废',
  dispatch: '派遣',
  accept: '签收',
  return: '回退',
  start: '开始处置',
  report: '处置反馈',
  verify: '核查通过',
  rework: '返工',
  close: '结案',
  'request-extension': '申请延期',
  'approve-extension': '批准延期',
  'deny-extension': '驳回延期',
  supervise: '督办',
  merge: '合并',
};

/** Message parameters naming a state and actions in both languages. */
export function transitionParams(status: EventStatus, action: Action, allowed: readonly Action[]): Record<string, string> {
  return {
    status,
    statusZh: STATUS_ZH[status],
    action,
    actionZh: ACTION_ZH[action],
    allowed: allowed.length > 0 ? allowed.join(', ') : 'none',
    allowedZh: allowed.length > 0 ? allowed.map((a) => `${ACTION_ZH[a]}（${a}）`).join('、') : '无',
  };
}
