import { QRCodeSVG } from 'qrcode.react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../admin/CopyButton';

/**
 * The otpauth:// URI of a new second factor, shown once: as a QR code for the user's
 * authenticator app (drawn here, nothing fetched) and as text to type in by hand.
 */
export function TotpEnrolment({ uri, username, onDone }: { uri: string; username: string; onDone(): void }) {
  const { t } = useTranslation();
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  return (
    <section className="admin-panel" data-testid="totp-enrolment" aria-labelledby="totp-title">
      <h3 id="totp-title">{t('admin.users.totpTitle', { username })}</h3>
      <div className="admin-qr">
        <div className="admin-qr-code">
          <QRCodeSVG value={uri} size={184} level="M" marginSize={0} title={t('admin.users.totpQr')} data-testid="totp-qr" />
        </div>
        <div className="admin-form">
          <p className="admin-rule">{t('admin.users.totpOnce')}</p>
          <div className="admin-field">
            <span className="admin-label">{t('admin.users.totpSecret')}</span>
            <div className="admin-secret">
              <code data-testid="totp-secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
              <CopyButton text={secret} />
            </div>
          </div>
          <p className="admin-hint">{t('admin.users.totpHowTo')}</p>
          <button type="button" className="admin-button admin-button-primary" onClick={onDone} data-testid="totp-done">
            {t('admin.users.totpDone')}
          </button>
        </div>
      </div>
    </section>
  );
}
