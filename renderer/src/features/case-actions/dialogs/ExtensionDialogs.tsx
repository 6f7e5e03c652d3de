import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import { TIME_LIMIT_UNITS, type TimeLimitUnit } from '../../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import type { Action } from '../../../../../shared/contracts/workflow.js';
import { formatDateTime } from '../../../app/time-format';
import { limitLabel, type Translate } from '../wording';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

/** 申请延期: how much more time (amount and unit) and why. */
export function ExtensionRequestDialog({ event, submit, onClose }: ActionDialogProps & { event: EventRecord }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<TimeLimitUnit>('work_days');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const value = Number(amount);
  const badAmount = !Number.isFinite(value) || value <= 0 || value > 10_000;
  const missingReason = reason.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (badAmount || missingReason) return;
    void run({ action: 'request-extension', extension: { value, unit }, reason: reason.trim(), note: optional(note) });
  };

  return (
    <Dialog title={t('dialog.extension.requestTitle')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-extension-request">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <div className="dialog-row">
          <label className="dialog-field">
            <span>{t('dialog.extension.amount')}</span>
            <input data-autofocus type="number" min={1} max={10000} step="any" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={touched && badAmount} />
          </label>
          <label className="dialog-field">
            <span>{t('dialog.extension.unit')}</span>
            <select value={unit} onChange={(e) => setUnit(e.target.value as TimeLimitUnit)}>
              {TIME_LIMIT_UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(`limitUnit.${u}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {touched && badAmount && <em className="field-error">{t('dialog.required', { field: t('dialog.extension.amount') })}</em>}
        <label className="dialog-field">
          <span>{t('dialog.reason')}</span>
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-invalid={touched && missingReason} required />
          {touched && missingReason && <em className="field-error">{t('dialog.required', { field: t('dialog.reason') })}</em>}
        </label>
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('actions.request-extension')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * 延期审批: the request as asked, approved with Enter, or denied with a reason (typing a reason
 * and pressing Enter in its field denies).
 */
export function ExtensionDecisionDialog({ event, offered, submit, onClose }: ActionDialogProps & { event: EventRecord; offered: readonly Action[] }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [denyReason, setDenyReason] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const request = event.extensionRequest;
  const canApprove = offered.includes('approve-extension');
  const canDeny = offered.includes('deny-extension');
  const missing = denyReason.trim().length === 0;

  const deny = () => {
    setTouched(true);
    if (!missing) void run({ action: 'deny-extension', reason: denyReason.trim(), note: optional(note) });
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // The deny button, or Enter in the deny-reason field, denies; Enter anywhere else approves.
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const denying = active?.dataset.action === 'deny' || active?.dataset.field === 'deny';
    if (denying || !canApprove) return deny();
    void run({ action: 'approve-extension', note: optional(note) });
  };

  return (
    <Dialog title={t('dialog.extension.decideTitle')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-extension-decision">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        {request && (
          <div className="dialog-callout">
            <strong>{t('dialog.extension.asked', { amount: limitLabel(t as unknown as Translate, request.limit), reason: request.reason })}</strong>
            <span className="muted">{t('detail.extensionBy', { by: request.by, at: formatDateTime(request.requestedAt) })}</span>
          </div>
        )}
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        {canDeny && (
          <label className="dialog-field">
            <span>{t('dialog.extension.denyReason')}</span>
            <input data-field="deny" value={denyReason} maxLength={500} onChange={(e) => setDenyReason(e.target.value)} aria-invalid={touched && missing} />
            {touched && missing && <em className="field-error">{t('dialog.required', { field: t('dialog.extension.denyReason') })}</em>}
          </label>
        )}
        <DialogProblem problem={problem} />
        <footer className="dialog-footer">
          <span className="dialog-keys">{t('dialog.keysHint')}</span>
          <button type="button" className="secondary-button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          {canDeny && (
            <button type="submit" className="secondary-button" data-tone="danger" data-action="deny" disabled={busy}>
              {t('dialog.extension.deny')}
            </button>
          )}
          {canApprove && (
            <button type="submit" className="primary-button" data-autofocus data-action="approve" disabled={busy} data-testid="dialog-confirm">
              {busy ? t('dialog.submitting') : t('dialog.extension.approve')}
            </button>
          )}
        </footer>
      </form>
    </Dialog>
  );
}
