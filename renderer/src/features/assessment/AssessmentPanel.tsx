import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentList, AssessmentPeriod, AssessmentResponse, AssessmentRow } from '../../../../shared/contracts/assessment.js';
import { rolesAllow, type SessionUser } from '../../../../shared/contracts/auth.js';
import { downloadExport } from '../../app/download';
import { useServices } from '../../app/services';
import { currentLanguage } from '../../i18n/i18n';
import { QueryState } from '../analysis/QueryState';
import { useTownOptions } from '../analysis/use-towns';
import { draftOf, draftProblems, listStep, reviewsToSave, type ReviewDraft } from './assessment-view';
import './assessment.css';
import { TownSelect } from '../../app/ui/TownSelect';

const KEY = ['assessment'] as const;
const LISTS: readonly AssessmentList[] = ['reward', 'exit_review'];
const NO_DRAFTS: ReadonlyMap<string, ReviewDraft> = new Map();

/** A list step the user is answering: a proposal's reason, or a decision's. */
type Step = { row: AssessmentRow; list: AssessmentList; kind: 'propose' } | { row: AssessmentRow; list: AssessmentList; kind: 'decide'; decision: 'approved' | 'rejected' };

/**
 * 考核 (德能勤绩): a period's results for the user's towns — 勤 and 绩 from the system's records,
 * 德 and 能 typed in by the town's grid office, totals, ranks and ratings — and the two lists
 * (以奖代补 reward, exit review), each proposed by one person and decided by another. Exports the
 * XLSX and prints the page with the same figures.
 */
