import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The deliberate step before an action that ends a case (close, void): a box ticked with Space
 * or a click before the confirm goes through. Enter alone, pressed however often, only says so
 * and leaves the case as it is; the keyboard still does it in three keys (c, Space, Enter).
 */
export function ConfirmCheck({
  label,
  checked,
  showMissing,
  inputRef,
  autoFocus = false,
  onChange,
}: {
  label: string;
  checked: boolean;
  showMissing: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
  /** The dialog's first stop (a dialog without a field to type in first). */
  autoFocus?: boolean;
  onChange(checked: boolean): void;
}) {
  const { t } = useTranslation();
  return (
    <div className="confirm-check" data-missing={showMissing}>
      <label>
        <input
          ref={inputRef}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          // Enter on the box asks the form, which refuses until it is ticked (browsers differ on
          // whether Enter on a checkbox submits at all).
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }}
          aria-invalid={showMissing}
          data-autofocus={autoFocus || undefined}
          data-testid="confirm-check"
        />
        <span>{label}</span>
      </label>
      {showMissing && <em className="field-error">{t('dialog.confirmRequired')}</em>}
    </div>
  );
}
