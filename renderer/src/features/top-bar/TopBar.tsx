import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, type ReactNode } from 'react';
import { rolesAllow } from '../../../../shared/contracts/auth.js';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { useLiveFeed } from '../../app/use-live-feed';
import { useNow } from '../../app/use-now';
import { BrandMark } from '../../app/ui/BrandMark';
import { LanguageSwitch } from '../../app/ui/LanguageSwitch';
import { healthQuery } from '../system/queries';
import { UserMenu, type UserMenuProps } from '../session/UserMenu';
import { ConnectionStatus } from '../connection-status/ConnectionStatus';
import { AlertBell } from '../alerts/AlertBell';
import { countyDayStart } from '../../app/time-format';
import { liveFigures } from './live-figures';
import { formatShare, kpiTodayQuery } from './queries';

function Figure({ label, value, tone, testId, title }: { label: string; value: number | string | null; tone?: 'alert'; testId: string; title?: string }) {
  return (
    <div className="figure" data-tone={value && tone ? tone : undefined} data-testid={testId} title={title}>
      <span className="figure-label">{label}</span>
      <span className="figure-value">{value ?? '—'}</span>
    </div>
  );
}

function LiveFigures() {
  const { t } = useTranslation();
  const { feed, phase } = useLiveFeed();
  const now = useNow();
  const figures = useMemo(() => liveFigures(feed.events.values(), now), [feed.events, now]);
  const ready = phase === 'ready';
  return (
    <>
      <Figure label={t('figures.newToday')} value={ready ? figures.newToday : null} testId="figure-new-today" />
      <Figure label={t('figures.toDispatch')} value={ready ? figures.toDispatch : null} testId="figure-to-dispatch" />
      <Figure label={t('figures.overdue')} value={ready ? figures.overdue : null} tone="alert" testId="figure-overdue" />
    </>
  );
}

/**
 * 机器派单 today: the share of cases reported and dispatched today that the machine dispatched,
 * from the KPI endpoint (read again each minute and whenever a dispatch is pushed).
 */
function AutoShareFigure() {
  const { t } = useTranslation();
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  const dayStart = countyDayStart(useNow(60_000));
  const kpis = useQuery(kpiTodayQuery(api, dayStart));
  useEffect(
    () =>
      feed.onChanges((changes) => {
        if (changes.some((c) => c.kind === 'dispatch' || c.kind === 'auto-dispatch')) void queryClient.invalidateQueries({ queryKey: ['kpis', 'today'] });
      }),
    [feed, queryClient],
  );
  const auto = kpis.data?.autoDispatch;
  const value = auto ? (formatShare(auto.share) ?? '—') : null;
  const title = auto ? (auto.dispatched > 0 ? t('figures.autoShareTitle', { auto: auto.auto, dispatched: auto.dispatched }) : t('figures.autoShareNone')) : undefined;
  return <Figure label={t('figures.autoShare')} value={value} testId="figure-auto-share" title={title} />;
}

export interface TopBarProps {
  countyName: string | undefined;
  user: UserMenuProps['user'];
  signedIn: boolean;
  onShowShortcuts(): void;
  /** The right panel shows the team board (toggled here or with `g`). */
  boardOpen: boolean;
  onToggleBoard(): void;
  /** The search box (features/search), composed by the shell; none when signed out. */
  search?: ReactNode;
  /** The tabs to the other screens (features/navigation), composed by the shell. */
  nav?: ReactNode;
  /** The triage queue's button (features/triage), composed by the shell; none for roles without triage work. */
  triage?: ReactNode;
}

export function TopBar({ countyName, user, signedIn, onShowShortcuts, boardOpen, onToggleBoard, search, nav, triage }: TopBarProps) {
  const { t } = useTranslation();
  const { api } = useServices();
  const health = useQuery(healthQuery(api));
  return (
    <header className="top-bar">
      <div className="brand">
        <BrandMark />
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-county" data-testid="county-name">
          {countyName ?? '…'}
        </span>
        {health.data?.demo && <span className="badge badge-demo">{t('app.demo')}</span>}
      </div>
      {nav}
      {search}
      <div className="figures">
        <LiveFigures />
        {rolesAllow(user.roles, 'kpi:read') && signedIn && <AutoShareFigure />}
      </div>
      <div className="top-bar-end">
        {triage}
        <ConnectionStatus />
        {signedIn && <AlertBell />}
        <button type="button" className="top-button" aria-pressed={boardOpen} onClick={onToggleBoard} title={`${t('teams.button')} (g)`} data-testid="team-board-button">
          {t('teams.button')}
          <kbd aria-hidden="true">g</kbd>
        </button>
        <button type="button" className="icon-button shortcut-button" onClick={onShowShortcuts} aria-label={t('shortcuts.button')} title={t('shortcuts.button')}>
          ?
        </button>
        <LanguageSwitch />
        <UserMenu user={user} signedIn={signedIn} />
      </div>
    </header>
  );
}
