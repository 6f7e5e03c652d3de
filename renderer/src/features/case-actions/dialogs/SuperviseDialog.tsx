import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { useDialogSubmit, type ActionDialogProps } from './use-submit';

/** 督办: a leader's instruction on the case, which the timeline keeps. */
export function SuperviseDialog({ event, submit, onClose }: ActionDialogProps & { event: EventRecord }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = note.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!missing) void run({ action: 'supervise', note: note.trim() });
  };

  return (
    <Dialog title={t('dialog.supervise.title')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-supervise">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <label className="dialog-field">
          <span>{t('dialog.supervise.note')}</span>
          <input data-autofocus value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} aria-invalid={touched && missing} required />
          {touched && missing && <em className="field-error">{t('dialog.required', { field: t('dialog.supervise.note') })}</em>}
        </label>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('actions.supervise')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
