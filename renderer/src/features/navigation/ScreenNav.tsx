import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { navigate, type Screen } from '../../app/route';
import '../admin/admin.css';
import './screen-nav.css';
import { screensFor, type NavScreen } from './screens';

/**
 * The tabs between the command room's screens (本班 · 指挥台 · 研判 · 考评 · 大屏) in the top bar.
 * The wall opens in a window of its own: it belongs on another display, not instead of the desk
 * (in Electron, whose pages open no windows, the 大屏 menu does that: no wall tab there).
 */
export function ScreenNav({ user, current, onOpenWall }: { user: SessionUser; current: Screen; onOpenWall: (() => void) | null }) {
  const { t } = useTranslation();
  const screens = screensFor(user.roles).filter((s) => s !== 'wall' || onOpenWall !== null);
  if (screens.length < 2) return null;
  const open = (screen: NavScreen) => (screen === 'wall' ? onOpenWall?.() : navigate(screen));
  return (
    <nav className="admin-sections screen-nav" aria-label={t('nav.label')}>
      {screens.map((s) => (
        <button key={s} type="button" className="admin-section-tab" aria-current={s === current ? 'page' : undefined} onClick={() => open(s)} data-testid={`nav-${s}`}>
          {t(`nav.${s}`)}
        </button>
      ))}
    </nav>
  );
}
