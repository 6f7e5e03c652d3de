import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import { ConfirmCheck } from './ConfirmCheck';
import { Dialog, DialogFooter, DialogProblem } from './Dialog';
import { useDialogSubmit, type ActionDialogProps } from './use-submit';

/**
 * 结案: the case as it will be closed (place, team, result, verified or not) and a deliberate
 * confirmation: the box must be ticked, so pressing `c` and then Enter, or Enter twice, never
 * closes a case by reflex.
 */
export function CloseDialog({ event, place, submit, onClose }: ActionDialogProps & { event: EventRecord; place: string }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { busy, problem, run } = useDialogSubmit(submit);
  const [confirmed, setConfirmed] = useState(false);
  const [touched, setTouched] = useState(false);
  const checkRef = useRef<HTMLInputElement>(null);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!confirmed) {
      checkRef.current?.focus();
      return;
    }
    void run({ action: 'close' });
  };

  return (
    <Dialog title={t('dialog.closeCase.title')} subtitle={`${itemName(event)} · ${event.id}`} onClose={onClose} testId="dialog-close">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <dl className="confirm-facts">
          <dt>{t('dialog.closeCase.place')}</dt>
          <dd>{place}</dd>
          <dt>{t('dialog.closeCase.team')}</dt>
          <dd>{event.teamName ?? '—'}</dd>
          <dt>{t('dialog.closeCase.result')}</dt>
          <dd className="confirm-result">{event.result ?? '—'}</dd>
          <dt>{t('dialog.closeCase.state')}</dt>
          <dd>{t(`status.${event.status}`)}</dd>
        </dl>
        <p className="dialog-hint">{t('dialog.closeCase.consequence')}</p>
        <ConfirmCheck label={t('dialog.closeCase.confirm')} checked={confirmed} showMissing={touched && !confirmed} inputRef={checkRef} autoFocus onChange={setConfirmed} />
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('actions.close')} busy={busy} onCancel={onClose} hint={t('dialog.confirmKeysHint')} />
      </form>
    </Dialog>
  );
}
