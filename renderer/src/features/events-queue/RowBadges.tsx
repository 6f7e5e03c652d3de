import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { formatDateTime } from '../../app/time-format';
import { rowBadges, type RowBadge } from './queue-tabs';
import './assigned-badge.css';

function label(t: (key: string, options?: Record<string, unknown>) => string, badge: RowBadge): { text: string; title: string } {
  switch (badge.kind) {
    case 'duplicate':
      return { text: t('queue.badge.duplicate'), title: t('queue.badge.duplicateTitle', { count: badge.count }) };
    case 'rework':
      return { text: t('queue.badge.rework', { count: badge.count }), title: t('queue.badge.reworkTitle', { count: badge.count }) };
    case 'merged':
      return { text: t('queue.badge.merged'), title: t('queue.badge.mergedTitle') };
    case 'forwarded':
      return { text: t('queue.badge.forwarded'), title: t('queue.badge.forwardedTitle', { id: badge.countyEventId }) };
    case 'assigned':
      // the city's name and its deadline, on the tag itself: the county works to the city's time
      return { text: `${t('assignments.badge', { city: badge.city })} · ${formatDateTime(badge.dueAt).slice(5, 16) /* MM-DD hh:mm */}`, title: t('assignments.badgeTitle', { city: badge.city, due: formatDateTime(badge.dueAt) }) };
    default: {
      const text = t(`queue.badge.${badge.kind}`);
      return { text, title: text };
    }
  }
}

/**
 * The marks of a case, as words in small tags (never colour alone): 县级办理 (forwarded by a county's
 * own server), T市交办 with its deadline, 督办,
 * 疑似重复, 延期待批, 返工n, 机器派单, 主件. `extra` adds 自行处置, for the detail panel.
 */
export function RowBadges({ event, extra }: { event: EventRecord; extra?: boolean }) {
  const { t } = useTranslation();
  const badges = rowBadges(event);
  if (badges.length === 0 && !(extra && event.selfHandled)) return null;
  return (
    <span className="row-badges" data-testid="badges">
      {badges.map((badge) => {
        const { text, title } = label(t as never, badge);
        return (
          <span key={badge.kind} className="badge-tag" data-badge={badge.kind} title={title}>
            {text}
          </span>
        );
      })}
      {extra && event.selfHandled && (
        <span className="badge-tag" data-badge="self-handled">
          {t('detail.selfHandled')}
        </span>
      )}
    </span>
  );
}
