import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TOLERANCES, GRID_IMPORT_LEVELS, type GridImportLevel, type GridImportReport, type ImportJob, type RosterImportReport, type RosterKind } from '../../../../shared/contracts/imports.js';
import type { QueryValue } from '../../app/api-client';
import { useServices } from '../../app/services';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { problemOf, type Problem } from '../admin/problem';
import { GridProblemTable, RosterProblemTable } from './ProblemTables';
import { PreviewMap } from './PreviewMap';
import { importJobQuery, useStartImport, useWriteImport } from './queries';
import './data-import.css';

type Kind = ImportJob['kind'];
const ROSTER_CHOICES = ['auto', 'workers', 'roster', 'teams'] as const;

/**
 * 数据导入: the county's own boundaries (GeoJSON, zipped Shapefile) and rosters (CSV, XLSX).
 * The file is checked on the server first, with a progress bar; every problem is listed per
 * feature or row (and drawn on a preview for boundaries); only a clean file can be written,
 * all or nothing, after a confirmation that says what will change.
 */
export function DataImportSection({ onNotice }: { onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const ids = { file: useId(), level: useId(), kind: useId() };
  const [kind, setKind] = useState<Kind>('grids');
  const [level, setLevel] = useState<GridImportLevel>('microgrid');
  const [rosterKind, setRosterKind] = useState<(typeof ROSTER_CHOICES)[number]>('auto');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<{ code: string; name: string; parent: string }>({ code: '', name: '', parent: '' });
  const [keepMissing, setKeepMissing] = useState(false);
  const [tolerances, setTolerances] = useState<{ overlap: number; gap: number; outside: number }>({ overlap: DEFAULT_TOLERANCES.overlapM2, gap: DEFAULT_TOLERANCES.gapM2, outside: DEFAULT_TOLERANCES.outsideM2 });
  const [jobId, setJobId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const start = useStartImport();
  const write = useWriteImport();
  const job = useQuery(importJobQuery(api, jobId)).data ?? null;
  const fields = job?.fields ?? [];

  const reset = () => {
    setJobId(null);
    setProblem(null);
    setSelected(null);
  };

  const validate = () => {
    if (!file) return;
    reset();
    const query: Record<string, QueryValue> =
      kind === 'grids'
        ? {
            level,
            code: mapping.code || undefined,
            name: mapping.name || undefined,
            parent: mapping.parent || undefined,
            keepMissing: keepMissing ? 'true' : undefined,
            overlapToleranceM2: tolerances.overlap,
            gapToleranceM2: tolerances.gap,
            outsideToleranceM2: tolerances.outside,
          }
        : { kind: rosterKind === 'auto' ? undefined : rosterKind };
    start.mutate({ kind, file, query }, { onSuccess: (j) => setJobId(j.id), onError: (err) => setProblem(problemOf(err, t)) });
  };

  const confirmWrite = () => {
    if (!job) return;
    write.mutate(job.id, {
      onSuccess: (j) => {
        setConfirming(false);
        onNotice({ tone: 'ok', text: t('dataImport.writeOk', { file: j.fileName }) });
      },
      onError: (err) => setProblem(problemOf(err, t)),
    });
  };

  const validating = start.isPending || job?.state === 'validating';
  const report = job?.report ?? null;
  const gridReport = report?.kind === 'grids' ? report : null;
  const rosterReport = report?.kind === 'roster' ? report : null;
  const canWrite = job?.state === 'ready';

  const fieldSelect = (role: 'code' | 'name' | 'parent', label: string) => (
    <div className="admin-field">
      <label htmlFor={`${ids.file}-${role}`}>{label}</label>
      <select id={`${ids.file}-${role}`} value={mapping[role]} onChange={(e) => setMapping({ ...mapping, [role]: e.target.value })} data-testid={`import-field-${role}`}>
        <option value="">{t('dataImport.auto')}</option>
        {fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </div>
  );

  const tolerance = (key: 'overlap' | 'gap' | 'outside', label: string) => (
    <label className="import-tolerance">
      <span>{label}</span>
      <input
        type="number"
        min={0}
        step={1}
        className="admin-input"
        value={tolerances[key]}
        onChange={(e) => setTolerances({ ...tolerances, [key]: Math.max(0, Number(e.target.value) || 0) })}
        data-testid={`import-tolerance-${key}`}
      />
    </label>
  );

  return (
    <div className="admin-split import-split" data-testid="data-import">
      <section className="admin-panel admin-panel-scroll import-form" aria-labelledby={`${ids.file}-title`}>
        <h2 id={`${ids.file}-title`}>{t('dataImport.fileTitle')}</h2>
        <fieldset className="admin-fieldset">
          <legend>{t('dataImport.what')}</legend>
          <div className="admin-checks" role="radiogroup">
            {(['grids', 'roster'] as const).map((k) => (
              <label key={k} className="admin-check">
                <input
                  type="radio"
                  name={`${ids.kind}-what`}
                  checked={kind === k}
                  onChange={() => {
                    setKind(k);
                    setFile(null);
                    reset();
                  }}
                  data-testid={`import-kind-${k}`}
                />
                {t(`dataImport.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {kind === 'grids' ? (
          <div className="admin-field">
            <label htmlFor={ids.level}>{t('dataImport.level')}</label>
            <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as GridImportLevel)} data-testid="import-level">
              {GRID_IMPORT_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`dataImport.levels.${l}`)}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="admin-field">
            <label htmlFor={ids.kind}>{t('dataImport.rosterKind')}</label>
            <select id={ids.kind} value={rosterKind} onChange={(e) => setRosterKind(e.target.value as RosterKind | 'auto')} data-testid="import-roster-kind">
              {ROSTER_CHOICES.map((k) => (
                <option key={k} value={k}>
                  {t(`dataImport.rosterKinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="admin-field">
          <label htmlFor={ids.file}>{t('dataImport.file')}</label>
          <input
            id={ids.file}
            type="file"
            className="admin-input import-file"
            accept={kind === 'grids' ? '.geojson,.json,.zip' : '.csv,.xlsx'}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              reset();
            }}
            data-testid="import-file"
          />
          <span className="admin-hint">{kind === 'grids' ? t('dataImport.fileHintGrids') : t('dataImport.fileHintRoster')}</span>
        </div>
        {kind === 'grids' && (
          <>
            <fieldset className="admin-fieldset">
              <legend>{t('dataImport.mapping')}</legend>
              <div className="import-mapping">
                {fieldSelect('code', t('dataImport.codeField'))}
                {fieldSelect('name', t('dataImport.nameField'))}
                {fieldSelect('parent', t('dataImport.parentField'))}
              </div>
              <span className="admin-hint">{t('dataImport.mappingHint')}</span>
            </fieldset>
            <fieldset className="admin-fieldset">
              <legend>{t('dataImport.tolerances')}</legend>
              <div className="import-tolerances">
                {tolerance('overlap', t('dataImport.overlapTolerance'))}
                {tolerance('gap', t('dataImport.gapTolerance'))}
                {tolerance('outside', t('dataImport.outsideTolerance'))}
              </div>
            </fieldset>
            <label className="admin-check">
              <input type="checkbox" checked={keepMissing} onChange={(e) => setKeepMissing(e.target.checked)} data-testid="import-keep-missing" />
              {t('dataImport.keepMissing')}
            </label>
          </>
        )}
        <div className="admin-actions">
          <button type="button" className="admin-button admin-button-primary" disabled={!file || validating} onClick={validate} data-testid="import-validate">
            {validating ? t('dataImport.validating') : t('dataImport.validate')}
          </button>
          <button type="button" className="admin-button admin-button-primary" data-tone="danger" disabled={!canWrite || write.isPending} onClick={() => setConfirming(true)} data-testid="import-write">
            {t('dataImport.write')}
          </button>
        </div>
        {problem && !confirming && (
          <p className="admin-field-error" role="alert" data-testid="import-error">
            {problem.message}
          </p>
        )}
        <Progress job={job} pending={start.isPending} />
        {job && <Summary job={job} />}
      </section>

      <section className="admin-column import-report" aria-label={t('dataImport.reportTitle')}>
        {gridReport && <PreviewMap report={gridReport} selected={selected} onSelect={setSelected} />}
        <div className="admin-panel import-table-panel">
          <h2>{t('dataImport.reportTitle')}</h2>
          {!report && <p className="admin-empty">{t('dataImport.waiting')}</p>}
          {gridReport && <GridProblemTable report={gridReport} selected={selected} onSelect={setSelected} />}
          {rosterReport && <RosterProblemTable report={rosterReport} />}
        </div>
      </section>

      {confirming && job?.report && (
        <ConfirmDialog
          title={t('dataImport.confirmTitle')}
          confirmLabel={t('dataImport.write')}
          busy={write.isPending}
          error={problem?.message ?? null}
          onConfirm={confirmWrite}
          onCancel={() => {
            setConfirming(false);
            setProblem(null);
          }}
          testId="import-confirm"
        >
          <p>{job.report.kind === 'grids' ? gridConfirm(job.report, t) : rosterConfirm(job.report, t)}</p>
          <p className="admin-hint">
            {job.fileName} · {t('dataImport.confirmAudit')}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

const gridConfirm = (r: GridImportReport, t: T) =>
  t('dataImport.confirmGrids', { level: t(`dataImport.levels.${r.level}`), inserts: r.inserts, updates: r.updates, removes: r.removes.length });

const rosterConfirm = (r: RosterImportReport, t: T) =>
  t('dataImport.confirmRoster', {
    sheets: r.sheets.map((s) => t('dataImport.sheetCounts', { sheet: t(`dataImport.rosterKinds.${s.kind}`), rows: s.rows, inserts: s.inserts, updates: s.updates })).join('；'),
  });

/** The check's progress: the phase in words and a bar (indeterminate while the upload itself runs). */
function Progress({ job, pending }: { job: ImportJob | null; pending: boolean }) {
  const { t } = useTranslation();
  if (!job && !pending) return null;
  const phase = job?.phase ?? 'read';
  const percent = job ? Math.round((job.state === 'validating' ? job.progress : 1) * 100) : 0;
  const phaseText = t(`dataImport.phase.${phase}`, { defaultValue: phase });
  return (
    <div className="import-progress" data-testid="import-progress" data-state={job?.state ?? 'uploading'}>
      <div className="import-progress-label">
        <span>{phaseText}</span>
        <span className="import-progress-value">{job ? `${percent}%` : ''}</span>
      </div>
      <div
        className="import-progress-track"
        role="progressbar"
        aria-label={t('dataImport.progress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={job ? percent : undefined}
        aria-valuetext={phaseText}
      >
        <div className="import-progress-bar" data-indeterminate={!job} style={{ width: job ? `${percent}%` : undefined }} />
      </div>
    </div>
  );
}

/** What the check found, in one look: counts, the coordinate system or encoding, and the verdict. */
function Summary({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  if (job.state === 'failed') {
    return (
      <div className="import-verdict" data-tone="bad" data-testid="import-verdict" role="alert">
        <strong>✕ {t('dataImport.failed', { detail: job.error?.detail ?? '' })}</strong>
        {job.fields.length > 0 && <span>{t('dataImport.failedFields', { fields: job.fields.join(', ') })}</span>}
      </div>
    );
  }
  const r = job.report;
  if (!r) return null;
  const bad = r.problems.length > 0;
  return (
    <div className="import-verdict" data-tone={bad ? 'bad' : 'ok'} data-testid="import-verdict" role={bad ? 'alert' : 'status'}>
      <strong>
        {bad ? '✕ ' : '✓ '}
        {job.state === 'written' ? t('dataImport.writeOk', { file: job.fileName }) : bad ? t('dataImport.problems', { count: r.problems.length }) : t('dataImport.ok')}
      </strong>
      {r.kind === 'grids' ? (
        <>
          <span>
            {t('dataImport.features', { count: r.features })} · {t(`dataImport.levels.${r.level}`)}
          </span>
          <span>{t('dataImport.crs', { crs: r.crs })}</span>
          <span data-testid="import-counts">{t('dataImport.counts', { inserts: r.inserts, updates: r.updates, removes: r.removes.length })}</span>
        </>
      ) : (
        <>
          <span>{t('dataImport.encoding', { encoding: r.encoding })}</span>
          {r.sheets.map((s) => (
            <span key={s.kind}>{t('dataImport.sheetCounts', { sheet: t(`dataImport.rosterKinds.${s.kind}`), rows: s.rows, inserts: s.inserts, updates: s.updates })}</span>
          ))}
        </>
      )}
    </div>
  );
}
