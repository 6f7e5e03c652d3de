import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { useLiveFeed } from '../../app/use-live-feed';
import { useNow } from '../../app/use-now';
import { BrandMark } from '../../app/shell/BrandMark';
import { LanguageSwitch } from '../../app/shell/LanguageSwitch';
import { healthQuery } from '../system/queries';
import { UserMenu, type UserMenuProps } from '../session/UserMenu';
import { ConnectionStatus } from '../connection-status/ConnectionStatus';
import { liveFigures } from './live-figures';

function Figure({ label, value, tone, testId }: { label: string; value: number | null; tone?: 'alert'; testId: string }) {
  return (
    <div className="figure" data-tone={value && tone ? tone : undefined} data-testid={testId}>
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
    <div className="figures">
      <Figure label={t('figures.newToday')} value={ready ? figures.newToday : null} testId="figure-new-today" />
      <Figure label={t('figures.toDispatch')} value={ready ? figures.toDispatch : null} testId="figure-to-dispatch" />
      <Figure label={t('figures.overdue')} value={ready ? figures.overdue : null} tone="alert" testId="figure-overdue" />
    </div>
  );
}

export function TopBar({ countyName, user, signedIn, onShowShortcuts }: { countyName: string | undefined; user: UserMenuProps['user']; signedIn: boolean; onShowShortcuts(): void }) {
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
      <LiveFigures />
      <div className="top-bar-end">
        <ConnectionStatus />
        <button type="button" className="icon-button shortcut-button" onClick={onShowShortcuts} aria-label={t('shortcuts.button')} title={t('shortcuts.button')}>
          ?
        </button>
        <LanguageSwitch />
        <UserMenu user={user} signedIn={signedIn} />
      </div>
    </header>
  );
}
