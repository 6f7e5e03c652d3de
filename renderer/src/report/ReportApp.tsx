import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rememberLang, type ReportLang } from './i18n-report';
import { ReportForm } from './ReportForm';
import type { ReportApi } from './report-api';
import { routeOf } from './routes';
import { SentScreen } from './SentScreen';
import { LookupForm, StatusScreen } from './StatusScreen';

/** The token of the report just sent, kept for this tab so a reload still shows it (it is shown nowhere else). */
const SENT_KEY = 'gridcommand.report.sent';

function readSent(storage: Storage | null): string | null {
  try {
    return storage?.getItem(SENT_KEY) ?? null;
  } catch {
    return null;
  }
}

function writeSent(storage: Storage | null, token: string | null): void {
  try {
    if (token) storage?.setItem(SENT_KEY, token);
    else storage?.removeItem(SENT_KEY);
  } catch {
    // private mode: the screen still shows it while the page is open
  }
}

/** 群众随手报: the page a resident opens from a poster's QR code or a WeChat message; no login. */
export function ReportApp({ api, session, local }: { api: ReportApi; session: Storage | null; local: Storage | null }) {
  const { t, i18n } = useTranslation();
  const [route] = useState(() => routeOf(window.location.pathname));
  const [sent, setSent] = useState(() => (route.screen === 'form' ? readSent(session) : null));
  const switchLang = () => {
    const next: ReportLang = i18n.language === 'en' ? 'zh-CN' : 'en';
    void i18n.changeLanguage(next);
    document.documentElement.lang = next;
    rememberLang(local, next);
  };

  return (
    <div className="r-app">
      <header className="r-header">
        <div className="r-header-row">
          <h1 className="r-h1">{t('title')}</h1>
          <button type="button" className="r-btn r-btn-small r-lang" onClick={switchLang} lang={i18n.language === 'en' ? 'zh-CN' : 'en'} data-testid="report-lang">
            {t('lang')}
          </button>
        </div>
        <p className="r-sub">{t('subtitle')}</p>
      </header>
      <nav className="r-nav">
        <a href="/report" aria-current={route.screen === 'form' ? 'page' : undefined}>
          {t('nav.report')}
        </a>
        <a href="/report/status" aria-current={route.screen !== 'form' ? 'page' : undefined}>
          {t('nav.lookup')}
        </a>
      </nav>
      <main className="r-main">
        {route.screen === 'form' &&
          (sent ? (
            <SentScreen
              token={sent}
              onAnother={() => {
                writeSent(session, null);
                setSent(null);
              }}
            />
          ) : (
            <ReportForm
              api={api}
              storage={session}
              onSent={(token) => {
                writeSent(session, token);
                setSent(token);
                window.scrollTo(0, 0);
              }}
            />
          ))}
        {route.screen === 'lookup' && <LookupForm />}
        {route.screen === 'badToken' && <LookupForm initial={route.token} />}
        {route.screen === 'status' && <StatusScreen api={api} token={route.token} />}
      </main>
      <footer className="r-footer">{t('footer')}</footer>
    </div>
  );
}
