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
        <ReadFailed error={query.error} retry={() => void query.refetch()} />
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

/** A workforce read that failed: the server's message and a retry, in place of what it would have shown. */
export function ReadFailed({ error, retry, testId }: { error: Error; retry(): void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="analysis-state analysis-state-failed" role="alert" data-testid={testId}>
      <span>{t('workforce.failed', { message: error.message })}</span>
      <button type="button" className="admin-button" onClick={retry}>
        {t('workforce.retry')}
      </button>
    </div>
  );
}
