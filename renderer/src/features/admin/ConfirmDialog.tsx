import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in plain words (and what it ends: sessions, keys…). */
  children?: ReactNode;
  confirmLabel: string;
  /** Red confirm button for what takes something away (disable, revoke, reject). */
  tone?: 'danger';
  busy: boolean;
  /** The server's refusal, shown inside the dialog so the administrator can correct and retry. */
  error?: string | null;
  confirmDisabled?: boolean;
  /** Only the confirm button: for a dialog that reports what was done (a secret shown once). */
  single?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}

/**
 * Every administrative change asks first: a modal that says what will happen, keeps the keyboard
 * (focus moves in, Tab stays inside, Esc cancels, Enter confirms from a one-line field) and shows
 * the server's refusal in place.
 */
export function ConfirmDialog({ title, children, confirmLabel, tone, busy, error, confirmDisabled, single, onConfirm, onCancel, testId = 'admin-confirm' }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLFormElement>(null);
  const titleId = useId();

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = ref.current;
    (root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>('input, textarea, select') ?? root?.querySelector<HTMLElement>('.admin-dialog-confirm'))?.focus();
    return () => {
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  // Esc cancels wherever the focus is (a button disabled while busy drops it to the page).
  useEffect(() => {
    const onEscape = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || busy) return;
      e.preventDefault();
      onCancel();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, [busy, onCancel]);

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A portal's events still bubble through the React tree: not into a form that opened it.
    e.stopPropagation();
    if (!busy && !confirmDisabled) onConfirm();
  };

  // In a portal: the dialog is a form of its own and may be opened from inside another form.
  return createPortal(
    <div className="admin-dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <form ref={ref} className="admin-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId} onKeyDown={onKeyDown} onSubmit={submit} noValidate>
        <h2 id={titleId} className="admin-dialog-title">
          {title}
        </h2>
        <div className="admin-dialog-body">{children}</div>
        {error && (
          <p className="admin-dialog-error" role="alert" data-testid="admin-confirm-error">
            <span aria-hidden="true">✕ </span>
            {error}
          </p>
        )}
        <footer className="admin-dialog-footer">
          <span className="admin-dialog-keys">{t('admin.common.keys')}</span>
          {!single && (
            <button type="button" className="admin-button" onClick={onCancel} disabled={busy}>
              {t('admin.common.cancel')}
            </button>
          )}
          <button type="submit" className="admin-button admin-button-primary admin-dialog-confirm" data-tone={tone} disabled={busy || confirmDisabled} data-testid="admin-confirm-ok">
            {busy ? t('admin.common.working') : confirmLabel}
          </button>
        </footer>
      </form>
    </div>,
    document.body,
  );
}
