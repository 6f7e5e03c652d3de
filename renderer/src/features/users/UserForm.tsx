import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../../shared/contracts/auth.js';
import type { UserFormOptions } from '../../../../shared/contracts/user-admin.js';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { GrantFields } from './GrantFields';
import { useCreateUser } from './mutations';
import { grantProblems, passwordChecks, type GrantDraft } from './user-rules';

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

/**
 * A new operational account: username, name, an initial password that keeps the policy (its
 * rules ticked off as it is typed), roles, towns and team. Asks before creating; the server's
 * refusal comes back field by field.
 */
export function UserForm({ options, onCreated, onCancel }: { options: UserFormOptions; onCreated(user: UserSummary): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ids = { username: useId(), name: useId(), password: useId() };
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [grant, setGrant] = useState<GrantDraft>({ roles: [], towns: [], teamId: '' });
  const [tried, setTried] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const checks = passwordChecks(options.passwordPolicy, password, username);
  const local = {
    username: !USERNAME.test(username) ? t('admin.users.usernameRule') : undefined,
    displayName: displayName.trim() === '' ? t('admin.common.required') : undefined,
    password: checks.every((c) => c.met) ? undefined : t('admin.users.passwordWeak'),
  };
  const valid = !local.username && !local.displayName && !local.password && Object.keys(grantProblems(grant)).length === 0;
  const error = (field: keyof typeof local) => (tried ? local[field] : undefined) ?? fieldProblem(problem, field);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!valid) return;
    // the server's last answer was about the last attempt
    setProblem(null);
    setConfirming(true);
  };
  const confirm = () => {
    setProblem(null);
    create.mutate(
      { username, displayName: displayName.trim(), password, roles: grant.roles, towns: grant.towns, teamId: grant.teamId || null },
      {
        onSuccess: (user) => {
          setConfirming(false);
          onCreated(user);
        },
        onError: (err) => setProblem(problemOf(err, t)),
      },
    );
  };

  const roleWords = grant.roles.map((r) => t(`roles.${r}`)).join(t('list.separator'));
  return (
    <form className="admin-form" onSubmit={submit} noValidate data-testid="user-form" aria-label={t('admin.users.createTitle')}>
      <div className="admin-form-row">
        <div className="admin-field admin-field-wide">
          <label htmlFor={ids.username} className="admin-required">
            {t('admin.users.username')}
          </label>
          <input
            id={ids.username}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error('username') ? true : undefined}
            data-testid="user-form-username"
            data-autofocus
          />
          {error('username') ? <p className="admin-field-error">{error('username')}</p> : <p className="admin-hint">{t('admin.users.usernameRule')}</p>}
        </div>
        <div className="admin-field admin-field-wide">
          <label htmlFor={ids.name} className="admin-required">
            {t('admin.users.displayName')}
          </label>
          <input id={ids.name} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" aria-invalid={error('displayName') ? true : undefined} data-testid="user-form-name" />
          {error('displayName') && <p className="admin-field-error">{error('displayName')}</p>}
        </div>
      </div>
      <div className="admin-field">
        <label htmlFor={ids.password} className="admin-required">
          {t('admin.users.initialPassword')}
        </label>
        <div className="admin-form-row">
          <input
            id={ids.password}
            className="admin-input admin-field-wide"
            type={showPassword ? 'text' : 'password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            aria-invalid={error('password') ? true : undefined}
            data-testid="user-form-password"
          />
          <button type="button" className="admin-button" onClick={() => setShowPassword((s) => !s)} aria-pressed={showPassword}>
            {showPassword ? t('login.hidePassword') : t('login.showPassword')}
          </button>
        </div>
        <ul className="admin-password-hints" aria-label={t('admin.users.passwordRules')}>
          {checks.map((c) => (
            <li key={c.rule} data-met={c.met}>
              {c.met ? '✓' : '○'} {t(`admin.users.passwordRule.${c.rule}`, { value: c.value })}
            </li>
          ))}
          {options.passwordPolicy.refusesCommon && <li data-met="false">○ {t('admin.users.passwordRule.common')}</li>}
        </ul>
        <p className="admin-hint">
          {options.passwordPolicy.maxAgeDays === null ? t('admin.users.passwordNoExpiry') : t('admin.users.passwordExpiry', { days: options.passwordPolicy.maxAgeDays })}
        </p>
        {error('password') && <p className="admin-field-error">{error('password')}</p>}
      </div>
      <GrantFields draft={grant} onChange={setGrant} options={options} problem={problem} showErrors={tried} />
      <div className="admin-actions">
        <button type="submit" className="admin-button admin-button-primary" data-testid="user-form-submit">
          {t('admin.users.create')}
        </button>
        <button type="button" className="admin-button" onClick={onCancel}>
          {t('admin.common.cancel')}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t('admin.users.createConfirmTitle', { username })}
          confirmLabel={t('admin.users.create')}
          busy={create.isPending}
          error={problem?.message}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('admin.users.createConfirmBody', { name: displayName.trim(), username, roles: roleWords })}</p>
          <p className="admin-hint">{t('admin.users.createConfirmHint')}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
