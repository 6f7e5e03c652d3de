import { useTranslation } from 'react-i18next';
import { actionButtons } from './offer';
import { CASE_ACTIONS } from './registry';
import type { CaseActions } from './use-case-actions';
import './case-actions.css';

/**
 * The actions this user may take on the case now, each with its key; the outcome of the last
 * one (done, or refused with the reason) is said under them, also once the case is `finished`.
 */
export function ActionBar({ actions, finished = false }: { actions: CaseActions; finished?: boolean }) {
  const { t } = useTranslation();
  const buttons = actionButtons(actions.offered);
  const { notice, pending } = actions;
  if (!actions.canAct) return null;
  return (
    <section className="action-bar" aria-label={t('actions.bar')} data-testid="action-bar">
      {buttons.length === 0 ? (
        !finished && <p className="action-none">{t('actions.none')}</p>
      ) : (
        <div className="action-buttons">
          {buttons.map((action) => {
            const { key, tone } = CASE_ACTIONS[action];
            const label = action === 'approve-extension' && actions.offered.includes('deny-extension') ? t('actions.decideExtension') : t(`actions.${action}`);
            return (
              <button
                key={action}
                type="button"
                className="action-button"
                data-action={action}
                data-kind={tone}
                disabled={pending !== null}
                aria-keyshortcuts={key}
                onClick={() => actions.start(action)}
              >
                <kbd aria-hidden="true">{key}</kbd>
                <span>{label}</span>
              </button>
            );
          })}
        </div>
      )}
      <div className="action-status" aria-live="polite">
        {pending && <span className="action-pending">{t('actions.running', { action: t(`actions.${pending}`) })}</span>}
        {notice?.tone === 'ok' && (
          <span className="action-ok" role="status" data-testid="action-done">
            ✓ {notice.text}
          </span>
        )}
      </div>
      {notice?.tone === 'error' && (
        <div className="action-problem" role="alert" data-testid="action-problem">
          <strong>{notice.problem.title}</strong>
          <span>{notice.problem.message}</span>
          {notice.problem.hint && <span className="action-problem-hint">{notice.problem.hint}</span>}
        </div>
      )}
    </section>
  );
}
