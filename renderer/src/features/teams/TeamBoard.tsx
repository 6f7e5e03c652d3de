import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TEAM_TYPES, type TeamType } from '../../../../shared/contracts/catalog.js';
import type { TeamSummary } from '../../../../shared/contracts/teams.js';
import { TEAM_STATUS_VALUES, type TeamStatus } from '../../../../shared/contracts/workflow.js';
import { EVENT_DRAG_TYPE } from '../../app/event-drag';
import type { TeamSelection } from '../../app/team-selection';
import { formatDateTime, formatDuration } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import type { RegionIndex } from '../regions/region-index';
import { TeamStatusChip } from './TeamMark';
import { filterTeams, NO_TEAM_FILTER, statusCounts, type TeamFilter, type TeamsById } from './team-state';

export interface TeamBoardProps {
  teams: TeamsById;
  status: 'pending' | 'error' | 'success';
  error: Error | null;
  index: RegionIndex;
  selection: TeamSelection;
  onSelect(teamId: string): void;
  /** A queue row was dropped on a team's row; null when this user does not dispatch. */
  onDropEvent: ((eventId: string, teamId: string) => void) | null;
  onClose(): void;
}

function toggle<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/**
 * 队伍看板: every team the user may see, with its status (square, mark and word), home, load,
 * leader and how fresh its position is; filters by type, status and town. A click selects the
 * team on the map (and shows its trail); a queue row dropped on a team opens the dispatch
 * dialog with that team chosen.
 */
export function TeamBoard({ teams, status, error, index, selection, onSelect, onDropEvent, onClose }: TeamBoardProps) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const collator = useMemo(() => new Intl.Collator(lang), [lang]);
  const now = useNow(15_000);
  const [filter, setFilter] = useState<TeamFilter>(NO_TEAM_FILTER);
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  const all = useMemo(() => [...teams.values()], [teams]);
  const shown = useMemo(() => filterTeams(all, filter, collator), [all, filter, collator]);
  const counts = useMemo(() => statusCounts(all), [all]);
  const towns = useMemo(() => {
    const ids = new Set<string>();
    for (const team of all) if (team.townId) ids.add(team.townId);
    return [...ids].map((id) => ({ id, name: index.get(id)?.name ?? id })).sort((a, b) => collator.compare(a.name, b.name));
  }, [all, index, collator]);
  const types = useMemo(() => TEAM_TYPES.filter((type) => all.some((team) => team.type === type)), [all]);

  const accepts = (e: DragEvent) => onDropEvent !== null && e.dataTransfer.types.includes(EVENT_DRAG_TYPE);
  const onDragOver = (team: TeamSummary) => (e: DragEvent<HTMLLIElement>) => {
    if (!accepts(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'link';
    if (dropTarget !== team.id) setDropTarget(team.id);
  };
  const onDrop = (team: TeamSummary) => (e: DragEvent<HTMLLIElement>) => {
    setDropTarget(null);
    const eventId = e.dataTransfer.getData(EVENT_DRAG_TYPE);
    if (!accepts(e) || !eventId) return;
    e.preventDefault();
    onDropEvent?.(eventId, team.id);
  };

  const positionNote = (team: TeamSummary) =>
    team.positionAt === null ? t('teams.positionBase') : t('teams.positionAge', { age: formatDuration(Math.max(0, now - Date.parse(team.positionAt)), lang) });

  return (
    <aside className="detail team-board" aria-label={t('teams.title')} data-testid="team-board">
      <header className="detail-header">
        <h2>{t('teams.title')}</h2>
        <span className="team-board-total">{t('teams.shown', { shown: shown.length, total: all.length })}</span>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('teams.close')} title={`${t('teams.close')} (g)`}>
          ✕
        </button>
      </header>
      <div className="team-filters">
        <div className="team-status-filter" role="group" aria-label={t('teams.filterStatus')}>
          {TEAM_STATUS_VALUES.map((s: TeamStatus) => (
            <button
              key={s}
              type="button"
              className="team-filter-chip"
              aria-pressed={filter.statuses.has(s)}
              data-status={s}
              onClick={() => setFilter((f) => ({ ...f, statuses: toggle(f.statuses, s) }))}
            >
              <TeamStatusChip status={s} />
              <span className="team-filter-count">{counts[s]}</span>
            </button>
          ))}
        </div>
        <div className="team-select-row">
          <label className="team-select">
            <span>{t('teams.filterType')}</span>
            <select
              value={filter.types.size === 1 ? [...filter.types][0] : ''}
              onChange={(e) => setFilter((f) => ({ ...f, types: e.target.value ? new Set([e.target.value as TeamType]) : new Set() }))}
              data-testid="team-filter-type"
            >
              <option value="">{t('teams.any')}</option>
              {types.map((type) => (
                <option key={type} value={type}>
                  {t(`teamType.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="team-select">
            <span>{t('teams.filterTown')}</span>
            <select value={filter.townId ?? ''} onChange={(e) => setFilter((f) => ({ ...f, townId: e.target.value || null }))} data-testid="team-filter-town">
              <option value="">{t('teams.any')}</option>
              {towns.map((town) => (
                <option key={town.id} value={town.id}>
                  {town.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {onDropEvent && <p className="team-drop-help">{t('teams.dragHelp')}</p>}
      </div>
      {status === 'pending' && <p className="muted">{t('teams.loading')}</p>}
      {status === 'error' && (
        <p className="detail-problem" role="alert">
          {t('teams.error', { message: error?.message ?? '' })}
        </p>
      )}
      {status === 'success' && shown.length === 0 && <p className="muted">{t('teams.none')}</p>}
      <ul className="team-list" aria-label={t('teams.title')}>
        {shown.map((team) => (
          <li
            key={team.id}
            className="team-row"
            data-team-id={team.id}
            data-status={team.status}
            aria-current={selection.id === team.id ? 'true' : undefined}
            data-drop={dropTarget === team.id ? true : undefined}
            onDragOver={onDragOver(team)}
            onDragLeave={() => setDropTarget((id) => (id === team.id ? null : id))}
            onDrop={onDrop(team)}
          >
            <button type="button" className="team-row-button" onClick={() => onSelect(team.id)}>
              <span className="team-row-line">
                <TeamStatusChip status={team.status} />
                <strong className="team-row-name">{team.name}</strong>
                <span className="team-row-load" data-busy={team.openCases > 0 ? true : undefined}>
                  {t('teams.load', { count: team.openCases })}
                </span>
              </span>
              <span className="team-row-line team-row-sub">
                <span>{t(`teamType.${team.type}`)}</span>
                <span>{team.homeName}</span>
                <span>{t('teams.members', { count: team.members })}</span>
                <span className="team-row-leader">
                  {team.leader.name} <span className="mono">{team.leader.phone}</span>
                </span>
              </span>
              <span className="team-row-line team-row-sub">
                <span title={team.positionAt ? formatDateTime(team.positionAt) : undefined}>{positionNote(team)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
