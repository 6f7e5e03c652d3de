import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWhen } from '../app/time-format';
import { useNow } from '../app/use-now';
import { useField } from './field-context';
import { refusalHint, refusalsOf, type Refusal } from './refusals';

/** The signed-in user's refusals, newest first. */
export function useRefusals(userId: string): Refusal[] {
  const { refusals } = useField();
  const list = useSyncExternalStore(refusals.subscribe, refusals.get, refusals.get);
  return refusalsOf(list, userId);
}

/**
 * One refusal, said plainly: what was refused, the server's reason, what to do now, what else
 * did not go with it, and what the worker wrote. Stays until the worker taps 知道了.
 */
export function RefusalCard({ refusal, onOpen }: { refusal: Refusal; onOpen?: () => void }) {
  const { t } = useTranslation();
  const { refusals } = useField();
  const now = useNow(60_000);
  const hint = refusalHint(refusal);
  const action = (label: string) => t(`task.step.${label}`, { defaultValue: t(`actions.${label}`, { defaultValue: label }) });
  return (
    <section className="f-refusal" role="alert" data-testid="field-refusal" data-key={refusal.key} data-event-id={refusal.eventId ?? ''} data-code={refusal.code}>
      <h2 className="f-refusal-title">
        ✕ {refusal.kind === 'intake' ? t('refusal.titleIntake') : t('refusal.title', { action: action(refusal.label) })}
      </h2>
      {refusal.subject && (
        <p className="f-refusal-subject">
          {refusal.subject}
          {refusal.eventId ? ` · ${refusal.eventId}` : ''}
        </p>
      )}
      <p className="f-refusal-reason" data-testid="field-refusal-reason">
        {t('refusal.reason', { message: refusal.message || refusal.code })}
      </p>
      <p className="f-refusal-hint">{t(`refusal.hint.${hint.key}`, { status: hint.status ? t(`status.${hint.status}`) : '' })}</p>
      <p className="f-refusal-meta">
        {t('refusal.made', { time: formatWhen(new Date(refusal.madeAt).toISOString(), now) })} · {t('refusal.removed')}
      </p>
      {refusal.dropped.length > 0 && <p className="f-refusal-meta">{t('refusal.dropped', { actions: refusal.dropped.map(action).join('、') })}</p>}
      {refusal.text && (
        <div className="f-refusal-text">
          <strong>{t('refusal.yourText')}</strong>
          <p>{refusal.text}</p>
        </div>
      )}
      <div className="f-refusal-buttons">
        {onOpen && (
          <button type="button" className="f-btn" onClick={onOpen}>
            {t('refusal.open')}
          </button>
        )}
        <button type="button" className="f-btn f-btn-primary" data-testid="field-refusal-ok" onClick={() => refusals.dismiss(refusal.key)}>
          {t('refusal.ok')}
        </button>
      </div>
    </section>
  );
}
