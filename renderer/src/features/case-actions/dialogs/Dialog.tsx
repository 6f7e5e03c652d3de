import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionProblem } from '../wording';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  subtitle?: string;
  onClose(): void;
  children: ReactNode;
  /** `wide` for the dispatch dialog's ranked list. */
  size?: 'normal' | 'wide';
  testId?: string;
}

/**
 * A modal dialog that keeps the keyboard: focus moves in on open (to `[data-autofocus]`, else
 * the first field), Tab cycles inside, Esc closes, and focus returns where it was on close.
 * While it is open the console's letter keys are off (the shell passes `modalOpen`).
 */
export function Dialog({ title, subtitle, onClose, children, size = 'normal', testId }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = ref.current;
    const first = root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className="dialog" data-size={size} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId} onKeyDown={onKeyDown}>
        <header className="dialog-header">
          <div className="dialog-heading">
            <h2 id={titleId}>{title}</h2>
            {subtitle && <p className="dialog-subtitle">{subtitle}</p>}
          </div>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('dialog.close')} title={`${t('dialog.close')} (Esc)`}>
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/** A dialog's refusal, inline and announced: what failed, why, and what is possible now. */
export function DialogProblem({ problem }: { problem: ActionProblem | null }) {
  if (!problem) return null;
  return (
    <div className="dialog-problem" role="alert" data-testid="dialog-problem">
      <strong>{problem.title}</strong>
      <span>{problem.message}</span>
      {problem.hint && <span className="dialog-problem-hint">{problem.hint}</span>}
    </div>
  );
}

/** Cancel and confirm, with the keys that do the same. */
export function DialogFooter({ confirmLabel, busy, hint, onCancel, tone }: { confirmLabel: string; busy: boolean; hint?: string; onCancel(): void; tone?: 'danger' }) {
  const { t } = useTranslation();
  return (
    <footer className="dialog-footer">
      <span className="dialog-keys">{hint ?? t('dialog.keysHint')}</span>
      <button type="button" className="secondary-button" onClick={onCancel}>
        {t('dialog.cancel')}
      </button>
      <button type="submit" className="primary-button dialog-confirm" data-tone={tone} disabled={busy} data-testid="dialog-confirm">
        {busy ? t('dialog.submitting') : confirmLabel}
      </button>
    </footer>
  );
}

/**
 * Submits the form on Ctrl/⌘+Enter from a multi-line field (plain Enter adds a line there;
 * in single-line fields Enter submits as forms do).
 */
export function submitOnCtrlEnter(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}
