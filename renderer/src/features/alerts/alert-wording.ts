import type { Alert } from '../../../../shared/contracts/alerts.js';
import type { ItemNamer } from '../../app/item-names';
import { formatWhen } from '../../app/time-format';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface AlertWords {
  /** The kind in words: 紧急事件, 临近超期, 超期, 任务回退, 队伍失联. */
  kind: string;
  /** What it is about: the case's item, or the team. */
  subject: string;
  /** The facts that make it urgent, in one line. */
  detail: string;
}

/**
 * A mark per kind beside its words (never colour alone): half a disc as the time runs out, a
 * full one once it has. Glyphs the shipped CJK fallback font draws; emoji clocks it does not.
 */
export const ALERT_MARKS: Readonly<Record<Alert['kind'], string>> = { urgent_event: '!', near_deadline: '◐', overdue: '●', task_returned: '↩', team_silent: '?', assignment_reported: '↑' };

/** The words of an alert for the dock, the bell's panel and the desktop notification, from its kind and params (times as of `now`). */
export function alertWords(t: Translate, alert: Alert, now: number, itemName?: ItemNamer): AlertWords {
  const p = alert.params;
  const kind = t(`serverAlerts.kind.${alert.kind}`);
  const item = p.itemName ? (itemName && p.itemCode ? itemName({ itemCode: p.itemCode, itemName: p.itemName }) : p.itemName) : (alert.eventId ?? '');
  const team = p.teamName ?? alert.teamId ?? '';
  const step = p.step ? t(`step.${p.step}`, { defaultValue: p.step }) : null;
  switch (alert.kind) {
    case 'urgent_event':
      return { kind, subject: item, detail: [p.urgency ? t(`urgency.${p.urgency}`) : null, p.address].filter(Boolean).join(' · ') };
    case 'near_deadline':
      return {
        kind,
        subject: item,
        detail: [step && p.deadlineAt ? t('serverAlerts.nearStep', { step, time: formatWhen(p.deadlineAt, now) }) : null, p.teamName ?? null].filter(Boolean).join(' · '),
      };
    case 'overdue':
      return {
        kind,
        subject: item,
        detail: [
          step ? t('serverAlerts.overdueStep', { step }) : t('serverAlerts.overdueCase'),
          p.deadlineAt ? t('serverAlerts.deadlineWas', { time: formatWhen(p.deadlineAt, now) }) : null,
          p.teamName ?? null,
        ]
          .filter(Boolean)
          .join(' · '),
      };
    case 'task_returned':
      return { kind, subject: item, detail: t('serverAlerts.returnedBy', { team, reason: p.reason ?? '' }) };
    case 'assignment_reported': {
      // 交办结果: how the county ended the city's case, in its words, and against the city's deadline
      const o = p.outcome;
      const text = o?.text ? t('assignments.alertText', { text: o.text }) : '';
      return {
        kind,
        subject: item,
        detail: t('assignments.alertDetail', {
          status: o ? t(`status.${o.status}`) : '',
          text: o?.receivingBody ? text + t('assignments.alertBody', { body: o.receivingBody }) : text,
          standing: t(`assignments.standing.${p.onTime === false ? 'late' : 'on_time'}`),
        }),
      };
    }
    case 'team_silent':
      return {
        kind,
        subject: team,
        detail: [
          t('serverAlerts.silentFor', { minutes: p.minutes ?? '?' }),
          p.lastSeenAt ? t('serverAlerts.lastSeen', { time: formatWhen(p.lastSeenAt, now) }) : t('serverAlerts.neverSeen'),
          p.openCases !== undefined ? t('teams.load', { count: p.openCases }) : null,
        ]
          .filter(Boolean)
          .join(' · '),
      };
  }
}
