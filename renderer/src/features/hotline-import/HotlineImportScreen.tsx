import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  HOTLINE_COLUMN_LIST,
  HOTLINE_COLUMNS,
  HOTLINE_IMPORT_MAX_BYTES,
  HOTLINE_IMPORT_MAX_ROWS,
  REQUIRED_HOTLINE_COLUMNS,
  type HotlineImportMode,
  type HotlineImportReport,
  type HotlineImportRow,
  type HotlineImportSummary,
} from '../../../../shared/contracts/hotline-import.js';
import { ApiRequestError } from '../../app/api-client';
import { downloadExport } from '../../app/download';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { currentLanguage } from '../../i18n/i18n';
import { Notice, type NoticeValue } from '../admin/Notice';
import { hotlineImportQuery, hotlineImportsQuery } from './queries';
import { fileSizeText, filterRows, importVerdict, outcomeCounts, type OutcomeFilter } from './report-model';
import { fileProblem, uploadHotlineFile, type UploadStage } from './upload';
import './hotline-import.css';

/** Rows drawn at first and per "show more": a typhoon day's thousands stay quick to filter. */
const PAGE_ROWS = 500;
const LIMIT_MB = +(HOTLINE_IMPORT_MAX_BYTES / 1048576).toFixed(0);

/** A shape per outcome besides its colour and word (never colour alone). */
const OUTCOME_MARK: Record<HotlineImportRow['outcome'], string> = {
  accepted: '✓',
  triaged: '?',
  not_admitted: '↗',
  invalid: '✕',
  duplicate_of_earlier_import: '=',
};

function FilePicker({ file, onFile, disabled }: { file: File | null; onFile(file: File): void; disabled: boolean }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped && !disabled) onFile(dropped);
  };
  return (
    <div
      className="hotline-drop"
      data-over={over || undefined}
      data-testid="hotline-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <input
        ref={input}
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        hidden
        data-testid="hotline-file-input"
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          if (chosen) onFile(chosen);
          e.target.value = '';
        }}
      />
      <button type="button" className="admin-button admin-button-primary" onClick={() => input.current?.click()} disabled={disabled} aria-describedby={hintId} data-testid="hotline-choose">
        {t('hotlineImport.file.choose')}
      </button>
      <span className="hotline-drop-text">{over ? t('hotlineImport.file.dropActive') : t('hotlineImport.file.drop')}</span>
      <span className="hotline-file-name" data-testid="hotline-file-name">
        {file ? t('hotlineImport.file.chosen', { name: file.name, size: fileSizeText(file.size) }) : <span className="muted">{t('hotlineImport.file.none')}</span>}
      </span>
      <p id={hintId} className="admin-hint">
        {t('hotlineImport.file.hint', { limitMb: LIMIT_MB, maxRows: HOTLINE_IMPORT_MAX_ROWS.toLocaleString() })}
      </p>
    </div>
  );
}

