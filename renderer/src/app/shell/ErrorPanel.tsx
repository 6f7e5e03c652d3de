import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../api-client';

/** The server cannot be reached: say so plainly and offer a retry. */
export function ErrorPanel({ error, onRetry }: { error: Error; onRetry(): void }) {
  const { t } = useTranslation();
  const [retrying, setRetrying] = useState(false);
  return (
    <div className="error-panel" role="alert" data-testid="error-panel">
      <div className="error-mark" aria-hidden="true">
        !
      </div>
      <h2>{t('error.unreachableTitle')}</h2>
      <p>{t('error.unreachableBody')}</p>
      <p className="muted">
        {t('error.detail', {
          message: error instanceof ApiRequestError && error.code === 'network' ? `${t('error.network')} (${error.message})` : error.message,
        })}
      </p>
      <button
        type="button"
        className="primary-button"
        onClick={() => {
          setRetrying(true);
          onRetry();
          setTimeout(() => setRetrying(false), 1500);
        }}
        disabled={retrying}
      >
        {retrying ? t('error.retrying') : t('error.retry')}
      </button>
    </div>
  );
}
