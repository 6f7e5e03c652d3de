import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadExport, percentOf, sizeText, type DownloadProgress } from '../../app/download';
import { useServices } from '../../app/services';
import { currentLanguage } from '../../i18n/i18n';
import { exportFileName } from './workforce-view';

type Format = 'xlsx' | 'csv';
type ExportState = { kind: 'idle' } | { kind: 'working'; progress: DownloadProgress | null } | { kind: 'done'; name: string } | { kind: 'failed'; message: string };

/**
 * 导出: the roster of the list's town and status as XLSX or CSV, downloaded with the session's
 * token and its progress shown; the outcome (or the server's reason) stays until the next.
 */
export function WorkerExports({ town, status, today }: { town: string; status: string; today: string }) {
  const { t } = useTranslation();
  const { platform, session } = useServices();
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  async function run(format: Format) {
    setState({ kind: 'working', progress: null });
    const url = new URL('/api/v1/workforce/workers/export', platform.serverUrl || window.location.origin);
    if (town) url.searchParams.set('town', town);
    if (status) url.searchParams.set('status', status);
    url.searchParams.set('format', format);
    try {
      const name = await downloadExport({
        url,
        token: session.token(),
        language: currentLanguage(),
        // the server's name for the file (town, status and day), ours where it gives none
        fileName: (disposition) => /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? exportFileName(format, today, town),
        onProgress: (progress) => setState({ kind: 'working', progress }),
        onUnauthenticated: (token) => session.end('unauthenticated', token),
      });
      setState({ kind: 'done', name });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  const busy = state.kind === 'working';
  const percent = state.kind === 'working' && state.progress ? percentOf(state.progress) : null;
  const progressText =
    state.kind === 'working' ? (percent !== null ? `${percent}%` : state.progress && state.progress.received > 0 ? sizeText(state.progress.received) : '') : '';
  return (
    <div className="workforce-exports" role="group" aria-label={t('workforce.export.xlsx')}>
      <button type="button" className="admin-button" disabled={busy} onClick={() => void run('xlsx')} data-testid="workforce-export-xlsx">
        {t('workforce.export.xlsx')}
      </button>
      <button type="button" className="admin-button" disabled={busy} onClick={() => void run('csv')} data-testid="workforce-export-csv">
        {t('workforce.export.csv')}
      </button>
      <span className="workforce-export-status" role={state.kind === 'failed' ? 'alert' : 'status'} data-state={state.kind} data-testid="workforce-export-status">
        {state.kind === 'working' && (
          <>
            <progress max={100} value={percent ?? undefined} aria-hidden="true" /> {t('workforce.export.busy', { progress: progressText })}
          </>
        )}
        {state.kind === 'done' && t('workforce.export.done', { name: state.name })}
        {state.kind === 'failed' && t('workforce.export.failed', { message: state.message })}
      </span>
    </div>
  );
}
