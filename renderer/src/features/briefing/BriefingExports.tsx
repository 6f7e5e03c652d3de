import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { briefingFileName } from '../../../../shared/contracts/briefing.js';
import { useServices } from '../../app/services';
import { currentLanguage } from '../../i18n/i18n';
import { downloadExport, percentOf, sizeText, type DownloadProgress } from '../../app/download';

/** What a PDF export came to: saved by the shell, cancelled in its dialog, or handed to the browser's print dialog. */
export type PdfOutcome = { kind: 'saved'; fileName: string } | { kind: 'canceled' } | { kind: 'opened' } | { kind: 'printed' };

type Format = 'pdf' | 'xlsx' | 'csv';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'working'; format: Format; progress: DownloadProgress | null }
  | { kind: 'done'; message: string }
  | { kind: 'failed'; message: string };

const FORMAT_NAMES: Record<Format, string> = { pdf: 'PDF', xlsx: 'XLSX', csv: 'CSV' };

/**
 * The briefing's export buttons: PDF (how is the container's: the shell's save dialog, the
 * browser's print dialog here or in a new tab), XLSX and CSV (downloaded with the session's
 * token, with progress). One export at a time; the outcome or the server's reason stays in the
 * status line until the next.
 */
export function BriefingExports({ period, printPdf }: { period: { from: string; to: string }; printPdf(fileName: string): Promise<PdfOutcome> }) {
  const { t } = useTranslation();
  const { platform, session } = useServices();
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const busy = state.kind === 'working';

  async function run(format: Format) {
    const name = FORMAT_NAMES[format];
    setState({ kind: 'working', format, progress: null });
    try {
      if (format === 'pdf') {
        const outcome = await printPdf(briefingFileName(period, 'pdf'));
        const message =
          outcome.kind === 'saved'
            ? t('briefing.export.saved', { name: outcome.fileName })
            : outcome.kind === 'canceled'
              ? t('briefing.export.canceled')
              : outcome.kind === 'opened'
                ? t('briefing.export.opened')
                : '';
        setState(message ? { kind: 'done', message } : { kind: 'idle' });
        return;
      }
      const url = new URL(`/api/v1/briefings/export.${format}`, platform.serverUrl || window.location.origin);
      url.searchParams.set('from', period.from);
      url.searchParams.set('to', period.to);
      const fileName = briefingFileName(period, format);
      await downloadExport({
        url,
        token: session.token(),
        language: currentLanguage(),
        fileName,
        onProgress: (progress) => setState({ kind: 'working', format, progress }),
        onUnauthenticated: (token) => session.end('unauthenticated', token),
      });
      setState({ kind: 'done', message: t('briefing.export.downloaded', { name: fileName }) });
    } catch (err) {
      setState({ kind: 'failed', message: t('briefing.export.failed', { format: name, message: err instanceof Error ? err.message : String(err) }) });
    }
  }

  return (
    <div className="briefing-exports" role="group" aria-label={t('briefing.export.label')}>
      <button type="button" data-export="pdf" disabled={busy} onClick={() => void run('pdf')} title={platform.savePdf ? t('briefing.export.pdfHint') : t('briefing.export.pdfBrowserHint')}>
        {t('briefing.export.pdf')}
      </button>
      <button type="button" data-export="xlsx" disabled={busy} onClick={() => void run('xlsx')} title={t('briefing.export.xlsxHint')}>
        {t('briefing.export.xlsx')}
      </button>
      <button type="button" data-export="csv" disabled={busy} onClick={() => void run('csv')} title={t('briefing.export.csvHint')}>
        {t('briefing.export.csv')}
      </button>
      <ExportStatus state={state} />
    </div>
  );
}

function ExportStatus({ state }: { state: ExportState }) {
  const { t } = useTranslation();
  if (state.kind === 'idle') return <span className="briefing-export-status" role="status" />;
  if (state.kind === 'done') {
    return (
      <span className="briefing-export-status" role="status" data-state="done">
        {state.message}
      </span>
    );
  }
  if (state.kind === 'failed') {
    return (
      <span className="briefing-export-status" role="alert" data-state="failed">
        {state.message}
      </span>
    );
  }
  const format = FORMAT_NAMES[state.format];
  const percent = state.progress ? percentOf(state.progress) : null;
  const text =
    state.progress === null || state.progress.received === 0
      ? t('briefing.export.preparing', { format })
      : percent !== null
        ? t('briefing.export.downloading', { format, percent })
        : t('briefing.export.downloadingSize', { format, size: sizeText(state.progress.received) });
  return (
    <span className="briefing-export-status" role="status" data-state="working">
      <progress max={100} value={percent ?? undefined} aria-label={text} />
      {text}
    </span>
  );
}
