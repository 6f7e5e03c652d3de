import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateCreate, TrainingSession, WorkerCertificate } from '../../../../shared/contracts/training.js';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import { fieldProblem, problemOf } from '../admin/problem';
import { TRAINING_KEY } from './queries';

/**
 * 登记证书: a certificate for a worker who attended the session — its name, number and day of
 * issue, earned at this session unless unticked. The server's refusal of a field is written under it.
 */
export function TrainingCertificateForm({
  worker,
  session,
  today,
  onCancel,
  onSaved,
}: {
  worker: { workerId: string; name: string };
  session: TrainingSession;
  today: string;
  onCancel(): void;
  onSaved(certificate: WorkerCertificate): void;
}) {
  const { t } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const ids = { title: useId(), number: useId(), issuedOn: useId() };
  const [title, setTitle] = useState('');
  const [number, setNumber] = useState('');
  const [issuedOn, setIssuedOn] = useState(today);
  const [fromSession, setFromSession] = useState(true);
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: (body: CertificateCreate) => api.post<WorkerCertificate>('/training/certificates', body),
    onSuccess: async (certificate) => {
      await queryClient.invalidateQueries({ queryKey: TRAINING_KEY });
      onSaved(certificate);
    },
  });
  const problem = save.error ? problemOf(save.error, t) : null;
  const required = t('workforce.training.form.required');
  const local = { title: title.trim() === '' ? required : undefined, number: number.trim() === '' ? required : undefined, issuedOn: issuedOn === '' ? required : undefined };
  const error = (field: 'title' | 'number' | 'issuedOn') => (tried ? local[field] : undefined) ?? fieldProblem(problem, field);
  const errorLine = (message: string | undefined, testId: string) =>
    message ? (
      <p className="admin-field-error" data-testid={`certificate-error-${testId}`}>
        {message}
      </p>
    ) : null;

  const confirm = () => {
    setTried(true);
    if (local.title || local.number || local.issuedOn || save.isPending) return;
    save.mutate({ workerId: worker.workerId, title: title.trim(), number: number.trim(), issuedOn, sessionId: fromSession ? session.id : null });
  };

  return (
    <ConfirmDialog
      title={t('workforce.training.certificate.title', { name: worker.name })}
      confirmLabel={t('workforce.training.certificate.save')}
      busy={save.isPending}
      error={problem ? t('workforce.training.certificate.failed', { message: problem.message }) : null}
      onConfirm={confirm}
      onCancel={onCancel}
      testId="training-certificate-form"
    >
      {errorLine(fieldProblem(problem, 'workerId'), 'worker')}
      <div className="workforce-training-form">
        <div className="admin-field workforce-training-form-wide">
          <label htmlFor={ids.title} className="admin-required">
            {t('workforce.training.certificate.name')}
          </label>
          <input id={ids.title} value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} aria-invalid={error('title') ? true : undefined} data-testid="certificate-title" data-autofocus />
          {errorLine(error('title'), 'title')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.number} className="admin-required">
            {t('workforce.training.certificate.number')}
          </label>
          <input id={ids.number} value={number} maxLength={64} spellCheck={false} onChange={(e) => setNumber(e.target.value)} aria-invalid={error('number') ? true : undefined} data-testid="certificate-number" />
          {errorLine(error('number'), 'number')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.issuedOn} className="admin-required">
            {t('workforce.training.certificate.issuedOn')}
          </label>
          <DateField id={ids.issuedOn} value={issuedOn} onChange={setIssuedOn} invalid={Boolean(error('issuedOn'))} testId="certificate-issued-on" />
          {errorLine(error('issuedOn'), 'issued-on')}
        </div>
        <div className="admin-field workforce-training-form-wide">
          <label className="admin-check">
            <input type="checkbox" checked={fromSession} onChange={(e) => setFromSession(e.target.checked)} data-testid="certificate-from-session" />
            {t('workforce.training.certificate.fromSession', { title: `${session.course.title} · ${session.heldOn}` })}
          </label>
          {errorLine(fieldProblem(problem, 'sessionId'), 'session')}
        </div>
      </div>
    </ConfirmDialog>
  );
}