export function AssessmentPanel({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { api, platform, session } = useServices();
  const client = useQueryClient();
  const ids = { period: useId() };
  const canManage = rolesAllow(user.roles, 'workforce:manage');
  const county = user.scope.kind === 'county';
  const towns = useTownOptions(user);
  const periods = useQuery({ queryKey: [...KEY, 'periods'], queryFn: ({ signal }) => api.get<{ periods: AssessmentPeriod[] }>('/assessment/periods', undefined, { signal }) });
  const [chosen, setChosen] = useState('');
  const [town, setTown] = useState('');
  const periodId = chosen || periods.data?.periods[0]?.id || '';
  const results = useQuery({
    queryKey: [...KEY, 'results', periodId, town],
    queryFn: ({ signal }) => api.get<AssessmentResponse>(`/assessment/periods/${encodeURIComponent(periodId)}`, { town: town || undefined }, { signal }),
    enabled: periodId !== '',
  });
  // scores typed for this period and town: another period or town starts from what is stored
  const draftKey = `${periodId}|${town}`;
  const [draftState, setDraftState] = useState<{ key: string; map: Map<string, ReviewDraft> }>({ key: '', map: new Map() });
  const drafts = draftState.key === draftKey ? draftState.map : NO_DRAFTS;
  const setDrafts = (next: (m: ReadonlyMap<string, ReviewDraft>) => Map<string, ReviewDraft>) => setDraftState((s) => ({ key: draftKey, map: next(s.key === draftKey ? s.map : NO_DRAFTS) }));
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const [reason, setReason] = useState('');
  const printFrame = useRef<HTMLIFrameElement | null>(null);

  const data = results.data;
  const open = data?.period.status === 'open';
  const pending = useMemo(() => (data ? reviewsToSave(data.rows, drafts) : { ready: [], incomplete: [] }), [data, drafts]);
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const fail = (err: unknown) => setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });

  const create = useMutation({
    mutationFn: () => api.post<AssessmentPeriod>('/assessment/periods', {}),
    onSuccess: (p) => {
      setChosen(p.id);
      setNotice({ kind: 'ok', text: t('assessment.created', { id: p.id }) });
      void refresh();
    },
    onError: fail,
  });
  const save = useMutation({
    mutationFn: () => api.put<{ saved: number }>(`/assessment/periods/${encodeURIComponent(periodId)}/reviews`, { reviews: pending.ready }),
    onSuccess: (r) => {
      setDrafts(() => new Map());
      setNotice({ kind: 'ok', text: t('assessment.saved', { count: r.saved }) });
      void refresh();
    },
    onError: fail,
  });
  const close = useMutation({
    mutationFn: () => api.post<AssessmentPeriod>(`/assessment/periods/${encodeURIComponent(periodId)}/close`),
    onSuccess: () => {
      setNotice({ kind: 'ok', text: t('assessment.closedNotice', { id: periodId }) });
      void refresh();
    },
    onError: fail,
  });
  const answer = useMutation({
    mutationFn: (s: Step) =>
      s.kind === 'propose'
        ? api.post(`/assessment/periods/${encodeURIComponent(periodId)}/proposals`, { workerId: s.row.workerId, list: s.list, proposal: reason.trim() })
        : api.post(`/assessment/periods/${encodeURIComponent(periodId)}/proposals/${s.row.workerId}/${s.list}/decision`, { decision: s.decision, reason: reason.trim() }),
    onSuccess: () => {
      setStep(null);
      setReason('');
      void refresh();
    },
    onError: fail,
  });

  async function exportXlsx() {
    const url = new URL(`/api/v1/assessment/periods/${encodeURIComponent(periodId)}/export.xlsx`, platform.serverUrl || window.location.origin);
    if (town) url.searchParams.set('town', town);
    try {
      await downloadExport({ url, token: session.token(), language: currentLanguage(), fileName: `assessment-${periodId}${town ? `-${town}` : ''}.xlsx`, onUnauthenticated: (tk) => session.end('unauthenticated', tk) });
    } catch (err) {
      fail(err);
    }
  }
  async function print() {
    try {
      const blob = await api.getBlob(`/assessment/periods/${encodeURIComponent(periodId)}/print${town ? `?town=${town}` : ''}`);
      const frame = printFrame.current!;
      const href = URL.createObjectURL(blob);
      frame.onload = () => {
        frame.contentWindow?.print();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
      };
      frame.src = href;
    } catch (err) {
      fail(err);
    }
  }

  const edit = (row: AssessmentRow, patch: Partial<ReviewDraft>) =>
    setDrafts((m) => new Map(m).set(row.workerId, { ...(m.get(row.workerId) ?? draftOf(row)), ...patch }));
  const score = (v: number | null) => (v === null ? t('workforce.none') : String(v));
  const editable = open && canManage;

  return (
    <div className="assessment-panel" data-testid="assessment" aria-busy={results.isFetching || undefined}>
      <div className="period-bar">
        <span className="period-bar-field">
          <label htmlFor={ids.period}>{t('assessment.period')}</label>
          <select id={ids.period} value={periodId} onChange={(e) => setChosen(e.target.value)} data-testid="assessment-period">
            {(periods.data?.periods ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}（{p.startsOn}–{p.endsOn}，{t(`assessment.status.${p.status}`)}）
              </option>
            ))}
          </select>
        </span>
        <TownSelect towns={towns} value={town} onChange={setTown} />
        {canManage && county && (
          <button type="button" className="admin-button" onClick={() => create.mutate()} disabled={create.isPending} data-testid="assessment-create">
            {t('assessment.create')}
          </button>
        )}
        {periodId && (
          <>
            <button type="button" className="admin-button" onClick={() => void exportXlsx()} data-testid="assessment-export">
              {t('assessment.exportXlsx')}
            </button>
            <button type="button" className="admin-button" onClick={() => void print()} data-testid="assessment-print">
              {t('assessment.print')}
            </button>
          </>
        )}
      </div>
      {notice && (
        <p className={`assessment-notice assessment-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="assessment-notice">
          {notice.text}
        </p>
      )}
      {periods.data && periods.data.periods.length === 0 && <p className="assessment-empty">{t(canManage && county ? 'assessment.noneYetCreate' : 'assessment.noneYet')}</p>}
      {periodId && (
        <QueryState isPending={results.isPending} error={results.error} retry={() => void results.refetch()} testId="assessment-results">
          {data && (
            <>
              <div className="assessment-summary" data-testid="assessment-summary">
                <span className="assessment-chip">{t('assessment.summary.workers', { count: data.summary.workers })}</span>
                <span className="assessment-chip">{t('assessment.summary.reviewed', { count: data.summary.reviewed })}</span>
                {(['excellent', 'good', 'pass', 'fail'] as const).map((r) => (
                  <span key={r} className={`assessment-chip rating-${r}`}>
                    {t(`assessment.rating.${r}`)} {data.summary.ratings[r]}
                  </span>
                ))}
                <span className="assessment-chip">{t('assessment.summary.reward', data.summary.reward)}</span>
                <span className="assessment-chip">{t('assessment.summary.exit', data.summary.exitReview)}</span>
                <span className="assessment-asof">{t(open ? 'assessment.live' : 'assessment.frozen', { workingDays: data.period.workingDays })}</span>
              </div>
              {editable && (
                <div className="assessment-actions">
                  <button type="button" className="admin-button admin-button-primary" disabled={pending.ready.length === 0 || pending.incomplete.length > 0 || save.isPending} onClick={() => save.mutate()} data-testid="assessment-save">
                    {t('assessment.save', { count: pending.ready.length })}
                  </button>
                  {pending.incomplete.length > 0 && <span role="alert">{t('assessment.incomplete', { count: pending.incomplete.length })}</span>}
                  {county && (
                    <button type="button" className="admin-button" onClick={() => close.mutate()} disabled={close.isPending} data-testid="assessment-close">
                      {t('assessment.close')}
                    </button>
                  )}
                </div>
              )}
              {data.rows.length === 0 ? (
                <p className="assessment-empty">{t('assessment.noWorkers')}</p>
              ) : (
                <div className="assessment-table-wrap">
                  <table className="assessment-table" data-testid="assessment-table">
                    <thead>
                      <tr>
                        <th>{t('assessment.col.rankCounty')}</th>
                        <th>{t('assessment.col.rankTown')}</th>
                        <th>{t('assessment.col.name')}</th>
                        <th>{t('assessment.col.place')}</th>
                        <th>{t('assessment.col.de')}</th>
                        <th>{t('assessment.col.neng')}</th>
                        <th title={t('assessment.col.qinHint')}>{t('assessment.col.qin')}</th>
                        <th title={t('assessment.col.jiHint')}>{t('assessment.col.ji')}</th>
                        <th>{t('assessment.col.total')}</th>
                        <th>{t('assessment.col.rating')}</th>
                        <th>{editable ? t('assessment.col.comment') : t('assessment.col.lists')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.rows.map((r) => {
                        const d = drafts.get(r.workerId) ?? draftOf(r);
                        const problems = drafts.has(r.workerId) ? draftProblems(d) : [];
                        return (
                          <tr key={r.workerId} data-testid={`assessment-row-${r.workerId}`}>
                            <td className="num">{r.rankCounty ?? t('workforce.none')}</td>
                            <td className="num">{r.rankTown ?? t('workforce.none')}</td>
                            <td>
                              <strong>{r.name}</strong> <small>{r.workerId}</small>
                            </td>
                            <td>
                              {r.town.name} · {r.grid.name}
                            </td>
                            {editable ? (
                              <>
                                <td>
                                  <input className="assessment-score" inputMode="decimal" aria-label={t('assessment.col.deOf', { name: r.name })} aria-invalid={problems.includes('de') || undefined} value={d.de} onChange={(e) => edit(r, { de: e.target.value })} data-testid="assessment-de" />
                                </td>
                                <td>
                                  <input className="assessment-score" inputMode="decimal" aria-label={t('assessment.col.nengOf', { name: r.name })} aria-invalid={problems.includes('neng') || undefined} value={d.neng} onChange={(e) => edit(r, { neng: e.target.value })} data-testid="assessment-neng" />
                                </td>
                              </>
                            ) : (
                              <>
                                <td className="num">{score(r.de)}</td>
                                <td className="num">{score(r.neng)}</td>
                              </>
                            )}
                            <td className="num" title={t('assessment.figures', { ...r.figures })}>
                              {r.qin}
                            </td>
                            <td className="num" title={t('assessment.figures', { ...r.figures })}>
                              {r.ji}
                            </td>
                            <td className="num total">{score(r.total)}</td>
                            <td>{r.rating ? <span className={`assessment-rating rating-${r.rating}`}>{t(`assessment.rating.${r.rating}`)}</span> : t('assessment.unrated')}</td>
                            <td>
                              {editable ? (
                                <input className="assessment-comment" aria-label={t('assessment.col.commentOf', { name: r.name })} aria-invalid={problems.includes('comment') || undefined} value={d.comment} onChange={(e) => edit(r, { comment: e.target.value })} data-testid="assessment-comment" />
                              ) : (
                                <ListCell row={r} me={user.displayName} canManage={canManage && !open} onStep={(s) => { setStep(s); setReason(''); }} />
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </QueryState>
      )}
      {step && (
        <div className="assessment-dialog" role="dialog" aria-modal="true" aria-labelledby="assessment-step-title" data-testid="assessment-step">
          <h3 id="assessment-step-title">
            {step.kind === 'propose' ? t('assessment.proposeTitle', { name: step.row.name, list: t(`assessment.list.${step.list}`) }) : t(`assessment.decideTitle.${step.decision}`, { name: step.row.name, list: t(`assessment.list.${step.list}`) })}
          </h3>
          <label>
            {t('assessment.reason')}
            <textarea autoFocus value={reason} onChange={(e) => setReason(e.target.value)} rows={3} data-testid="assessment-reason" />
          </label>
          <div className="assessment-actions">
            <button type="button" className="admin-button admin-button-primary" disabled={reason.trim().length < 2 || answer.isPending} onClick={() => answer.mutate(step)} data-testid="assessment-step-confirm">
              {t('assessment.confirm')}
            </button>
            <button type="button" className="admin-button" onClick={() => setStep(null)}>
              {t('assessment.cancel')}
            </button>
          </div>
        </div>
      )}
      <iframe ref={printFrame} className="assessment-print-frame" title={t('assessment.print')} aria-hidden="true" tabIndex={-1} />
    </div>
  );
}

/** A row's two lists: the proposal to make, the decision to take, or where each stands. */
function ListCell({ row, me, canManage, onStep }: { row: AssessmentRow; me: string; canManage: boolean; onStep(s: Step): void }) {
  const { t } = useTranslation();
  return (
    <span className="assessment-lists">
      {LISTS.map((list) => {
        const s = listStep(row, list, me);
        if (s === null) return null;
        const name = t(`assessment.list.${list}`);
        if (s === 'propose') {
          return canManage ? (
            <button key={list} type="button" className="period-chip" onClick={() => onStep({ row, list, kind: 'propose' })} data-testid={`assessment-propose-${list}`}>
              {t('assessment.propose', { list: name })}
            </button>
          ) : (
            <span key={list} className="assessment-tag">{t('assessment.suggested', { list: name })}</span>
          );
        }
        if (s === 'decide' && canManage) {
          return (
            <span key={list} className="assessment-tag">
              {name}：
              <button type="button" className="period-chip" onClick={() => onStep({ row, list, kind: 'decide', decision: 'approved' })} data-testid={`assessment-approve-${list}`}>
                {t('assessment.approve')}
              </button>
              <button type="button" className="period-chip" onClick={() => onStep({ row, list, kind: 'decide', decision: 'rejected' })}>
                {t('assessment.reject')}
              </button>
            </span>
          );
        }
        return (
          <span key={list} className={`assessment-tag step-${s}`}>
            {name}：{t(`assessment.step.${s === 'decide' ? 'own_pending' : s}`)}
          </span>
        );
      })}
    </span>
  );
}
