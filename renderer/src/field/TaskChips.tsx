import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { secondsLeft } from '../../../shared/domain/case-state.js';
import { useNow } from '../app/use-now';
import { countdownParts } from './tasks';

/** Time left on the case's current step, in words; yellow in the last hour, red once past. */
export function Countdown({ deadlineAt }: { deadlineAt: string | null }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const left = secondsLeft(deadlineAt, now);
  if (left === null) return <span className="f-countdown">{t('countdown.none')}</span>;
  const p = countdownParts(left);
  const parts = [p.days ? t('countdown.d', { n: p.days }) : '', p.days || p.hours ? t('countdown.h', { n: p.hours }) : '', p.days ? '' : t('countdown.m', { n: p.minutes })]
    .filter(Boolean)
    .join(' ');
  return (
    <span className={`f-countdown${p.overdue ? ' f-overdue' : left < 3600 ? ' f-soon' : ''}`} data-testid="field-countdown">
      {t(p.overdue ? 'countdown.overdue' : 'countdown.left', { time: parts })}
    </span>
  );
}

export function UrgencyChip({ urgency }: { urgency: EventRecord['urgency'] }) {
  const { t } = useTranslation();
  return <span className={`f-chip f-urg-${urgency}`}>{t(`urgency.${urgency}`)}</span>;
}

/**
 * A queued step, said as what will happen to it, never as a failure: 将在联网后发送 while the
 * phone has no link to the server, 正在发送… while it has one.
 */
export function PendingChip({ online, testId }: { online: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className="f-chip f-pending" data-testid={testId} data-online={online}>
      {online ? t('outbox.sending') : t('outbox.waitOnline')}
    </span>
  );
}
