import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { roleLabels, scopeLabel } from './labels';
import { useLogout } from './mutations';

export interface UserMenuProps {
  user: SessionUser;
  /** False once the session has ended (the wall's frozen map): nothing left to sign out of. */
  signedIn: boolean;
}

/** Who is at the console, in what role, for which towns, and the way out. */
export function UserMenu({ user, signedIn }: UserMenuProps) {
  const { t } = useTranslation();
  const logout = useLogout();
  const roles = roleLabels(t, user);
  const scope = scopeLabel(t, user);
  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="user-identity" title={`${user.displayName} (${user.username})`} aria-label={t('session.userLabel', { name: user.displayName, roles })}>
        <span className="user-name" data-testid="user-name">
          {user.displayName}
        </span>
        <span className="user-meta">
          <span className="user-role" data-testid="user-role">
            {roles}
          </span>
          <span className="user-scope" data-testid="user-scope" title={t('session.scopeLabel', { scope })}>
            {scope}
          </span>
        </span>
      </div>
      {signedIn && (
        <button
          type="button"
          className="logout-button"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
          aria-label={t('session.logout')}
          title={t('session.logout')}
          data-testid="logout"
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" className="logout-icon">
            <path d="M10 4H5v16h5" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M14 8l4 4-4 4M8 12h10" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="logout-text">{logout.isPending ? t('session.loggingOut') : t('session.logout')}</span>
        </button>
      )}
    </div>
  );
}
