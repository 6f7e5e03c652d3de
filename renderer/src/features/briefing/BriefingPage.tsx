import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { briefingFileName, type BriefingResponse } from '../../../../shared/contracts/briefing.js';
import { navigate, useLocation } from '../../app/route';
import { useServices } from '../../app/services';
import { BriefingDocument, type BriefingMap } from './BriefingDocument';
import { BriefingExports, type PdfOutcome } from './BriefingExports';
import { briefingMapQuery, briefingQuery, mapState, periodOfSearch } from './queries';
import './briefing-page.css';

/**
 * The printable briefing at `/briefing?from=&to=` (after login): the document on a white A4
 * sheet, a toolbar that the print leaves out, and, with `print=1` (the console's PDF button in a
 * browser opens this in a new tab), the print dialog as soon as the figures, the map and the
 * fonts are in. Printing it (Chromium's print path, in a browser or the shell) is the PDF.
 */
export function BriefingPage() {
  const { t } = useTranslation();
  const { api, platform } = useServices();
  const { search } = useLocation();
  const period = periodOfSearch(search);
  const autoPrint = search.get('print') === '1';
  const briefing = useQuery(briefingQuery(api, period));
  const map = useQuery(briefingMapQuery(api, period));
  const printed = useRef(false);

  // The console's frame (full-height, no page scroll) gives way to a document that flows over pages.
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('briefing-page');
    return () => root.classList.remove('briefing-page');
  }, []);

  // The tab's title is the name the browser offers when the page is saved as PDF.
  const title = briefing.data ? briefingFileName(briefing.data.period, 'pdf').replace(/\.pdf$/, '') : t('briefing.pageTitle');
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);

  const ready = briefing.isSuccess && !map.isPending;
  useEffect(() => {
    if (!autoPrint || !ready || printed.current) return;
    printed.current = true;
    void document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => window.print())));
  }, [autoPrint, ready]);

  const printPdf = async (fileName: string): Promise<PdfOutcome> => {
    if (platform.savePdf) {
      const result = await platform.savePdf(fileName);
      return result.saved ? { kind: 'saved', fileName: result.fileName } : { kind: 'canceled' };
    }
    window.print();
    return { kind: 'printed' };
  };

  return (
    <div className="briefing-page-frame" data-testid="briefing-page" data-ready={ready}>
      <div className="briefing-toolbar" role="toolbar" aria-label={t('briefing.toolbar')}>
        <button type="button" className="briefing-back" onClick={() => navigate('shift')}>
          ← {t('briefing.back')}
        </button>
        <span className="briefing-toolbar-title">{t('briefing.pageTitle')}</span>
        {briefing.data && <BriefingExports period={briefing.data.period} printPdf={printPdf} />}
      </div>
      <div className="briefing-sheet-area">
        <Sheet briefing={briefing.data} error={briefing.error} onRetry={() => void briefing.refetch()} map={mapState(map)} />
      </div>
    </div>
  );
}

function Sheet({ briefing, error, onRetry, map }: { briefing: BriefingResponse | undefined; error: Error | null; onRetry(): void; map: BriefingMap }) {
  const { t } = useTranslation();
  if (briefing) {
    return (
      <div className="briefing-sheet">
        <BriefingDocument briefing={briefing} map={map} />
      </div>
    );
  }
  if (error) {
    return (
      <div className="briefing-sheet-message" role="alert">
        <p>{t('briefing.failed', { message: error.message })}</p>
        <button type="button" className="primary-button" onClick={onRetry}>
          {t('briefing.retry')}
        </button>
      </div>
    );
  }
  return (
    <div className="briefing-sheet-message" role="status" aria-busy="true">
      {t('briefing.loading')}
    </div>
  );
}
