import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import { EVENT_ID_PATTERN, type EventRecord } from '../../../../../shared/contracts/events.js';
import { formatDateTime } from '../../../app/time-format';
import { UrgencyChip } from '../../events-queue/UrgencyChip';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { listKeyChoice } from './list-keys';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

/**
 * 合并: the duplicate follows a master case. The system's candidates come first (↑/↓ to choose);
 * any other open case can be named by its id.
 */
export function MergeDialog({ event, events, submit, onClose }: ActionDialogProps & { event: EventRecord; events: ReadonlyMap<string, EventRecord> }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const candidates = event.duplicateCandidates.filter((id) => id !== event.id);
  const [chosen, setChosen] = useState(0);
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const typed = other.trim().toUpperCase();
  const intoId = typed || candidates[chosen] || '';
  const invalid = !EVENT_ID_PATTERN.test(intoId);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!invalid) void run({ action: 'merge', intoId, note: optional(note) });
  };

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = listKeyChoice(e.key, chosen, candidates.length);
    if (next !== null) {
      e.preventDefault();
      setOther('');
      setChosen(next);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.currentTarget.closest('form')?.requestSubmit();
    }
  };

  return (
    <Dialog title={t('dialog.merge.title')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-merge">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <p className="dialog-hint">{t('dialog.merge.hint')}</p>
        {candidates.length > 0 ? (
          <>
            <span className="dialog-section-label">{t('dialog.merge.candidates')}</span>
            <div
              className="choice-list"
              role="listbox"
              tabIndex={0}
              data-autofocus
              aria-label={t('dialog.merge.candidates')}
              aria-activedescendant={typed ? undefined : `merge-${candidates[chosen]}`}
              onKeyDown={onListKey}
            >
              {candidates.map((id, i) => {
                const master = events.get(id);
                return (
                  <div
                    key={id}
                    id={`merge-${id}`}
                    role="option"
                    aria-selected={!typed && i === chosen}
                    className="choice"
                    data-event-id={id}
                    onClick={() => {
                      setOther('');
                      setChosen(i);
                    }}
                  >
                    <span className="choice-key">{i + 1}</span>
                    <div className="choice-main">
                      <div className="choice-line">
                        {master && <UrgencyChip urgency={master.urgency} />}
                        <strong>{(master ? itemName(master) : id)}</strong>
                        {master && <span className="status-tag">{t(`status.${master.status}`)}</span>}
                      </div>
                      <div className="choice-line muted">
                        <span className="mono">{id}</span>
                        {master ? <span>{master.address}</span> : <span>{t('detail.duplicateGone')}</span>}
                        {master && <span>{formatDateTime(master.reportedAt)}</span>}
                      </div>
                    </div>
                  </div>
                );
              })}
            </div>
          </>
        ) : (
          <p className="dialog-hint">{t('dialog.merge.noCandidates')}</p>
        )}
        <label className="dialog-field">
          <span>{t('dialog.merge.other')}</span>
          <input
            data-autofocus={candidates.length === 0 ? true : undefined}
            className="mono"
            value={other}
            maxLength={14}
            onChange={(e) => setOther(e.target.value)}
            placeholder={t('dialog.merge.otherPlaceholder')}
            aria-invalid={touched && invalid}
          />
          {touched && invalid && <em className="field-error">{t('dialog.merge.invalidId')}</em>}
        </label>
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('dialog.merge.confirm')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
