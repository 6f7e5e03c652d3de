import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { statusPath } from './routes';

/** Copies with the Clipboard API where the page may (a secure context), else with a selected text area (WeChat on plain HTTP). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** 已提交: the tracking token, large and copyable, with the bookmarkable link to its status. */
export function SentScreen({ token, onAnother }: { token: string; onAnother: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <section className="r-sent" data-testid="report-sent">
      <h2 className="r-h2 r-ok">✓ {t('sent.title')}</h2>
      <p>{t('sent.lead')}</p>
      {/* in groups of four, so it can be read out or copied by hand; selecting copies it without gaps */}
      <p className="r-token" data-testid="report-token">
        {(token.match(/.{1,4}/g) ?? [token]).map((part, i) => (
          <span key={i} className="r-token-part">
            {part}
          </span>
        ))}
      </p>
      <div className="r-row">
        <button type="button" className="r-btn" onClick={() => void copyText(token).then((ok) => setCopied(ok ? 'yes' : 'no'))} data-testid="report-copy">
          {copied === 'yes' ? `✓ ${t('sent.copied')}` : t('sent.copy')}
        </button>
      </div>
      {copied === 'no' && <p className="r-field-error">{t('sent.copyFailed')}</p>}
      <p>
        <a className="r-btn r-btn-primary r-link-btn" href={statusPath(token)} data-testid="report-status-link">
          {t('sent.link')}
        </a>
      </p>
      <p className="r-hint">{t('sent.keep')}</p>
      <button type="button" className="r-btn r-btn-quiet" onClick={onAnother}>
        {t('sent.another')}
      </button>
    </section>
  );
}
