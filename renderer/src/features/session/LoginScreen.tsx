import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import type { EndedSession } from '../../app/session/session';
import { BrandMark } from '../../app/ui/BrandMark';
import { LanguageSwitch } from '../../app/ui/LanguageSwitch';
import { healthQuery } from '../system/queries';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { describeLoginFailure, type LoginFailure } from './login-failure';
import { useLogin } from './mutations';

type Field = LoginFailure['focus'];

function EyeIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="eye-icon">
      <path d="M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
      {!open && <path d="M4 20L20 4" stroke="currentColor" strokeWidth="1.8" />}
    </svg>
  );
}

function DemoPanel({ onPick }: { onPick(username: string): void }) {
  const { t } = useTranslation();
  return (
    <aside className="demo-panel" data-testid="demo-panel" aria-labelledby="demo-title">
      <h2 id="demo-title">
        <span className="badge badge-demo">DEMO</span> {t('login.demoTitle')}
      </h2>
      <p>{t('login.demoBody')}</p>
      <ul className="demo-accounts">
        {DEMO_ACCOUNTS.map((account) => (
          <li key={account.username}>
            <button type="button" className="demo-account" onClick={() => onPick(account.username)} aria-label={t('login.useAccount', { username: account.username })}>
              <span className="demo-username">{account.username}</span>
              <span className="demo-role">
                {t(`roles.${account.role}`)}
                {account.town && <span className="demo-town"> · {t('login.firstTown')}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/**
 * Sign-in. The password lives in this component's state only, for as long as the attempt needs
 * it: never logged, never stored. `ended` says why the last session ended; `overlay` draws the
 * form over the wall's frozen map instead of a page of its own.
 */
export function LoginScreen({ ended, overlay = false }: { ended: EndedSession | null; overlay?: boolean }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const health = useQuery(healthQuery(api));
  const login = useLogin();
  const [username, setUsername] = useState(ended && ended.reason !== 'signed_out' ? ended.user.username : '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [focus, setFocus] = useState<{ field: Field; n: number }>({ field: username ? 'password' : 'username', n: 0 });
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const ids = { username: useId(), password: useId(), totp: useId(), problem: useId() };

  // Focus moves only on request (mount, a refusal, a picked demo account), not on every keystroke.
  useEffect(() => {
    const target = { username: usernameRef, password: passwordRef, totp: totpRef }[focus.field];
    target.current?.focus();
  }, [focus]);

  const focusOn = (field: Field) => setFocus((prev) => ({ field, n: prev.n + 1 }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (login.isPending) return;
    const name = username.trim();
    if (!name || !password) {
      setProblem(t('login.missing'));
      focusOn(name ? 'password' : 'username');
      return;
    }
    if (askTotp && !/^\d{6}$/.test(totp)) {
      setProblem(t('login.missingTotp'));
      focusOn('totp');
      return;
    }
    setProblem(null);
    login.mutate(
      { username: name, password, ...(askTotp ? { totp } : {}) },
      {
        onError: (error) => {
          const failure = describeLoginFailure(error, t('login.network'));
          setProblem(failure.message);
          if (failure.askTotp) setAskTotp(true);
          if (failure.clearPassword) {
            setPassword('');
            setTotp('');
          }
          focusOn(failure.focus);
        },
      },
    );
  };

  const pickDemoAccount = (name: string) => {
    setUsername(name);
    setAskTotp(false);
    setTotp('');
    setProblem(null);
    focusOn('password');
  };

  const busy = login.isPending;
  const languageSwitch = <LanguageSwitch />;
  // The page's main landmark, except over the wall's console, which has its own.
  const Layout = overlay ? 'div' : 'main';
  const notice = ended ? t(`session.ended.${ended.reason}`) : null;
  return (
    <div
      className={overlay ? 'login-screen login-overlay' : 'login-screen'}
      data-testid="login-screen"
      {...(overlay ? { role: 'dialog', 'aria-modal': true, 'aria-labelledby': 'login-title' } : {})}
    >
      {!overlay && <div className="login-lang">{languageSwitch}</div>}
      <Layout className="login-layout">
        <section className="login-card" aria-labelledby="login-title">
          <header className="login-brand">
            <BrandMark className="login-mark" />
            <div>
              <p className="login-product">{t('app.name')}</p>
              <p className="login-tagline">{t('login.tagline')}</p>
            </div>
          </header>
          <h1 id="login-title" className="login-title">
            {overlay ? t('session.endedTitle') : t('login.title')}
          </h1>
          {notice && (
            <p className="login-notice" data-tone={ended?.reason === 'signed_out' ? 'info' : 'warn'} role="status" data-testid="session-notice">
              {notice}
            </p>
          )}
          <form className="login-form" onSubmit={submit} aria-busy={busy} noValidate>
            <label htmlFor={ids.username}>{t('login.username')}</label>
            <input
              ref={usernameRef}
              id={ids.username}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                if (askTotp) {
                  setAskTotp(false);
                  setTotp('');
                }
              }}
              aria-invalid={problem !== null && !username.trim() ? true : undefined}
              aria-describedby={problem ? ids.problem : undefined}
            />
            <label htmlFor={ids.password}>{t('login.password')}</label>
            <div className="password-field">
              <input
                ref={passwordRef}
                id={ids.password}
                name="password"
                type={showPassword ? 'text' : 'password'}
                autoComplete="current-password"
                spellCheck={false}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby={problem ? ids.problem : undefined}
              />
              <button
                type="button"
                className="reveal-button"
                onClick={() => setShowPassword((v) => !v)}
                aria-pressed={showPassword}
                aria-label={showPassword ? t('login.hidePassword') : t('login.showPassword')}
                title={showPassword ? t('login.hidePassword') : t('login.showPassword')}
              >
                <EyeIcon open={showPassword} />
              </button>
            </div>
            {askTotp && (
              <>
                <label htmlFor={ids.totp}>
                  {t('login.totp')} <span className="login-hint">{t('login.totpHint')}</span>
                </label>
                <input
                  ref={totpRef}
                  id={ids.totp}
                  name="totp"
                  className="totp-input"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="\d{6}"
                  maxLength={6}
                  value={totp}
                  onChange={(e) => setTotp(e.target.value.replace(/\D/g, '').slice(0, 6))}
                  aria-describedby={problem ? ids.problem : undefined}
                />
              </>
            )}
            <div className="login-problem" id={ids.problem} role="alert" data-testid="login-error">
              {problem && (
                <>
                  <span className="login-problem-mark" aria-hidden="true">
                    !
                  </span>
                  <span>{problem}</span>
                </>
              )}
            </div>
            <button type="submit" className="login-submit" disabled={busy}>
              {busy && <span className="spinner" aria-hidden="true" />}
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
          <footer className="login-footnote">
            <span>{t('login.notice')}</span>
            {/* Over the wall's map the page corner belongs to the top bar behind. */}
            {overlay && languageSwitch}
          </footer>
        </section>
        {health.data?.demo && !overlay && <DemoPanel onPick={pickDemoAccount} />}
      </Layout>
    </div>
  );
}
