import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthResponse } from '../../../../shared/contracts/health.js';
import { useServices } from '../../app/services';
import { useLiveFeed } from '../../app/use-live-feed';
import { useNow } from '../../app/use-now';
import { isLanguage, setLanguage } from '../../i18n/i18n';
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

export function TopBar({ countyName, onShowShortcuts }: { countyName: string | undefined; onShowShortcuts(): void }) {
  const { t, i18n } = useTranslation();
  const { api } = useServices();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => api.get<HealthResponse>('/health', undefined, { signal }),
    staleTime: 60_000,
  });
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <header className="top-bar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M5 5h22v22H5z" fill="none" stroke="currentColor" strokeWidth="2.4" />
          <path d="M16 5v22M5 16h22" stroke="currentColor" strokeWidth="1.6" />
          <circle cx="22" cy="10" r="3.6" fill="#ff4d4f" />
        </svg>
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
        <button
          type="button"
          className="lang-switch"
          onClick={() => void setLanguage(lang === 'zh-CN' ? 'en' : 'zh-CN')}
          aria-label={t('app.switchToLabel')}
          lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
        >
          {t('app.switchTo')}
        </button>
      </div>
    </header>
  );
}
