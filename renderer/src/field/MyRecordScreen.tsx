import './my-record.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OwnAssessmentResponse } from '../../../shared/contracts/assessment.js';
import type { TrainingMeResponse } from '../../../shared/contracts/training.js';
import type { WorkerActivity, WorkerActivityResponse, WorkerRecord } from '../../../shared/contracts/workforce.js';
import { ApiRequestError } from '../app/api-client';
import { useField } from './field-context';

type Load<T> = { kind: 'loading' } | { kind: 'ok'; data: T } | { kind: 'none' } | { kind: 'failed'; message: string };

/** `YYYY-MM-01` … today of the county's month (UTC+8). */
function thisMonth(now: Date): { from: string; to: string } {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** Reads a path; a 404 or 403 (no record linked, or the route not offered to this account) is "none". */
function useRead<T>(path: string | null, query: Record<string, string> | undefined, attempt: number): Load<T> {
  const { api } = useField();
  const queryText = new URLSearchParams(query).toString();
  const key = `${path}?${queryText}#${attempt}`;
  // The answer is kept with the request it answers: a newer request shows as loading until its own arrives.
  const [answer, setAnswer] = useState<{ key: string; state: Load<T> } | null>(null);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    const done = (state: Load<T>) => setAnswer({ key, state });
    api
      .get<T>(path, Object.fromEntries(new URLSearchParams(queryText)), { signal: controller.signal })
      .then((data) => done({ kind: 'ok', data }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiRequestError && (err.status === 404 || err.status === 403)) done({ kind: 'none' });
        else done({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
      });
    return () => controller.abort();
  }, [api, path, queryText, key]);
  if (!path) return { kind: 'none' };
  return answer?.key === key ? answer.state : { kind: 'loading' };
}

/**
 * 我的档案: the field worker's own record (the one the grid office linked to this account), this
 * month's patrol and cases, and this year's training hours; a plain sentence when no record is
 * linked, so the worker knows whom to ask.
 */
export function MyRecordScreen({ onBack }: { onBack(): void }) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const [month] = useState(() => thisMonth(new Date()));
  const record = useRead<WorkerRecord>('/workforce/me', undefined, attempt);
  const linked = record.kind === 'ok';
  const activity = useRead<WorkerActivityResponse>(linked ? `/workforce/workers/${encodeURIComponent(record.data.id)}/activity` : null, month, attempt);
  const training = useRead<TrainingMeResponse>(linked ? '/training/me' : null, undefined, attempt);
  const assessment = useRead<OwnAssessmentResponse>(linked ? '/assessment/me' : null, undefined, attempt);
  const dash = t('myRecord.none');

  return (
    <main className="f-main f-my-record" data-testid="field-my-record">
      <button type="button" className="f-btn f-btn-small" onClick={onBack}>
        ‹ {t('myRecord.back')}
      </button>
      <h2 className="f-h2">{t('myRecord.title')}</h2>
      {record.kind === 'loading' && <p className="f-note">{t('myRecord.loading')}</p>}
      {record.kind === 'none' && (
        <p className="f-note f-my-record-none" role="status" data-testid="field-my-record-none">
          {t('myRecord.noRecord')}
        </p>
      )}
      {record.kind === 'failed' && (
        <div className="f-error" role="alert">
          {t('myRecord.failed', { message: record.message })}
          <button type="button" className="f-btn" onClick={() => setAttempt((n) => n + 1)}>
            {t('myRecord.retry')}
          </button>
        </div>
      )}
      {record.kind === 'ok' && (
        <>
          <section className="f-record-card" data-testid="field-my-record-card">
            <p className="f-record-name">
              {record.data.name} <small>{record.data.id}</small>
            </p>
            <dl className="f-record-fields">
              <dt>{t('myRecord.grid')}</dt>
              <dd>
                {record.data.town.name} › {record.data.village.name} › {record.data.grid.name}
              </dd>
              <dt>{t('myRecord.employment')}</dt>
              <dd>{t(`myRecord.employmentName.${record.data.employment}`)}</dd>
              <dt>{t('myRecord.grade')}</dt>
              <dd data-testid="field-my-record-grade">{t('myRecord.gradeValue', { grade: record.data.grade })}</dd>
              <dt>{t('myRecord.status')}</dt>
              <dd>{t(`myRecord.statusName.${record.data.status}`)}</dd>
              <dt>{t('myRecord.startedOn')}</dt>
              <dd>{record.data.startedOn ?? dash}</dd>
              <dt>{t('myRecord.team')}</dt>
              <dd>{record.data.team?.name ?? dash}</dd>
              <dt>{t('myRecord.microGrids')}</dt>
              <dd>{record.data.microGrids.length > 0 ? record.data.microGrids.map((m) => m.name).join('、') : dash}</dd>
            </dl>
          </section>
          <MonthFigures state={activity} workerId={record.data.id} />
          {training.kind === 'ok' && (
            <section className="f-record-card" data-testid="field-my-training">
              <h3 className="f-record-h3">{t('myRecord.training')}</h3>
              <p className="f-record-big">
                {t('myRecord.trainingValue', { done: Math.round(training.data.progress.hours * 10) / 10, required: training.data.required })}
              </p>
              <p className="f-record-status" data-behind={training.data.progress.behind}>
                {training.data.progress.behind ? t('myRecord.trainingShort', { hours: Math.round(training.data.progress.shortBy * 10) / 10 }) : t('myRecord.trainingMet')}
              </p>
            </section>
          )}
          <OwnAssessment state={assessment} />
        </>
      )}
    </main>
  );
}

