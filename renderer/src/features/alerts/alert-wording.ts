import type { Alert } from '../../../../shared/contracts/alerts.js';
import { formatWhen } from '../../app/time-format';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface AlertWords {
  /** The kind in words: 紧急事件, 超期, 任务回退, 队伍失联. */
  kind: string;
  /** What it is about: the case's item, or the team. */
  subject: string;
  /** The facts that make it urgent, in one line. */
  detail: string;
}

/** The words of an alert for the banner and the desktop notification, from its kind and params (times as of `now`). */
export function alertWords(t: Translate, alert: Alert, now: number): AlertWords {
  const p = alert.params;
  const kind = t(`serverAlerts.kind.${alert.kind}`);
  const item = p.itemName ?? alert.eventId ?? '';
  const team = p.teamName ?? alert.teamId ?? '';
  switch (alert.kind) {
    case 'urgent_event':
      return { kind, subject: item, detail: [p.urgency ? t(`urgency.${p.urgency}`) : null, p.address].filter(Boolean).join(' · ') };
    case 'overdue':
      return {
        kind,
        subject: item,
        detail: [
          p.step ? t('serverAlerts.overdueStep', { step: t(`step.${p.step}`, { defaultValue: p.step }) }) : t('serverAlerts.overdueCase'),
          p.deadlineAt ? t('serverAlerts.deadlineWas', { time: formatWhen(p.deadlineAt, now) }) : null,
          p.teamName ?? null,
        ]
          .filter(Boolean)
          .join(' · '),
      };
    case 'task_returned':
      return { kind, subject: item, detail: t('serverAlerts.returnedBy', { team, reason: p.reason ?? '' }) };
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
