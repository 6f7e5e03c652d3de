import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';
import { BrandMark } from '../../app/ui/BrandMark';
import { LanguageSwitch } from '../../app/ui/LanguageSwitch';
import { UserMenu } from '../session/UserMenu';
import { healthQuery } from '../system/queries';
import './admin.css';

export interface AdminSection<Id extends string> {
  id: Id;
  label: string;
  /** A count or word shown beside the label (e.g. drafts waiting). */
  badge?: string | number;
}

export interface AdminFrameProps<Id extends string> {
  user: SessionUser;
  /** The screen's name in the top bar (安全管理, 系统管理…). */
  title: string;
  /** `data-screen` of the frame, for tests and styles. */
  screen: string;
  sections?: readonly AdminSection<Id>[];
  current?: Id;
  onSection?(id: Id): void;
  /** The tabs between the command room's screens (features/navigation), for the figures screens. */
  nav?: ReactNode;
  children: ReactNode;
}

/**
 * The page frame every administrator's screen (and the shift lead's figures screens) shares: the top bar with the product, the screen's
 * name and its sections, the DEMO badge, the language switch and who is signed in (role, scope,
 * sign-out); the screen's work below. The same bar as the dispatcher's console, without its live
 * figures: these screens load no county data.
 */
export function AdminFrame<Id extends string>({ user, title, screen, sections, current, onSection, nav, children }: AdminFrameProps<Id>) {
  const { t } = useTranslation();
  const { api } = useServices();
  const health = useQuery(healthQuery(api));
  return (
    <div className="admin-frame" data-testid="admin-frame" data-screen={screen}>
      <header className="top-bar admin-top-bar">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-county" data-testid="admin-title">
            {title}
          </span>
          {health.data?.demo && <span className="badge badge-demo">{t('app.demo')}</span>}
        </div>
        {nav}
        {sections && sections.length > 1 && (
          <nav className="admin-sections" aria-label={t('admin.frame.sections')}>
            {sections.map((s) => (
              <button
                key={s.id}
                type="button"
                className="admin-section-tab"
                aria-current={s.id === current ? 'page' : undefined}
                onClick={() => onSection?.(s.id)}
                data-testid={`admin-section-${s.id}`}
              >
                {s.label}
                {s.badge !== undefined && s.badge !== 0 && <span className="admin-section-badge">{s.badge}</span>}
              </button>
            ))}
          </nav>
        )}
        <div className="top-bar-end">
          <LanguageSwitch />
          <UserMenu user={user} signedIn />
        </div>
      </header>
      <main className="admin-main">{children}</main>
    </div>
  );
}
