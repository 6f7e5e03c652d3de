import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { deadlineStanding } from '../../../../shared/domain/case-state.js';
import { formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';

/**
 * Time left on the current step: plain, yellow under 20% left, red with 「超期」 once past. It
 * reads the shared clock itself (unless the caller hands it the time), so in the queue each
 * second redraws the countdowns and nothing around them.
 */
export function Countdown({ event, now: given }: { event: EventRecord; now?: number }) {
  const { t, i18n } = useTranslation();
  const clock = useNow();
  const now = given ?? clock;
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const state = deadlineStanding(event, now);
  switch (state.kind) {
    case 'none':
      return <span className="countdown" data-state="none">{t('queue.noDeadline')}</span>;
    case 'overdue':
      return (
        <span className="countdown" data-state="overdue">
          {t('queue.overdueBy', { time: formatDuration(state.overdueMs, lang) })}
        </span>
      );
    default:
      return (
        <span className="countdown" data-state={state.kind}>
          {t('queue.remaining', { time: formatDuration(state.remainingMs, lang) })}
        </span>
      );
  }
}
