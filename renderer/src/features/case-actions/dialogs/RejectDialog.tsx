import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { Referral } from '../../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

/** The receiving bodies of the active catalog's referrals, each once, most common first. */
export function referralBodies(referrals: readonly Referral[]): string[] {
  const counts = new Map<string, number>();
  for (const r of referrals) counts.set(r.receivingBody, (counts.get(r.receivingBody) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN')).map(([body]) => body);
}

/** 不予立案: why, and the body the matter belongs to (the catalog's referral bodies are offered). */
export function RejectDialog({ event, referrals, submit, onClose }: ActionDialogProps & { event: EventRecord; referrals: readonly Referral[] }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [reason, setReason] = useState('');
  const [body, setBody] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const listId = useId();
  const bodies = useMemo(() => referralBodies(referrals), [referrals]);
  const missingReason = reason.trim().length === 0;
  const missingBody = body.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (missingReason || missingBody) return;
    void run({ action: 'reject', reason: reason.trim(), receivingBody: body.trim(), note: optional(note) });
  };

  return (
    <Dialog title={t('dialog.reject.title')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-reject">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <label className="dialog-field">
          <span>{t('dialog.reason')}</span>
          <input
            data-autofocus
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('dialog.reject.reasonPlaceholder')}
            aria-invalid={touched && missingReason}
            required
          />
          {touched && missingReason && <em className="field-error">{t('dialog.required', { field: t('dialog.reason') })}</em>}
        </label>
        <label className="dialog-field">
          <span>{t('dialog.reject.receivingBody')}</span>
          <input value={body} maxLength={128} list={listId} onChange={(e) => setBody(e.target.value)} aria-invalid={touched && missingBody} required />
          <datalist id={listId}>
            {bodies.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
          {touched && missingBody && <em className="field-error">{t('dialog.required', { field: t('dialog.reject.receivingBody') })}</em>}
        </label>
        {bodies.length > 0 && (
          <div className="dialog-suggestions" role="group" aria-label={t('dialog.reject.suggestions')}>
            <span className="dialog-suggestions-label">{t('dialog.reject.suggestions')}</span>
            {bodies.slice(0, 8).map((b) => (
              <button key={b} type="button" className="chip-button" aria-pressed={body === b} onClick={() => setBody(b)}>
                {b}
              </button>
            ))}
          </div>
        )}
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('actions.reject')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
