import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../app/ui/DateField';
import type { TFunction } from 'i18next';
import { AUDIT_ACTIONS, AUDIT_RESULTS, type AuditFilter, type AuditRecord, type AuditResult } from '../../../../shared/contracts/audit.js';
import { useServices } from '../../app/services';
import {
  auditActionLabelKey,
  auditFilterFromDraft,
  auditObjectText,
  EMPTY_AUDIT_FILTER,
  formatAuditTime,
  formatAuditTimeExact,
  isReversedRange,
  pageCount,
  type AuditFilterDraft,
} from './audit-format';
import { useAuditExport } from './export';
import { auditPageQuery } from './queries';
import './audit-viewer.css';

const PAGE_SIZE = 50;

/** A shape per result besides its colour and word: tick, cross, no-entry. */
function ResultMark({ result }: { result: AuditResult }) {
  return (
    <svg viewBox="0 0 12 12" className="audit-result-mark" aria-hidden="true">
      {result === 'success' && <path d="M2 6.5l2.6 2.6L10 3.5" fill="none" stroke="currentColor" strokeWidth="1.8" />}
      {result === 'failure' && <path d="M3 3l6 6M9 3l-6 6" fill="none" stroke="currentColor" strokeWidth="1.8" />}
      {result === 'denied' && (
        <>
          <circle cx="6" cy="6" r="4.6" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M2.9 9.1l6.2-6.2" stroke="currentColor" strokeWidth="1.6" />
        </>
      )}
    </svg>
  );
}

function ActionCell({ action }: { action: string }) {
  const { t } = useTranslation();
  const key = auditActionLabelKey(action);
  return (
    <td className="audit-action">
      {key && <span className="audit-action-label">{t(key)}</span>}
      <span className="audit-action-code mono">{action}</span>
    </td>
  );
}

function ResultChip({ result }: { result: AuditResult }) {
  const { t } = useTranslation();
  return (
    <span className="audit-result" data-result={result}>
      <ResultMark result={result} />
      {t(`audit.results.${result}`)}
    </span>
  );
}

function roleText(t: TFunction, role: string | null): string {
  if (!role) return '—';
  return role
    .split(',')
    .map((r) => {
      const key = `roles.${r.trim()}`;
      return t(key, { defaultValue: r.trim() });
    })
    .join(t('list.separator'));
}

function AuditRow({ record }: { record: AuditRecord }) {
  const { t } = useTranslation();
  const object = auditObjectText(record);
  return (
    <tr className="audit-row" data-seq={record.seq} data-result={record.result} data-action={record.action} data-testid="audit-row">
      <td className="audit-seq mono">{record.seq}</td>
      <td className="audit-time mono">
        <time dateTime={record.at} title={formatAuditTimeExact(record.at)}>
          {formatAuditTime(record.at)}
        </time>
      </td>
      <td className="audit-user" title={record.userId ?? undefined}>
        {record.username ?? <span className="muted">{t('audit.anonymous')}</span>}
      </td>
      <td className="audit-role">{roleText(t, record.role)}</td>
      <ActionCell action={record.action} />
      <td className="audit-object mono" title={object.title || undefined}>
        {object.text}
      </td>
      <td>
        <ResultChip result={record.result} />
      </td>
      <td className="audit-reason mono" title={record.reason ?? undefined}>
        {record.reason ?? '—'}
      </td>
      <td className="audit-ip mono">{record.sourceIp ?? '—'}</td>
      <td className="audit-client" title={record.client ?? undefined}>
        {record.client ?? '—'}
      </td>
    </tr>
  );
}

