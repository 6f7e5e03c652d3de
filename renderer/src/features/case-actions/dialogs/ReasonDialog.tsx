import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import { ConfirmCheck } from './ConfirmCheck';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

/**
 * Void, return and rework: each needs a reason, and may carry a note. Voiding ends the case for
 * good, so it also asks for a deliberate confirmation (a box ticked with Space): a reason typed
 * and Enter pressed is not yet a void.
 */
export function ReasonDialog({ event, action, submit, onClose }: ActionDialogProps & { event: EventRecord; action: 'void' | 'return' | 'rework' }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, setProblem, run } = useDialogSubmit(submit);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const checkRef = useRef<HTMLInputElement>(null);
  const needsConfirm = action === 'void';
  const missing = reason.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (missing) return setProblem(null);
    if (needsConfirm && !confirmed) {
      checkRef.current?.focus();
      return;
    }
    void run({ action, reason: reason.trim(), note: optional(note) });
  };

  return (
    <Dialog title={t(`dialog.${action}.title`)} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId={`dialog-${action}`}>
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <label className="dialog-field">
          <span>{t('dialog.reason')}</span>
          <input
            data-autofocus
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t(`dialog.${action}.reasonPlaceholder`)}
            aria-invalid={touched && missing}
            required
          />
          {touched && missing && <em className="field-error">{t('dialog.required', { field: t('dialog.reason') })}</em>}
        </label>
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        {needsConfirm && (
          <>
            <p className="dialog-hint">{t('dialog.void.consequence')}</p>
            <ConfirmCheck label={t('dialog.void.confirm')} checked={confirmed} showMissing={touched && !missing && !confirmed} inputRef={checkRef} onChange={setConfirmed} />
          </>
        )}
        <DialogProblem problem={problem} />
        <DialogFooter
          confirmLabel={t(`actions.${action}`)}
          busy={busy}
          onCancel={onClose}
          tone={needsConfirm ? 'danger' : undefined}
          hint={needsConfirm ? t('dialog.confirmKeysHint') : undefined}
        />
      </form>
    </Dialog>
  );
}
