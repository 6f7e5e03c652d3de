import { useTranslation } from 'react-i18next';
import { URGENCIES } from '../../../../shared/contracts/events.js';
import { TEAM_STATUS_VALUES } from '../../../../shared/contracts/workflow.js';
import { TeamStatusChip } from '../../features/teams/TeamMark';

/** What the markers mean, on screen all the time: nothing important hides behind hover. */
export function MapLegend() {
  const { t } = useTranslation();
  return (
    <div className="map-legend" aria-label={t('map.legend')}>
      <ul className="legend-urgency">
        {URGENCIES.map((u) => (
          <li key={u}>
            <span className={`legend-dot urgency-${u}`} aria-hidden="true" />
            {t(`urgency.${u}`)}
          </li>
        ))}
      </ul>
      <ul className="legend-phase">
        <li>
          <span className="legend-dot legend-new" aria-hidden="true" />
          {t('map.legendNew')}
        </li>
        <li>
          <span className="legend-dot legend-active" aria-hidden="true" />
          {t('map.legendActive')}
        </li>
        <li>
          <span className="legend-dot legend-review" aria-hidden="true" />
          {t('map.legendHandled')}
        </li>
        <li>
          <span className="legend-dot legend-warning" aria-hidden="true" />
          {t('map.legendWarning')}
        </li>
        <li>
          <span className="legend-dot legend-overdue" aria-hidden="true" />
          {t('map.legendOverdue')}
        </li>
      </ul>
      <ul className="legend-team" aria-label={t('map.legendTeams')}>
        <li className="legend-title">{t('map.legendTeams')}</li>
        {TEAM_STATUS_VALUES.map((s) => (
          <li key={s}>
            <TeamStatusChip status={s} />
          </li>
        ))}
      </ul>
    </div>
  );
}
