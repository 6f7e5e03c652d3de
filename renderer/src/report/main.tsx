import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createReportI18n, storedLang } from './i18n-report';
import { createReportApi } from './report-api';
import { ReportApp } from './ReportApp';
import './report.css';

/** Storage may be refused (private mode, some WebViews): the page then works without keeping anything. */
function storageOf(kind: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

function Root() {
  const [session] = useState(() => storageOf('sessionStorage'));
  const [local] = useState(() => storageOf('localStorage'));
  const [i18n] = useState(() => createReportI18n(storedLang(local)));
  const [api] = useState(() => createReportApi(() => i18n.language));
  return (
    <I18nextProvider i18n={i18n}>
      <ReportApp api={api} session={session} local={local} />
    </I18nextProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from report.html');
createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
