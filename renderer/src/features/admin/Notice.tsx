import { useTranslation } from 'react-i18next';

export interface NoticeValue {
  tone: 'ok' | 'bad';
  text: string;
  /** The server's reason, under the headline. */
  detail?: string;
}

/**
 * The outcome of the last action, said plainly at the top of the panel: green with a tick when
 * done, red with a cross and the server's reason when refused. It stays until dismissed or the
 * next action, so nobody has to catch a toast.
 */
export function Notice({ notice, onDismiss }: { notice: NoticeValue | null; onDismiss(): void }) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <div className="admin-notice" data-tone={notice.tone} role={notice.tone === 'bad' ? 'alert' : 'status'} data-testid="admin-notice">
      <span className="admin-notice-mark" aria-hidden="true">
        {notice.tone === 'ok' ? '✓' : '✕'}
      </span>
      <span className="admin-notice-text">
        <strong>{notice.text}</strong>
        {notice.detail && <span className="admin-notice-detail">{notice.detail}</span>}
      </span>
      <button type="button" className="admin-notice-close" onClick={onDismiss} aria-label={t('admin.common.dismiss')} title={t('admin.common.dismiss')}>
        ✕
      </button>
    </div>
  );
}