function FilterBar({
  draft,
  onChange,
  onSubmit,
  onReset,
}: {
  draft: AuditFilterDraft;
  onChange(draft: AuditFilterDraft): void;
  onSubmit(): void;
  onReset(): void;
}) {
  const { t } = useTranslation();
  const ids = { from: useId(), to: useId(), user: useId(), action: useId(), result: useId(), problem: useId() };
  const reversed = isReversedRange(draft);
  const set = (field: keyof AuditFilterDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [field]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reversed) onSubmit();
  };
  return (
    <form className="audit-filters" onSubmit={submit} aria-label={t('audit.filters')} data-testid="audit-filters">
      <div className="audit-field">
        <label htmlFor={ids.from}>{t('audit.from')}</label>
        <DateField id={ids.from} value={draft.fromDay} onChange={(fromDay) => onChange({ ...draft, fromDay })} testId="audit-from" />
      </div>
      <div className="audit-field">
        <label htmlFor={ids.to}>{t('audit.to')}</label>
        <DateField id={ids.to} value={draft.toDay} onChange={(toDay) => onChange({ ...draft, toDay })} invalid={reversed} describedBy={reversed ? ids.problem : undefined} testId="audit-to" />
      </div>
      <div className="audit-field audit-field-wide">
        <label htmlFor={ids.user}>{t('audit.user')}</label>
        <input id={ids.user} type="search" value={draft.user} onChange={set('user')} placeholder={t('audit.userPlaceholder')} autoComplete="off" spellCheck={false} />
      </div>
      <div className="audit-field audit-field-wide">
        <label htmlFor={ids.action}>{t('audit.action')}</label>
        <select id={ids.action} value={draft.action} onChange={set('action')}>
          <option value="">{t('audit.any')}</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {t(auditActionLabelKey(action)!)} · {action}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-field">
        <label htmlFor={ids.result}>{t('audit.result')}</label>
        <select id={ids.result} value={draft.result} onChange={set('result')}>
          <option value="">{t('audit.any')}</option>
          {AUDIT_RESULTS.map((result) => (
            <option key={result} value={result}>
              {t(`audit.results.${result}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-filter-actions">
        <button type="submit" className="audit-button audit-button-primary" disabled={reversed}>
          {t('audit.search')}
        </button>
        <button type="button" className="audit-button" onClick={onReset}>
          {t('audit.reset')}
        </button>
      </div>
      {reversed && (
        <p className="audit-filter-problem" id={ids.problem} role="alert">
          {t('audit.reversedRange')}
        </p>
      )}
    </form>
  );
}

/**
 * The audit administrator's screen: the server's audit trail as a dense table, newest first,
 * with filters, paging and a CSV export of everything that matches. Reading it is audited too.
 * The shell puts it in the administrators' page frame (top bar, user, language).
 */
export function AuditViewer() {
  const { t } = useTranslation();
  const { api } = useServices();
  const [draft, setDraft] = useState<AuditFilterDraft>(EMPTY_AUDIT_FILTER);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState(1);
  const records = useQuery(auditPageQuery(api, filter, page, PAGE_SIZE));
  const exporter = useAuditExport();

  const search = (next: AuditFilterDraft) => {
    const nextFilter = auditFilterFromDraft(next);
    // Asking again for what is on screen fetches it anew: new records may have come in.
    if (page === 1 && JSON.stringify(nextFilter) === JSON.stringify(filter)) void records.refetch();
    setFilter(nextFilter);
    setPage(1);
  };

  const data = records.data;
  const pages = data ? pageCount(data.total, data.pageSize) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, first + data.items.length - 1) : 0;

  return (
    <div className="audit-screen" data-testid="audit-viewer">
      <main className="audit-main" aria-labelledby="audit-title">
        <div className="audit-heading">
          <h1 id="audit-title">{t('audit.title')}</h1>
          <p className="muted">{t('audit.subtitle')}</p>
          <div className="audit-export">
            <span className="audit-export-status" role="status" data-testid="audit-export-status">
              {exporter.isError && <span className="audit-problem-text">{t('audit.exportFailed', { message: exporter.error.message })}</span>}
              {exporter.isSuccess && t('audit.exported', { name: exporter.data })}
            </span>
            <button
              type="button"
              className="audit-button audit-button-primary"
              onClick={() => exporter.mutate(filter)}
              disabled={exporter.isPending}
              aria-busy={exporter.isPending}
              data-testid="audit-export"
            >
              {exporter.isPending && <span className="spinner" aria-hidden="true" />}
              {exporter.isPending ? t('audit.exporting') : t('audit.export')}
            </button>
          </div>
        </div>
        <FilterBar
          draft={draft}
          onChange={setDraft}
          onSubmit={() => search(draft)}
          onReset={() => {
            setDraft(EMPTY_AUDIT_FILTER);
            search(EMPTY_AUDIT_FILTER);
          }}
        />
        <section className="audit-table-wrap" aria-busy={records.isFetching} data-testid="audit-table">
          {records.isError ? (
            <div className="audit-state audit-state-error" role="alert" data-testid="audit-error">
              <p>{t('audit.error', { message: records.error.message })}</p>
              <button type="button" className="audit-button" onClick={() => void records.refetch()}>
                {t('audit.retry')}
              </button>
            </div>
          ) : (
            <table className="audit-table" aria-label={t('audit.tableLabel')}>
              <thead>
                <tr>
                  <th scope="col" className="audit-seq" title={t('audit.columns.seqTitle')}>
                    {t('audit.columns.seq')}
                  </th>
                  <th scope="col">
                    {t('audit.columns.at')} <span className="audit-th-note">{t('audit.timeZone')}</span>
                  </th>
                  <th scope="col">{t('audit.columns.user')}</th>
                  <th scope="col">{t('audit.columns.role')}</th>
                  <th scope="col">{t('audit.columns.action')}</th>
                  <th scope="col">{t('audit.columns.object')}</th>
                  <th scope="col">{t('audit.columns.result')}</th>
                  <th scope="col">{t('audit.columns.reason')}</th>
                  <th scope="col">{t('audit.columns.sourceIp')}</th>
                  <th scope="col">{t('audit.columns.client')}</th>
                </tr>
              </thead>
              <tbody>
                {data?.items.map((record) => <AuditRow key={record.seq} record={record} />)}
              </tbody>
            </table>
          )}
          {!records.isError && !data && (
            <div className="audit-state" role="status">
              <span className="spinner" aria-hidden="true" /> {t('audit.loading')}
            </div>
          )}
          {!records.isError && data?.items.length === 0 && (
            <div className="audit-state" role="status" data-testid="audit-empty">
              <p className="audit-state-title">{t('audit.empty')}</p>
              <p className="muted">{t('audit.emptyHint')}</p>
            </div>
          )}
        </section>
        <nav className="audit-pager" aria-label={t('audit.page', { page, pages })}>
          <span data-testid="audit-total">{t('audit.total', { total: data?.total ?? 0 })}</span>
          {data && data.total > 0 && <span className="muted">{t('audit.range', { first, last })}</span>}
          {records.isFetching && data && <span className="muted">{t('audit.updating')}</span>}
          <span className="audit-pager-end">
            <button type="button" className="audit-button" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1}>
              {t('audit.prev')}
            </button>
            <span className="audit-page">{t('audit.page', { page, pages })}</span>
            <button type="button" className="audit-button" onClick={() => setPage((p) => Math.min(pages, p + 1))} disabled={page >= pages}>
              {t('audit.next')}
            </button>
          </span>
        </nav>
      </main>
    </div>
  );
}
