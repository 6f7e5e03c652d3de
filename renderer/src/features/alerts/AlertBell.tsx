import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { countBySeverity } from '../../app/alerts/alert-state';
import { useServices } from '../../app/services';
import { AlertPanel } from './AlertPanel';
import { useAlerts } from './use-alerts';
import './alerts.css';

/**
 * The top bar's alert bell: how many alerts ask for a person (critical and warning, red while
 * any is critical) and how many notices beside them; it opens the panel of every open alert
 * (AlertPanel), which the dock's "more" opens too. The panel closes on Esc (the focus goes back
 * to the bell) and on a click anywhere outside it.
 */
export function AlertBell() {
  const { t } = useTranslation();
  const { alerts } = useServices();
  const view = useAlerts();
  const open = view.panel.open;
  const wrap = useRef<HTMLDivElement>(null);
  const bell = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const counts = countBySeverity(view.items);
  const loud = counts.critical + counts.warning;

  useEffect(() => {
    if (!open) return;
    // The panel takes the focus (from the bell, or from the dock's "more"), unless it holds it already.
    const panel = wrap.current?.querySelector<HTMLElement>('.alert-panel');
    if (panel && !panel.contains(document.activeElement)) panel.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // Capture phase, and handled: the console's Esc (close the case) does not fire as well.
      event.preventDefault();
      event.stopPropagation();
      alerts.closePanel();
      bell.current?.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && wrap.current?.contains(event.target)) return;
      alerts.closePanel();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [open, alerts]);

  return (
    <div className="alert-bell-wrap" ref={wrap}>
      <button
        ref={bell}
        type="button"
        className="alert-bell"
        data-count={view.items.length}
        data-loud={loud}
        data-critical={counts.critical > 0 || undefined}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-haspopup="dialog"
        onClick={() => (open ? alerts.closePanel() : alerts.openPanel())}
        title={t('serverAlerts.bellTitle', { count: loud, notices: counts.notice })}
        data-testid="alert-bell"
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        <span className="alert-bell-count">{t('serverAlerts.bell', { count: loud })}</span>
        {counts.notice > 0 && <span className="alert-bell-notices">{t('serverAlerts.bellNotices', { count: counts.notice })}</span>}
        {view.muted && <span className="alert-bell-muted">{t('serverAlerts.mutedShort')}</span>}
      </button>
      {open && <AlertPanel id={panelId} />}
    </div>
  );
}
