import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldItemName } from './field-catalog';
import type { SessionUser } from '../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../shared/contracts/events.js';
import type { Action } from '../../../shared/contracts/workflow.js';
import { isWithTeam } from '../../../shared/domain/case-state.js';
import { useStore } from '../app/store';
import { CaseHistory, HandlingReport } from './CaseRecord';
import { useFeedView, useField, useOutbox } from './field-context';
import { queueAction } from './field-actions';
import { FieldMap } from './FieldMap';
import { pendingActionsFor } from './outbox';
import { PhotoPicker } from './PhotoPicker';
import { RefusalCard, useRefusals } from './Refusals';
import { Countdown, PendingChip, UrgencyChip } from './TaskChips';
import { effectiveStatus, nextActions, type FieldStep } from './tasks';

type Sub = 'main' | 'report' | 'return' | 'verify' | 'rework';

export function TaskScreen({ eventId, user, onBack }: { eventId: string; user: SessionUser; onBack: () => void }) {
  const { t } = useTranslation();
  const itemName = useFieldItemName();
  const services = useField();
  const view = useFeedView();
  const outbox = useOutbox();
  const [fetched, setFetched] = useState<EventRecord | null>(null);
  const [sub, setSub] = useState<Sub>('main');
  const [busy, setBusy] = useState(false);
  const refusals = useRefusals(user.id).filter((r) => r.eventId === eventId);
  const { team } = useStore(services.team);
  const held = view.feed.events.get(eventId) ?? null;
  const event = held && (!fetched || held.seq >= fetched.seq) ? held : fetched;

  useEffect(() => {
    if (held) return;
    let cancelled = false;
    services.api
      .get<EventRecord>(`/events/${eventId}`)
      .then((e) => !cancelled && setFetched(e))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [services, eventId, held]);

  if (!event) {
    return (
      <main className="f-main">
        <button type="button" className="f-btn f-back" onClick={onBack}>
          {t('task.back')}
        </button>
        <p className="f-note">{t('home.loading')}</p>
      </main>
    );
  }

  const pending = pendingActionsFor(outbox, event.id);
  const status = effectiveStatus(event.status, pending);
  const ownTeam = event.teamId !== null && event.teamId === user.teamId;
  const next = nextActions(status, { ownTeam });
  const online = view.link === 'connected';
  const verifying = !ownTeam && status === 'handled';

  const act = async (action: Action, input: Parameters<typeof queueAction>[3] = {}) => {
    setBusy(true);
    try {
      await queueAction(services, event, action, input);
      setSub('main');
      // A verification is one step: back to the list for the next one.
      if (action === 'verify' || action === 'rework') onBack();
    } finally {
      setBusy(false);
    }
  };

  const onStep = (step: FieldStep | 'return' | 'rework') => {
    switch (step) {
      case 'accept':
      case 'start':
        void act(step);
        return;
      case 'report':
      case 'return':
      case 'verify':
      case 'rework':
        setSub(step);
        return;
    }
  };

  if (sub === 'report') return <ReportForm event={event} busy={busy} onCancel={() => setSub('main')} onSubmit={(result, photos) => act('report', { result, photos })} />;
  if (sub === 'return' || sub === 'rework' || sub === 'verify')
    return <ReasonForm kind={sub} busy={busy} onCancel={() => setSub('main')} onSubmit={(reason, note) => act(sub, sub === 'verify' ? { note } : { reason, note })} />;

  return (
    <main className="f-main f-task" data-testid="field-task-screen" data-event-id={event.id} data-status={status}>
      <button type="button" className="f-btn f-back" onClick={onBack}>
        {t('task.back')}
      </button>
      <div className="f-task-head">
        <UrgencyChip urgency={event.urgency} />
        <span className="f-task-status" data-testid="field-task-status">
          {t(`status.${status}`)}
        </span>
        {pending.length > 0 && <PendingChip online={online} testId="field-pending" />}
      </div>
      <h1 className="f-task-item">{itemName(event)}</h1>
      <Countdown deadlineAt={event.deadlineAt} />
      {ownTeam && team && (status === 'accepted' || status === 'in_progress') && (
        <p className="f-team-line">
          {t('task.teamStatus')}
          <span className={`f-chip f-team-${team.status}`} data-testid="field-task-team-status" data-status={team.status}>
            {t(`teamStatus.${team.status}`)}
          </span>
        </p>
      )}
      {refusals.map((r) => (
        <RefusalCard key={r.key} refusal={r} />
      ))}
      {verifying && <HandlingReport event={event} />}

      {next.primary ? (
        <div className="f-next">
          <button type="button" className={`f-btn f-btn-primary f-btn-huge f-step-${next.primary}`} data-testid="field-primary" data-step={next.primary} disabled={busy} onClick={() => onStep(next.primary!)}>
            {t(`task.step.${next.primary}`)}
          </button>
          <p className="f-hint">{t(`task.hint.${next.primary}`)}</p>
        </div>
      ) : (
        <p className={`f-note${ownTeam && status === 'handled' ? ' f-done' : ''}`} data-testid="field-no-step">
          {ownTeam && status === 'handled' ? t('task.done') : !ownTeam && isWithTeam({ status }) ? t('task.notYours') : t(`status.${status}`)}
        </p>
      )}

      <FieldMap event={event} />

      <dl className="f-facts">
        <dt>{t('task.address')}</dt>
        <dd data-testid="field-address">{event.address}</dd>
        <dt>{t('task.coords')}</dt>
        <dd className="f-mono">
          {event.location.lon.toFixed(6)}, {event.location.lat.toFixed(6)}
        </dd>
        <dt>{t('task.description')}</dt>
        <dd>{event.description}</dd>
        <dt>{t('task.reporter')}</dt>
        <dd>
          {event.reporter.name}{' '}
          {/^[\d+][\d -]+$/.test(event.reporter.phone) ? <a href={`tel:${event.reporter.phone.replace(/[ -]/g, '')}`}>{event.reporter.phone}</a> : event.reporter.phone}
        </dd>
        <dt>ID</dt>
        <dd className="f-mono">{event.id}</dd>
      </dl>

      {next.secondary.length > 0 && (
        <div className="f-secondary">
          {next.secondary.map((s) => (
            <button key={s} type="button" className={`f-btn f-step-${s}${s === 'return' || s === 'rework' ? ' f-btn-warn' : ''}`} data-testid={`field-step-${s}`} disabled={busy} onClick={() => onStep(s)}>
              {t(`task.step.${s}`)}
            </button>
          ))}
        </div>
      )}

      {!verifying && <CaseHistory event={event} />}
    </main>
  );
}

function ReportForm({ event, busy, onCancel, onSubmit }: { event: EventRecord; busy: boolean; onCancel: () => void; onSubmit: (result: string, photos: File[]) => void }) {
  const { t } = useTranslation();
  const itemName = useFieldItemName();
  const [result, setResult] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!result.trim()) return setProblem(t('report.needResult'));
    onSubmit(result.trim(), photos);
  };
  return (
    <main className="f-main" data-testid="field-report-form">
      <button type="button" className="f-btn f-back" onClick={onCancel}>
        {t('task.back')}
      </button>
      <h1 className="f-h1">{t('report.title')}</h1>
      <p className="f-sub">{itemName(event)}</p>
      <form className="f-form" onSubmit={submit}>
        <PhotoPicker label={t('report.photos')} photos={photos} onChange={setPhotos} />
        <label className="f-field">
          <span>{t('report.result')}</span>
          <textarea rows={4} maxLength={2000} value={result} placeholder={t('report.resultPlaceholder')} onChange={(e) => setResult(e.target.value)} data-testid="field-result" />
        </label>
        {problem && (
          <p className="f-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="f-btn f-btn-primary f-btn-huge" disabled={busy} data-testid="field-submit">
          {t('report.submit')}
        </button>
      </form>
    </main>
  );
}

function ReasonForm({ kind, busy, onCancel, onSubmit }: { kind: 'return' | 'rework' | 'verify'; busy: boolean; onCancel: () => void; onSubmit: (reason: string, note: string | undefined) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const needsReason = kind !== 'verify';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (needsReason && !reason.trim()) return setProblem(t('reason.needReason'));
    onSubmit(reason.trim(), note.trim() || undefined);
  };
  const title = kind === 'return' ? t('reason.returnTitle') : kind === 'rework' ? t('reason.reworkTitle') : t('reason.verifyTitle');
  return (
    <main className="f-main" data-testid={`field-${kind}-form`}>
      <button type="button" className="f-btn f-back" onClick={onCancel}>
        {t('task.back')}
      </button>
      <h1 className="f-h1">{title}</h1>
      <form className="f-form" onSubmit={submit}>
        {needsReason && (
          <label className="f-field">
            <span>{t('reason.reason')}</span>
            <textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="field-reason" />
          </label>
        )}
        <label className="f-field">
          <span>{t('reason.note')}</span>
          <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {problem && (
          <p className="f-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className={`f-btn f-btn-huge ${needsReason ? 'f-btn-warn' : 'f-btn-primary'}`} disabled={busy} data-testid="field-submit">
          {t('reason.submit')}
        </button>
      </form>
    </main>
  );
}