function ModeChoice({ mode, onMode, disabled }: { mode: HotlineImportMode; onMode(mode: HotlineImportMode): void; disabled: boolean }) {
  const { t } = useTranslation();
  const name = useId();
  return (
    <fieldset className="hotline-modes" disabled={disabled}>
      <legend className="hotline-step">{t('hotlineImport.mode.heading')}</legend>
      {(['file', 'row'] as const).map((m) => (
        <label key={m} className="hotline-mode" data-checked={mode === m || undefined}>
          <input type="radio" name={name} value={m} checked={mode === m} onChange={() => onMode(m)} data-testid={`hotline-mode-${m}`} />
          <span className="hotline-mode-text">
            <strong>{t(`hotlineImport.mode.${m}`)}</strong>
            <span>{t(`hotlineImport.mode.${m}Help`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function ProgressBar({ stage }: { stage: UploadStage }) {
  const { t } = useTranslation();
  const percent = stage.phase === 'uploading' ? stage.percent : stage.total > 0 ? Math.floor((stage.done / stage.total) * 100) : null;
  const label =
    stage.phase === 'uploading'
      ? t('hotlineImport.progress.uploading', { percent: stage.percent })
      : stage.phase === 'reading'
        ? t('hotlineImport.progress.reading')
        : stage.phase === 'done'
          ? t('hotlineImport.progress.done')
          : t(`hotlineImport.progress.${stage.phase}`, { done: stage.done.toLocaleString(), total: stage.total.toLocaleString() });
  return (
    <div className="hotline-progress" data-testid="hotline-progress" data-phase={stage.phase}>
      <div
        className="hotline-progress-track"
        role="progressbar"
        aria-label={t('hotlineImport.progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={label}
      >
        <div className="hotline-progress-fill" data-indeterminate={percent === null || undefined} style={{ width: `${percent ?? 100}%` }} />
      </div>
      <span className="hotline-progress-label" aria-live="polite">
        {label}
      </span>
    </div>
  );
}

function ReportTable({ report }: { report: HotlineImportReport }) {
  const { t, i18n } = useTranslation();
  const { platform, session } = useServices();
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const [shown, setShown] = useState(PAGE_ROWS);
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const rows = filterRows(report.rows, filter);
  const download = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') =>
      downloadExport({
        url: new URL(`/api/v1/hotline-imports/${report.id}/report?format=${format}`, platform.serverUrl || window.location.origin),
        token: session.token(),
        language: currentLanguage(),
        fileName: `12345-import-${report.id}.${format}`,
        onUnauthenticated: (token) => session.end('unauthenticated', token),
      }),
  });
  const statusTone = report.status === 'preview' ? 'info' : report.status === 'written' ? 'ok' : 'bad';
  const words = report.dryRun ? 'hotlineImport.outcomePreview' : 'hotlineImport.outcome';
  return (
    <section className="admin-panel hotline-report" aria-labelledby="hotline-report-heading" data-testid="hotline-report" data-status={report.status} data-dry-run={report.dryRun}>
      <div className="admin-heading">
        <h2 id="hotline-report-heading">{t('hotlineImport.report.heading')}</h2>
        <span className="hotline-status" data-tone={statusTone} data-testid="hotline-status">
          {t(`hotlineImport.status.${report.status}`)}
        </span>
        <span className="muted">
          {t('hotlineImport.report.summary', { file: report.file.name, rows: report.totals.rows.toLocaleString(), mode: t(`hotlineImport.mode.${report.mode}`) })}
        </span>
        <div className="admin-heading-end">
          <button type="button" className="admin-button" onClick={() => download.mutate('csv')} disabled={download.isPending} data-testid="hotline-download-csv">
            {t('hotlineImport.report.downloadCsv')}
          </button>
          <button type="button" className="admin-button" onClick={() => download.mutate('xlsx')} disabled={download.isPending} data-testid="hotline-download-xlsx">
            {t('hotlineImport.report.downloadXlsx')}
          </button>
        </div>
      </div>
      {download.isError && (
        <p className="admin-field-error" role="alert">
          {t('hotlineImport.report.downloadFailed', { message: download.error.message })}
        </p>
      )}
      <div className="hotline-filters" role="group" aria-label={t('hotlineImport.report.filter')}>
        {outcomeCounts(report).map(({ filter: f, count }) => (
          <button
            key={f}
            type="button"
            className="hotline-filter"
            data-outcome={f}
            aria-pressed={filter === f}
            onClick={() => {
              setFilter(f);
              setShown(PAGE_ROWS);
            }}
            data-testid={`hotline-filter-${f}`}
          >
            {f !== 'all' && (
              <span className="hotline-mark" aria-hidden="true">
                {OUTCOME_MARK[f]}
              </span>
            )}
            {t(`${words}.${f}`)}
            <span className="hotline-count">{count.toLocaleString()}</span>
          </button>
        ))}
      </div>
      <div className="admin-table-wrap hotline-table-wrap">
        <table className="admin-table hotline-table" data-testid="hotline-rows">
          <thead>
            <tr>
              <th scope="col">{t('hotlineImport.report.row')}</th>
              <th scope="col">{t('hotlineImport.report.caseNumber')}</th>
              <th scope="col">{t('hotlineImport.report.outcome')}</th>
              <th scope="col">{t('hotlineImport.report.field')}</th>
              <th scope="col">{t('hotlineImport.report.reason')}</th>
              <th scope="col">{t('hotlineImport.report.target')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((r) => (
              <tr key={r.row} data-outcome={r.outcome} data-row={r.row} data-testid="hotline-row">
                <td className="mono hotline-num">{r.row}</td>
                <td className="mono">{r.caseNumber || '—'}</td>
                <td>
                  <span className="hotline-outcome" data-outcome={r.outcome}>
                    <span className="hotline-mark" aria-hidden="true">
                      {OUTCOME_MARK[r.outcome]}
                    </span>
                    {t(`${words}.${r.outcome}`)}
                  </span>
                  {!report.dryRun && <span className="hotline-written">{r.written ? t('hotlineImport.report.written') : t('hotlineImport.report.notWritten')}</span>}
                </td>
                <td>{r.field ?? '—'}</td>
                <td className="hotline-reason">
                  {r.reason?.[lang] ?? '—'}
                  {r.receivingBody && r.outcome !== 'not_admitted' && <span className="muted"> {r.receivingBody}</span>}
                </td>
                <td className="mono">{r.eventId ?? r.triageId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="admin-empty">{t('hotlineImport.report.empty')}</p>}
        {rows.length > shown && (
          <button type="button" className="admin-button hotline-more" onClick={() => setShown((n) => n + PAGE_ROWS)}>
            {t('hotlineImport.report.more', { count: Math.min(PAGE_ROWS, rows.length - shown) })}
          </button>
        )}
      </div>
    </section>
  );
}

function ColumnsHelp() {
  const { t } = useTranslation();
  return (
    <section className="admin-panel" aria-labelledby="hotline-columns-heading">
      <h2 id="hotline-columns-heading">{t('hotlineImport.columns.heading')}</h2>
      <p className="admin-hint">{t('hotlineImport.columns.help')}</p>
      <dl className="hotline-columns">
        {HOTLINE_COLUMN_LIST.map((c) => (
          <div key={c} className="hotline-column">
            <dt>
              {HOTLINE_COLUMNS[c][0]}
              {REQUIRED_HOTLINE_COLUMNS.includes(c) && <span className="hotline-required">{t('hotlineImport.columns.required')}</span>}
              <span className="mono muted"> {c}</span>
            </dt>
            <dd>{t(`hotlineImport.columns.field.${c}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function History({ onOpen, current }: { onOpen(id: string): void; current: string | null }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const list = useQuery(hotlineImportsQuery(api));
  const items: HotlineImportSummary[] = list.data?.items ?? [];
  return (
    <section className="admin-panel hotline-history" aria-labelledby="hotline-history-heading" data-testid="hotline-history">
      <h2 id="hotline-history-heading">{t('hotlineImport.history.heading')}</h2>
      {items.length === 0 && <p className="admin-empty">{t('hotlineImport.history.empty')}</p>}
      <ul className="hotline-history-list">
        {items.map((item) => (
          <li key={item.id}>
            <button type="button" className="hotline-history-item" aria-current={item.id === current || undefined} onClick={() => onOpen(item.id)}>
              <span className="hotline-history-name">
                {item.file.name}
                {item.dryRun && <span className="hotline-history-tag">{t('hotlineImport.history.preview')}</span>}
              </span>
              <span className="hotline-history-meta">
                {t(`hotlineImport.status.${item.status}`).split('：')[0]!.split(':')[0]} · {item.totals.rows} · {t('hotlineImport.history.by', { name: item.by.displayName, time: formatDateTime(item.startedAt) })}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * 12345 工单导入: choose the platform's export (picker or drop), choose all-or-nothing or row by
 * row, preview (the server checks, places and classifies every row and writes nothing), then
 * import; a progress bar while the file goes up and the server works through it; the per-row
 * report to filter and download; earlier imports to look up again.
 */
export function HotlineImportScreen() {
  const { t } = useTranslation();
  const { api, platform, session } = useServices();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<HotlineImportMode>('file');
  const [stage, setStage] = useState<UploadStage | null>(null);
  const [report, setReport] = useState<HotlineImportReport | null>(null);
  const [preview, setPreview] = useState<HotlineImportReport | null>(null);
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = useQuery({ ...hotlineImportQuery(api, openId ?? ''), enabled: openId !== null });

  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      uploadHotlineFile({
        api,
        baseUrl: platform.serverUrl,
        token: session.token(),
        language: currentLanguage(),
        file: file!,
        mode,
        dryRun,
        onStage: setStage,
        onUnauthenticated: (token) => session.end('unauthenticated', token),
      }),
    onMutate: () => {
      setNotice(null);
      setOpenId(null);
    },
    onSuccess: (result) => {
      setReport(result);
      setPreview(result.dryRun ? result : null);
      setStage({ phase: 'done', done: result.totals.rows, total: result.totals.rows });
      void queryClient.invalidateQueries({ queryKey: ['hotline-imports'] });
    },
    onError: (err) => {
      setStage(null);
      const network = err instanceof ApiRequestError && err.code === 'network';
      setNotice({ tone: 'bad', text: network ? t('hotlineImport.network') : t('hotlineImport.failed', { message: err.message }) });
    },
  });

  const choose = (chosen: File) => {
    const problem = fileProblem(chosen);
    setReport(null);
    setPreview(null);
    setStage(null);
    setOpenId(null);
    if (problem) {
      setFile(null);
      setNotice({ tone: 'bad', text: t(problem.kind === 'type' ? 'hotlineImport.file.wrongType' : 'hotlineImport.file.tooLarge', { name: chosen.name, size: fileSizeText(chosen.size), limitMb: LIMIT_MB }) });
      return;
    }
    setNotice(null);
    setFile(chosen);
  };
  const changeMode = (m: HotlineImportMode) => {
    setMode(m);
    // a preview answers for one mode: all or nothing and row by row differ on invalid rows
    setPreview(null);
  };

  const busy = run.isPending;
  const verdict = preview && preview.mode === mode ? importVerdict(preview) : null;
  const shown = openId !== null ? (opened.data ?? null) : report;
  const imported = report !== null && !report.dryRun ? report : null;
  const verdictText =
    verdict === null
      ? imported
        ? t('hotlineImport.run.done', { count: imported.totals.written })
        : t('hotlineImport.run.previewFirst')
      : verdict.ok
        ? t('hotlineImport.run.ready', { count: verdict.rows })
        : verdict.reason === 'invalid_rows'
          ? t('hotlineImport.run.blockedFileMode', { count: verdict.count })
          : t('hotlineImport.run.nothingToWrite');

  return (
    <div className="hotline-import" data-testid="hotline-import">
      <div className="hotline-work">
        <section className="admin-panel hotline-steps" aria-label={t('hotlineImport.title')}>
          <Notice notice={notice} onDismiss={() => setNotice(null)} />
          <div className="hotline-step-row">
            <div className="hotline-step-block">
              <h2 className="hotline-step">{t('hotlineImport.file.heading')}</h2>
              <FilePicker file={file} onFile={choose} disabled={busy} />
            </div>
            <div className="hotline-step-block">
              <ModeChoice mode={mode} onMode={changeMode} disabled={busy} />
            </div>
            <div className="hotline-step-block">
              <h2 className="hotline-step">{t('hotlineImport.run.heading')}</h2>
              <div className="admin-actions">
                <button type="button" className="admin-button" disabled={!file || busy} onClick={() => run.mutate(true)} data-testid="hotline-preview">
                  {t('hotlineImport.run.preview')}
                </button>
                <button type="button" className="admin-button admin-button-primary" disabled={!file || busy || !verdict?.ok} onClick={() => run.mutate(false)} data-testid="hotline-import-run">
                  {t('hotlineImport.run.import')}
                </button>
              </div>
              <p className="admin-hint hotline-verdict" data-testid="hotline-verdict" data-ok={verdict?.ok ?? undefined}>
                {file ? verdictText : ''}
              </p>
              {stage && <ProgressBar stage={stage} />}
            </div>
          </div>
        </section>
        {shown && <ReportTable key={shown.id} report={shown} />}
      </div>
      <aside className="hotline-side">
        <History onOpen={setOpenId} current={openId ?? report?.id ?? null} />
        <ColumnsHelp />
      </aside>
    </div>
  );
}
