import type { EventStatus } from '../../../../shared/contracts/events.js';
import type { Action } from '../../../../shared/contracts/workflow.js';
import { ACTION_LABELS, STATUS_LABELS } from '../../../../shared/domain/labels.js';

/**
 * Message parameters naming a state and actions for a refusal. The Chinese text names them in
 * the shared vocabulary (with the code beside each allowed action, for whoever calls the API);
 * the English text names them by their codes, which is what an English-reading integrator types.
 */
export function transitionParams(status: EventStatus, action: Action, allowed: readonly Action[]): Record<string, string> {
  const zh = (a: Action) => ACTION_LABELS[a]['zh-CN'];
  return {
    status,
    statusZh: STATUS_LABELS[status]['zh-CN'],
    action,
    actionZh: zh(action),
    allowed: allowed.length > 0 ? allowed.join(', ') : 'none',
    allowedZh: allowed.length > 0 ? allowed.map((a) => `${zh(a)}（${a}）`).join('、') : '无',
  };
}
