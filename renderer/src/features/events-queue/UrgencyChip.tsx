import { useTranslation } from 'react-i18next';
import type { Urgency } from '../../../../shared/contracts/events.js';

/** Urgency as colour and words together: 特急 / 紧急 / 一般 / 复杂. */
export function UrgencyChip({ urgency, size = 'normal' }: { urgency: Urgency; size?: 'normal' | 'large' }) {
  const { t } = useTranslation();
  return (
    <span className={`urgency-chip urgency-${urgency}`} data-size={size} data-urgency={urgency}>
      {t(`urgency.${urgency}`)}
    </span>
  );
}
