import { useTranslation } from 'react-i18next';
import { freshness } from '../../app/live-feed/freshness';
import { formatClock } from '../../app/time-format';
import { useLiveFeed } from '../../app/use-live-feed';
import { useNow } from '../../app/use-now';

/** The connection light (shape and words, not colour alone) and 「数据截至 hh:mm:ss」. */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const { link, lastDataAt } = useLiveFeed();
  const now = useNow();
  const { stale } = freshness(link, lastDataAt, now);
  return (
    <div className="connection" data-link={link} data-stale={stale}>
      <span className="connection-light" aria-hidden="true" />
      <span className="connection-text">{t(`connection.${link}`)}</span>
      <span className="connection-asof" data-testid="data-as-of">
        {lastDataAt === null ? t('connection.dataAsOfNone') : t('connection.dataAsOf', { time: formatClock(lastDataAt) })}
      </span>
    </div>
  );
}

/** A banner nobody can miss when the feed stops: the screen may be showing the past. */
export function StaleBanner() {
  const { t } = useTranslation();
  const { link, lastDataAt } = useLiveFeed();
  const now = useNow();
  const { stale, silentSeconds } = freshness(link, lastDataAt, now);
  if (!stale) return null;
  return (
    <div className="stale-banner" role="alert" data-testid="stale-banner">
      <span className="stale-icon" aria-hidden="true">
        ⚠
      </span>
      {t(link === 'offline' ? 'connection.staleOffline' : link === 'ended' ? 'connection.staleEnded' : 'connection.stale', { seconds: silentSeconds ?? 0 })}
    </div>
  );
}
