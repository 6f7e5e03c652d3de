import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a panel shows while its figures load or when they failed: a plain line where the figures
 * go, and a retry. Figures already shown stay while new ones load (the panel marks itself busy).
 */
export function QueryState({ isPending, error, retry, children, testId }: { isPending: boolean; error: Error | null; retry(): void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  if (error) {
    return (
      <div className="analysis-state analysis-state-failed" role="alert" data-testid={testId ? `${testId}-failed` : undefined}>
        <span>{t('analysis.failed', { message: error.message })}</span>
        <button type="button" className="period-chip" onClick={retry}>
          {t('analysis.retry')}
        </button>
      </div>
    );
  }
  if (isPending) {
    return (
      <div className="analysis-state" aria-busy="true" data-testid={testId ? `${testId}-loading` : undefined}>
        <span className="spinner" aria-hidden="true" />
        {t('analysis.loading')}
      </div>
    );
  }
  return <>{children}</>;
}