/** 我的考核: the newest closed period's result (scores, ranks out of how many, rating, comment, lists approved), and a period under way. */
function OwnAssessment({ state }: { state: Load<OwnAssessmentResponse> }) {
  const { t } = useTranslation();
  if (state.kind !== 'ok') return state.kind === 'loading' ? <p className="f-note">{t('myRecord.loading')}</p> : null;
  const open = state.data.items.find((i) => i.period.status === 'open');
  const last = state.data.items.find((i) => i.result !== null);
  const score = (n: number | null) => (n === null ? t('myRecord.assessmentUnscored') : String(n));
  return (
    <section className="f-record-card" data-testid="field-my-assessment">
      <h3 className="f-record-h3">{t('myRecord.assessment')}</h3>
      {open && <p className="f-note">{t('myRecord.assessmentOpen', { from: open.period.startsOn, to: open.period.endsOn })}</p>}
      {!last?.result ? (
        <p className="f-note">{t('myRecord.assessmentNone')}</p>
      ) : (
        <>
          <p className="f-note">{t('myRecord.assessmentPeriod', { from: last.period.startsOn, to: last.period.endsOn })}</p>
          <p className="f-record-big" data-testid="field-my-assessment-total">
            {last.result.total === null ? t('myRecord.assessmentUnscored') : t('myRecord.assessmentTotal', { total: last.result.total })}
            {last.result.rating && <span className="f-record-rating" data-rating={last.result.rating}> {t(`myRecord.rating.${last.result.rating}`)}</span>}
          </p>
          <p className="f-record-status">{t('myRecord.assessmentScores', { de: score(last.result.de), neng: score(last.result.neng), qin: last.result.qin, ji: last.result.ji })}</p>
          {last.result.rankTown !== null && last.result.rankCounty !== null && (
            <p className="f-record-status">
              {t('myRecord.assessmentRanks', { town: last.result.rankTown, townOf: last.result.rankedInTown, county: last.result.rankCounty, countyOf: last.result.rankedInCounty })}
            </p>
          )}
          {last.result.comment && <p className="f-note">{t('myRecord.assessmentComment', { comment: last.result.comment })}</p>}
          {last.result.approved.map((a) => (
            <p key={a.list} className="f-record-status" data-list={a.list}>
              {t(`myRecord.list.${a.list}`)}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

function MonthFigures({ state, workerId }: { state: Load<WorkerActivityResponse>; workerId: string }) {
  const { t } = useTranslation();
  if (state.kind !== 'ok') return state.kind === 'loading' ? <p className="f-note">{t('myRecord.loading')}</p> : null;
  const a: WorkerActivity | undefined = state.data.workers.find((w) => w.workerId === workerId);
  if (!a) return null;
  const minutes = Math.max(0, Math.round(a.patrol.minutes));
  return (
    <section className="f-record-card" data-testid="field-my-activity">
      <h3 className="f-record-h3">{t('myRecord.month')}</h3>
      <dl className="f-record-fields">
        <dt>{t('myRecord.patrol')}</dt>
        <dd>{t('myRecord.patrolValue', { h: Math.floor(minutes / 60), m: minutes % 60, km: (a.patrol.metres / 1000).toFixed(1), days: a.patrol.days })}</dd>
        <dt>{t('myRecord.coverage')}</dt>
        <dd>{t('myRecord.coverageValue', { covered: a.patrol.microGridsCovered, served: a.patrol.microGridsServed })}</dd>
        <dt>{t('myRecord.reported')}</dt>
        <dd>{a.reported.total}</dd>
        <dt>{t('myRecord.handled')}</dt>
        <dd>{t('myRecord.handledValue', { total: a.handled.total, onTime: a.handled.onTime })}</dd>
      </dl>
    </section>
  );
}
