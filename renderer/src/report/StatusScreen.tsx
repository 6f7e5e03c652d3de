import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { publicTokenSchema, type PublicReportStatus, type PublicStep } from '../../../shared/contracts/public-report.js';
import { ReportApiError, type ReportApi } from './report-api';
import { statusPath } from './routes';

/** A time as the county reads it (China time), whatever the phone's zone. */
function chinaTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** A mark per step (shape and word, not colour alone). */
const MARK: Record<PublicStep, string> = { received: '●', filed: '●', not_admitted: '■', in_progress: '▶', closed: '✓' };

/** 查询进度: paste a tracking code, go to its status page. */
export function LookupForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const [token, setToken] = useState(initial);
  const [bad, setBad] = useState(initial !== '' && !publicTokenSchema.safeParse(initial).success);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // pasted from a chat or written down in groups: gaps and line breaks are not part of it
    const clean = token.replace(/\s+/g, '');
    if (!publicTokenSchema.safeParse(clean).success) {
      setBad(true);
      return;
    }
    window.location.assign(statusPath(clean));
  };
  return (
    <form className="r-lookup" onSubmit={submit} noValidate data-testid="report-lookup">
      <h2 className="r-h2">{t('lookup.title')}</h2>
      <label className="r-label" htmlFor="r-token">
        {t('lookup.label')}
      </label>
      <input
        id="r-token"
        className="r-input r-mono"
        value={token}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        placeholder={t('lookup.placeholder')}
        aria-invalid={bad}
        onChange={(e) => {
          setToken(e.target.value);
          setBad(false);
        }}
        data-testid="report-lookup-token"
      />
      {bad && (
        <p className="r-field-error" role="alert">
          {t('lookup.bad')}
        </p>
      )}
      <button type="submit" className="r-btn r-btn-primary" data-testid="report-lookup-submit">
        {t('lookup.submit')}
      </button>
    </form>
  );
}

/**
 * 处理进度: the public steps of the loop (received; filed, or not admitted with the receiving
 * body; in progress; closed with the result), nothing else: no names, no teams, no other report.
 */
export function StatusScreen({ api, token }: { api: ReportApi; token: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<PublicReportStatus | null>(null);
  const [problem, setProblem] = useState<'notFound' | 'failed' | null>(null);
  const [loading, setLoading] = useState(true);

  const fetchStatus = useCallback(() => {
    api.status(token).then(
      (s) => {
        setStatus(s);
        setProblem(null);
        setLoading(false);
      },
      (err) => {
        setProblem(err instanceof ReportApiError && err.status === 404 ? 'notFound' : 'failed');
        setLoading(false);
      },
    );
  }, [api, token]);
  useEffect(fetchStatus, [fetchStatus]);
  const load = () => {
    setLoading(true);
    fetchStatus();
  };

  if (problem === 'notFound') {
    return (
      <>
        <p className="r-alert" role="alert" data-testid="report-status-not-found">
          {t('status.notFound')}
        </p>
        <LookupForm initial={token} />
      </>
    );
  }
  if (!status) {
    return (
      <section className="r-status">
        <p>{loading ? t('loading') : t('loadFailed')}</p>
        {!loading && (
          <button type="button" className="r-btn" onClick={load}>
            {t('retry')}
          </button>
        )}
      </section>
    );
  }
  return (
    <section className="r-status" data-testid="report-status" data-status={status.status}>
      <h2 className="r-h2">{t('status.title')}</h2>
      <dl className="r-facts">
        <dt>{t('status.item')}</dt>
        <dd data-testid="report-status-item">{status.itemName}</dd>
        <dt>{t('status.submitted')}</dt>
        <dd>{chinaTime(status.submittedAt, i18n.language)}</dd>
      </dl>
      <p className={`r-now r-now-${status.status}`} data-testid="report-status-now">
        <span aria-hidden="true">{MARK[status.status]}</span> {t('status.nowIs', { step: t(`status.step.${status.status}`) })}
      </p>
      <h3 className="r-h3">{t('status.steps')}</h3>
      <ol className="r-steps" data-testid="report-steps">
        {status.steps.map((s, i) => (
          <li key={`${s.step}-${i}`} className={`r-step r-step-${s.step}`} data-step={s.step}>
            <span className="r-step-mark" aria-hidden="true">
              {MARK[s.step]}
            </span>
            <div>
              <strong>{t(`status.step.${s.step}`)}</strong> <time dateTime={s.at}>{chinaTime(s.at, i18n.language)}</time>
              <p className="r-step-note">{t(`status.stepNote.${s.step}`)}</p>
              {s.receivingBody && <p className="r-step-body">{t('status.receivingBody', { body: s.receivingBody })}</p>}
              {s.result && <p className="r-step-body">{t('status.result', { result: s.result })}</p>}
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="r-btn" onClick={load} disabled={loading} data-testid="report-status-refresh">
        ↻ {t('status.refresh')}
      </button>
      <p className="r-hint">{t('status.privacy')}</p>
    </section>
  );
}
