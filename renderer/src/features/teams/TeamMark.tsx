import { useTranslation } from 'react-i18next';
import type { TeamStatus } from '../../../../shared/contracts/workflow.js';
import './teams.css';

/** The team's status as the map draws it: a coloured rounded square with the status's mark, plus the word. */
export function TeamStatusChip({ status, withWord = true }: { status: TeamStatus; withWord?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="team-chip" data-status={status}>
      <span className="team-square" aria-hidden="true">
        {t(`teamStatusMark.${status}`)}
      </span>
      {withWord && <span className="team-chip-word">{t(`teamStatus.${status}`)}</span>}
    </span>
  );
}
