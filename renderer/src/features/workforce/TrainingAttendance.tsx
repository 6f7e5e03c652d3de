import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { AttendanceBody, TrainingAttendanceRow, TrainingSessionDetail } from '../../../../shared/contracts/training.js';
import { ApiRequestError } from '../../app/api-client';
import { useServices } from '../../app/services';
import { useTownOptions } from '../analysis/use-towns';
import { TRAINING_KEY, WORKFORCE_KEY, trainingCertificatesQuery, trainingSessionQuery, workerListQueryOptions } from './queries';
import { TownSelect } from '../../app/ui/TownSelect';
import { DetailState } from './DetailState';
import { TrainingCertificateForm } from './TrainingCertificateForm';
import { attendanceBodyOf, attendanceErrors, draftRowOf, PASSED_CHOICES, type AttendanceDraftRow, type PassedChoice } from './training-view';
import { NO_FILTERS } from './workforce-view';

const hoursText = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * One training session: what, when, where and by whom; who attended with their hours and test
 * result, and the certificates earned there. The grid office adds attendees (workers of the
 * session's town; of any of its towns for a county session), saves them all at once, takes a
 * recorded row back to change it, and records a worker's certificate from their row.
 */
export function TrainingSessionView({ id, user, canManage, today, onClose }: { id: string; user: SessionUser; canManage: boolean; today: string; onClose(): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const session = useQuery(trainingSessionQuery(api, id));
  const towns = useTownOptions(user);
  const townName = useMemo(() => new Map(towns.map((x) => [x.id, x.name])), [towns]);
  const certificates = useQuery({ ...trainingCertificatesQuery(api, session.data?.town?.id ?? ''), enabled: session.isSuccess });
  const [draft, setDraft] = useState<AttendanceDraftRow[]>([]);
  const [certificateFor, setCertificateFor] = useState<TrainingAttendanceRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!session.data) {
    return (
      <DetailState query={session} className="panel-card" testId="training-session-detail">
        {() => null}
      </DetailState>
    );
  }
  const s = session.data;
  const earned = (workerId: string) => (certificates.data?.items ?? []).filter((c) => c.sessionId === s.id && c.workerId === workerId);
  const earnedCount = (certificates.data?.items ?? []).filter((c) => c.sessionId === s.id).length;
  const takeBack = (row: TrainingAttendanceRow) => {
    setNotice(null);
    setDraft((d) => (d.some((x) => x.workerId === row.workerId) ? d : [...d, draftRowOf(row)]));
  };
  const fields: Array<[string, string, string]> = [
    ['subject', t('workforce.training.form.subject'), t(`workforce.training.subject.${s.course.subject}`)],
    ['mode', t('workforce.training.sessions.mode'), t(`workforce.training.mode.${s.mode}`)],
    ['town', t('workforce.training.sessions.town'), s.town?.name ?? t('workforce.training.county')],
    ['hours', t('workforce.training.sessions.hours'), hoursText(s.hours)],
    ['place', t('workforce.training.sessions.place'), s.place],
    ['trainer', t('workforce.training.sessions.trainer'), s.trainer],
  ];

  return (
    <section className="panel-card workforce-session" aria-labelledby="training-session-title" data-testid="training-session-detail" data-session-id={s.id}>
      <header className="panel-card-head">
        <h3 id="training-session-title">
          {s.course.title} <span className="muted num">· {s.heldOn}</span>
        </h3>
        <button type="button" className="admin-button admin-button-small" onClick={onClose} aria-label={t('workforce.training.detail.close')}>
          ✕
        </button>
      </header>
      <div className="panel-card-body workforce-session-body">
        <dl className="workforce-fields workforce-session-fields">
          {fields.map(([key, label, value]) => (
            <div key={key} className="workforce-field">
              <dt>{label}</dt>
              <dd data-testid={`training-session-${key}`}>{value}</dd>
            </div>
          ))}
        </dl>
        {notice && (
          <p className="workforce-saved" role="status" data-testid="training-notice">
            ✓ {notice}
          </p>
        )}
        <h4 className="workforce-session-heading">{t('workforce.training.detail.attendance', { count: s.attendance.length })}</h4>
        {s.town === null && user.scope.kind !== 'county' && <p className="admin-hint">{t('workforce.training.detail.outOfScope')}</p>}
        {s.attendance.length === 0 ? (
          <p className="muted" data-testid="training-attendance-empty">
            {t('workforce.training.detail.noAttendance')}
          </p>
        ) : (
          <table className="admin-table workforce-attendance" data-testid="training-attendance">
            <thead>
              <tr>
                <th scope="col">{t('workforce.training.detail.name')}</th>
                <th scope="col">{t('workforce.training.detail.town')}</th>
                <th scope="col" className="num">
                  {t('workforce.training.detail.hours')}
                </th>
                <th scope="col">{t('workforce.training.detail.passed')}</th>
                <th scope="col">{t('workforce.training.detail.certificates')}</th>
                {canManage && <th scope="col" aria-label={t('workforce.training.attendance.title')} />}
              </tr>
            </thead>
            <tbody>
              {s.attendance.map((a) => (
                <tr key={a.workerId} data-testid="training-attendance-row" data-worker-id={a.workerId}>
                  <td className="admin-strong">
                    {a.name} <span className="muted mono">{a.workerId}</span>
                  </td>
                  <td>{townName.get(a.townId) ?? a.townId}</td>
                  <td className="num" data-testid="training-attendance-hours">
                    {hoursText(a.hours)}
                  </td>
                  <td data-testid="training-attendance-passed" data-passed={String(a.passed)}>
                    {t(`workforce.training.detail.result.${a.passed === null ? 'none' : a.passed ? 'passed' : 'failed'}`)}
                  </td>
                  <td data-testid="training-attendance-certificates">
                    {earned(a.workerId).map((c) => (
                      <span key={c.id} className="admin-chip workforce-certificate" title={`${c.number} · ${c.issuedOn}`}>
                        {c.title} <span className="mono">{c.number}</span>
                      </span>
                    ))}
                  </td>
                  {canManage && (
                    <td className="workforce-row-actions">
                      <button type="button" className="admin-button admin-button-small" onClick={() => takeBack(a)} aria-label={t('workforce.training.detail.editOf', { name: a.name })} data-testid="training-attendance-edit">
                        {t('workforce.training.detail.edit')}
                      </button>
                      <button
                        type="button"
                        className="admin-button admin-button-small"
                        onClick={() => {
                          setNotice(null);
                          setCertificateFor(a);
                        }}
                        aria-label={t('workforce.training.certificate.recordFor', { name: a.name })}
                        data-testid="training-certificate-new"
                      >
                        {t('workforce.training.certificate.record')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {s.attendance.length > 0 && certificates.isSuccess && earnedCount === 0 && <p className="muted">{t('workforce.training.certificate.none')}</p>}
        {canManage && (
          <AttendanceForm
            key={s.id}
            session={s}
            user={user}
            draft={draft}
            setDraft={setDraft}
            onSaved={(count) => {
              setDraft([]);
              setNotice(t('workforce.training.attendance.saved', { count }));
            }}
          />
        )}
      </div>
      {certificateFor && (
        <TrainingCertificateForm
          worker={certificateFor}
          session={s}
          today={today}
          onCancel={() => setCertificateFor(null)}
          onSaved={(c) => {
            setCertificateFor(null);
            setNotice(t('workforce.training.certificate.saved', { name: c.workerName, title: c.title }));
          }}
        />
      )}
    </section>
  );
}

/**
 * 登记签到: find workers (the session's town, or a chosen town of the user's for a county
 * session), add them, give each their hours (the session's by default) and result, and save
 * all at once. The server refuses a body with any bad row and names the row: the error shows
 * on that row, nothing is written.
 */
function AttendanceForm({
  session,
  user,
  draft,
  setDraft,
  onSaved,
}: {
  session: TrainingSessionDetail;
  user: SessionUser;
  draft: AttendanceDraftRow[];
  setDraft(update: (d: AttendanceDraftRow[]) => AttendanceDraftRow[]): void;
  onSaved(count: number): void;
}) {
  const { t } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const ids = { q: useId(), title: useId() };
  const towns = useTownOptions(user);
  const [q, setQ] = useState('');
  const [town, setTown] = useState('');
  const [missing, setMissing] = useState<readonly string[]>([]);
  const workerTown = session.town?.id ?? town;
  const found = useQuery(workerListQueryOptions(api, { ...NO_FILTERS, town: workerTown, q }));
  const inDraft = new Set(draft.map((r) => r.workerId));
  const recorded = new Set(session.attendance.map((a) => a.workerId));

  const save = useMutation({
    mutationFn: (body: AttendanceBody) => api.put<TrainingSessionDetail>(`/training/sessions/${encodeURIComponent(session.id)}/attendance`, body),
    onSuccess: async (saved, body) => {
      queryClient.setQueryData(trainingSessionQuery(api, session.id).queryKey, saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: TRAINING_KEY }),
        queryClient.invalidateQueries({ queryKey: [...WORKFORCE_KEY, 'composition'] }),
      ]);
      setQ('');
      onSaved(body.length);
    },
  });
  const refused = save.error instanceof ApiRequestError ? attendanceErrors(save.error.fields, save.variables ?? []) : null;
  const rowProblems = (workerId: string) => {
    const server = refused?.byWorker.get(workerId) ?? {};
    return { ...server, hours: missing.includes(workerId) ? t('workforce.training.attendance.hoursNeeded') : server.hours };
  };

  const add = (w: { id: string; name: string; town: { id: string } }) =>
    setDraft((d) => (d.some((x) => x.workerId === w.id) ? d : [...d, { workerId: w.id, name: w.name, townId: w.town.id, hours: String(session.hours), passed: 'none' }]));
  const setRow = (workerId: string, patch: Partial<AttendanceDraftRow>) => setDraft((d) => d.map((r) => (r.workerId === workerId ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.length === 0 || save.isPending) return;
    const result = attendanceBodyOf(draft);
    if ('missingHours' in result) {
      setMissing(result.missingHours);
      return;
    }
    setMissing([]);
    save.mutate(result.body);
  };
  const items = found.data?.items ?? [];
  const more = (found.data?.total ?? 0) - items.length;

  return (
    <form className="admin-form workforce-attendance-form" onSubmit={submit} aria-labelledby={ids.title} data-testid="training-attendance-form" noValidate>
      <h4 id={ids.title} className="workforce-session-heading">
        {t('workforce.training.attendance.title')}
      </h4>
      <p className="admin-hint">{t('workforce.training.attendance.hint')}</p>
      <div className="admin-form-row">
        {session.town === null && (
          <TownSelect towns={towns} value={town} onChange={setTown} className="admin-field" label={t('workforce.training.attendance.town')} testId="training-attendance-town" />
        )}
        <div className="admin-field admin-field-wide">
          <label htmlFor={ids.q}>{t('workforce.training.attendance.search')}</label>
          <input id={ids.q} type="search" maxLength={64} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('workforce.training.attendance.searchPlaceholder')} data-testid="training-attendance-search" />
        </div>
      </div>
      <div className="workforce-pick" aria-busy={found.isFetching || undefined}>
        {found.isError ? (
          <p className="admin-field-error" role="alert">
            {t('workforce.failed', { message: found.error.message })}
          </p>
        ) : found.isPending ? (
          <p className="muted">
            <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
          </p>
        ) : items.length === 0 ? (
          <p className="muted">{t('workforce.training.attendance.noMatch')}</p>
        ) : (
          <ul className="workforce-pick-list" data-testid="training-attendance-found">
            {items.map((w) => {
              const left = w.status === 'left';
              const added = inDraft.has(w.id);
              // a recorded worker is changed from their row (修改), with the hours recorded
              const attended = recorded.has(w.id);
              return (
                <li key={w.id} data-testid="training-attendance-candidate" data-worker-id={w.id}>
                  <span className="admin-strong">{w.name}</span>
                  <span className="muted mono">{w.id}</span>
                  <span className="muted workforce-pick-place">
                    {w.town.name} › {w.grid.name}
                  </span>
                  <button
                    type="button"
                    className="admin-button admin-button-small"
                    disabled={left || added || attended}
                    onClick={() => add(w)}
                    aria-label={t('workforce.training.attendance.addName', { name: w.name })}
                    data-testid="training-attendance-add"
                  >
                    {left
                      ? t('workforce.training.attendance.left')
                      : added
                        ? `✓ ${t('workforce.training.attendance.inDraft')}`
                        : attended
                          ? `✓ ${t('workforce.training.attendance.recorded')}`
                          : `+ ${t('workforce.training.attendance.add')}`}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {more > 0 && <p className="admin-hint">{t('workforce.training.attendance.more', { count: more })}</p>}
      </div>

      <h4 className="workforce-session-heading">{t('workforce.training.attendance.draft', { count: draft.length })}</h4>
      {draft.length === 0 ? (
        <p className="muted">{t('workforce.training.attendance.emptyDraft')}</p>
      ) : (
        <table className="admin-table workforce-attendance-draft" data-testid="training-attendance-draft">
          <thead>
            <tr>
              <th scope="col">{t('workforce.training.detail.name')}</th>
              <th scope="col">
                {t('workforce.training.detail.hours')} <span className="muted">（{t('workforce.training.attendance.max', { hours: hoursText(session.hours) })}）</span>
              </th>
              <th scope="col">{t('workforce.training.detail.passed')}</th>
              <th scope="col" aria-label={t('workforce.training.attendance.remove')} />
            </tr>
          </thead>
          <tbody>
            {draft.map((r) => {
              const problems = rowProblems(r.workerId);
              const messages = [problems.workerId, problems.hours, problems.passed, problems.row].filter((m): m is string => Boolean(m));
              return (
                <tr key={r.workerId} data-testid="training-draft-row" data-worker-id={r.workerId} data-invalid={messages.length > 0 || undefined}>
                  <td className="admin-strong">
                    {r.name} <span className="muted mono">{r.workerId}</span>
                    {messages.map((m) => (
                      <p key={m} className="admin-field-error" data-testid="training-draft-error">
                        {m}
                      </p>
                    ))}
                  </td>
                  <td>
                    <input
                      className="admin-input workforce-hours-input"
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={session.hours}
                      step={0.5}
                      value={r.hours}
                      onChange={(e) => setRow(r.workerId, { hours: e.target.value })}
                      aria-label={t('workforce.training.attendance.hoursOf', { name: r.name })}
                      aria-invalid={problems.hours ? true : undefined}
                      data-testid="training-draft-hours"
                    />
                  </td>
                  <td>
                    <select
                      className="admin-input"
                      value={r.passed}
                      onChange={(e) => setRow(r.workerId, { passed: e.target.value as PassedChoice })}
                      aria-label={t('workforce.training.attendance.passedOf', { name: r.name })}
                      aria-invalid={problems.passed ? true : undefined}
                      data-testid="training-draft-passed"
                    >
                      {PASSED_CHOICES.map((c) => (
                        <option key={c} value={c}>
                          {t(`workforce.training.detail.result.${c}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="admin-button admin-button-small"
                      onClick={() => setDraft((d) => d.filter((x) => x.workerId !== r.workerId))}
                      aria-label={t('workforce.training.attendance.removeName', { name: r.name })}
                    >
                      {t('workforce.training.attendance.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {save.error && (
        <p className="admin-field-error" role="alert" data-testid="training-attendance-problem">
          {refused && refused.byWorker.size > 0
            ? t('workforce.training.attendance.rowsFailed', { count: refused.byWorker.size })
            : t('workforce.training.attendance.failed', { message: [save.error.message, ...(refused?.general ?? [])].join('；') })}
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="admin-button admin-button-primary" disabled={draft.length === 0 || save.isPending} data-testid="training-attendance-save">
          {save.isPending ? t('workforce.training.attendance.saving') : t('workforce.training.attendance.save', { count: draft.length })}
        </button>
      </div>
    </form>
  );
}
