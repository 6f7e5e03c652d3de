import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import { Dialog, DialogFooter, DialogProblem, submitOnCtrlEnter } from './Dialog';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

/** 处置反馈 recorded by the command centre on the team's behalf (e.g. reported by phone). */
export function ReportDialog({ event, submit, onClose }: ActionDialogProps & { event: EventRecord }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [result, setResult] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = result.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!missing) void run({ action: 'report', result: result.trim(), note: optional(note) });
  };

  return (
    <Dialog title={t('dialog.report.title')} subtitle={`${itemName(event)} · ${event.teamName ?? event.id}`} onClose={onClose} testId="dialog-report">
      <form className="dialog-body" onSubmit={onSubmit} onKeyDown={submitOnCtrlEnter} noValidate>
        <label className="dialog-field">
          <span>{t('dialog.report.result')}</span>
          <textarea
            data-autofocus
            rows={4}
            value={result}
            maxLength={2000}
            onChange={(e) => setResult(e.target.value)}
            placeholder={t('dialog.report.resultPlaceholder')}
            aria-invalid={touched && missing}
            required
          />
          {touched && missing && <em className="field-error">{t('dialog.required', { field: t('dialog.report.result') })}</em>}
        </label>
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('actions.report')} busy={busy} onCancel={onClose} hint={t('dialog.keysHintMultiline')} />
      </form>
    </Dialog>
  );
}
