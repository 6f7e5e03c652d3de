import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { useAlerts } from './use-alerts';

/**
 * The top bar's alert bell: how many alerts are open (a count in words, red while any is
 * critical), and a small menu to mute the tone (kept in this browser) and to allow desktop
 * notifications (the browser asks only after a click).
 */
export function AlertBell() {
  const { t } = useTranslation();
  const { alerts } = useServices();
  const view = useAlerts();
  const [open, setOpen] = useState(false);
  const count = view.items.length;
  const critical = view.items.some((a) => a.severity === 'critical');
  return (
    <div className="alert-bell-wrap">
      <button
        type="button"
        className="alert-bell"
        data-count={count}
        data-critical={critical || undefined}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={t('serverAlerts.bellTitle', { count })}
        data-testid="alert-bell"
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        <span className="alert-bell-count">{t('serverAlerts.bell', { count })}</span>
        {view.muted && <span className="alert-bell-muted">{t('serverAlerts.mutedShort')}</span>}
      </button>
      {open && (
        <div className="alert-bell-menu" role="menu">
          <button type="button" role="menuitemcheckbox" aria-checked={!view.muted} onClick={() => alerts.setMuted(!view.muted)} data-testid="alert-sound-toggle">
            {view.muted ? t('serverAlerts.unmute') : t('serverAlerts.mute')}
          </button>
          {view.notifications === 'default' && (
            <button type="button" role="menuitem" onClick={() => void alerts.requestNotifications()}>
              {t('serverAlerts.enableNotifications')}
            </button>
          )}
          <p className="alert-bell-note">{t(`serverAlerts.notifications.${view.notifications}`)}</p>
          {view.status === 'error' && <p className="alert-bell-note" role="alert">{t('serverAlerts.loadFailed', { message: view.error?.message ?? '' })}</p>}
        </div>
      )}
    </div>
  );
}
