import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { BrandMark } from '../../app/ui/BrandMark';
import { LanguageSwitch } from '../../app/ui/LanguageSwitch';
import { roleLabels, scopeLabel } from './labels';
import { useLogout } from './mutations';

/**
 * A signed-in user this console has nothing to show: a role without the map and without an
 * administrator's screen (an integration account signing in by password), or a password that
 * must be changed first. Says so plainly, with who is signed in and the way out; it loads no
 * county data.
 */
export function AccountScreen({ user, kind }: { user: SessionUser; kind: 'no-map' | 'password-expired' }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const roles = roleLabels(t, user);
  return (
    <div className="login-screen" data-testid={kind === 'no-map' ? 'no-map-view' : 'password-expired'}>
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <main className="login-layout">
        <section className="login-card account-card" aria-labelledby="account-title">
          <header className="login-brand">
            <BrandMark className="login-mark" />
            <div>
              <p className="login-product">{t('app.name')}</p>
              <p className="login-tagline">{t('login.tagline')}</p>
            </div>
          </header>
          <h1 id="account-title" className="login-title">
            {kind === 'no-map' ? t('session.noMapTitle') : t('session.passwordExpiredTitle')}
          </h1>
          <p className="account-body">{kind === 'no-map' ? t('session.noMapBody', { roles }) : t('session.passwordExpiredBody')}</p>
          <dl className="account-facts">
            <div>
              <dt>{t('session.name')}</dt>
              <dd data-testid="account-name">{user.displayName}</dd>
            </div>
            <div>
              <dt>{t('session.account')}</dt>
              <dd className="mono">{user.username}</dd>
            </div>
            <div>
              <dt>{t('session.role')}</dt>
              <dd data-testid="account-role">{roles}</dd>
            </div>
            <div>
              <dt>{t('session.scope')}</dt>
              <dd>{scopeLabel(t, user)}</dd>
            </div>
          </dl>
          <button type="button" className="login-submit" onClick={() => logout.mutate()} disabled={logout.isPending} data-testid="logout">
            {logout.isPending ? t('session.loggingOut') : t('session.logout')}
          </button>
        </section>
      </main>
    </div>
  );
}
