import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A detail panel's read (a worker's record, a meeting, a training session): its failure with a
 * retry, a spinner while it loads, then the panel itself drawn from the data. `className`: the
 * panel's frame (`admin-panel` by default).
 */
export function DetailState<T>({ query, children, className = 'admin-panel', testId }: { query: UseQueryResult<T>; children(data: T): ReactNode; className?: string; testId?: string }) {
  const { t } = useTranslation();
  if (query.isError) {
    return (
      <section className={className} data-testid={testId}>
        <div className="analysis-state analysis-state-failed" role="alert">
          <span>{t('workforce.failed', { message: query.error.message })}</span>
          <button type="button" className="admin-button" onClick={() => void query.refetch()}>
            {t('workforce.retry')}
          </button>
        </div>
      </section>
    );
  }
  if (query.data === undefined) {
    return (
      <section className={className} aria-busy="true">
        <p className="admin-empty">
          <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
        </p>
      </section>
    );
  }
  return <>{children(query.data)}</>;
}
