import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser, UserSummary } from '../../../../shared/contracts/auth.js';
import type { UserFormOptions } from '../../../../shared/contracts/user-admin.js';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { problemOf, type Problem } from '../admin/problem';
import { ApiKeyTable, IssueKey } from './ApiKeys';
import { GrantFields } from './GrantFields';
import { useChangeGrant, useEnrollTotp, useSetDisabled } from './mutations';
import { apiKeysQuery } from './queries';
import { TotpEnrolment } from './TotpEnrolment';
import { UserState } from './UserState';
import { areaTree, grantProblems, scopeText, untouchable, type GrantDraft } from './user-rules';

/** The grant as stored: the areas it names (a county, not the county's towns), so saving it unchanged changes nothing. */
const grantOf = (u: UserSummary): GrantDraft => ({ roles: [...u.roles], towns: u.scope.kind === 'towns' ? [...u.scope.areas] : [], teamId: u.teamId ?? '' });

/**
 * One account: who it is, its state, and what the security administrator may do with it —
 * change roles, towns and team, disable or enable it, enrol a second factor, issue and revoke API
 * keys. On one's own account and on an administrator's nothing is offered: the reason is said
 * where the buttons would be.
 */
export function UserPanel({ user, me, options, now, onNotice }: { user: UserSummary; me: SessionUser; options: UserFormOptions; now: number; onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const keys = useQuery({ ...apiKeysQuery(api), enabled: user.roles.includes('integration') });
  const [editing, setEditing] = useState<GrantDraft | null>(null);
  const [dialog, setDialog] = useState<null | 'grant' | 'disable' | 'enable' | 'totp' | 'issue'>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [totpUri, setTotpUri] = useState<string | null>(null);
  const setDisabled = useSetDisabled();
  const changeGrant = useChangeGrant();
  const enrollTotp = useEnrollTotp();
  const blocked = untouchable(user, me);
  const tree = useMemo(() => areaTree(options), [options]);
  const team = options.teams.find((x) => x.id === user.teamId);

  const close = () => {
    setDialog(null);
    setProblem(null);
  };
  const fail = (err: unknown) => setProblem(problemOf(err, t));
  const done = (text: string) => {
    onNotice({ tone: 'ok', text });
    close();
  };

  const scope = scopeText(t, user.scope, tree);
  const userKeys = (keys.data?.items ?? []).filter((k) => k.userId === user.id);

  return (
    <section className="admin-panel admin-panel-scroll" aria-labelledby="user-panel-title" data-testid="user-panel" data-username={user.username}>
      <div className="admin-heading">
        <h2 id="user-panel-title">{user.displayName}</h2>
        <span className="mono muted">{user.username}</span>
        <UserState user={user} now={now} />
      </div>
      <dl className="admin-facts">
        <dt>{t('admin.users.roles')}</dt>
        <dd data-testid="user-panel-roles">{user.roles.map((r) => t(`roles.${r}`)).join(t('list.separator'))}</dd>
        <dt>{t('admin.users.scope')}</dt>
        <dd data-testid="user-panel-scope">{scope}</dd>
        <dt>{t('admin.users.team')}</dt>
        <dd data-testid="user-panel-team">{team ? `${team.name} (${team.id})` : (user.teamId ?? '—')}</dd>
        <dt>{t('admin.users.totp')}</dt>
        <dd>{user.totpEnrolled ? t('admin.users.totpOn') : t('admin.users.totpOff')}</dd>
        <dt>{t('admin.users.passwordChanged')}</dt>
        <dd className="mono">{formatDateTime(user.passwordChangedAt)}</dd>
        {user.lockedUntil && Date.parse(user.lockedUntil) > now && (
          <>
            <dt>{t('admin.users.lockedUntil')}</dt>
            <dd className="mono">{formatDateTime(user.lockedUntil)}</dd>
          </>
        )}
      </dl>
      {user.problem && (
        <p className="admin-rule" data-testid="user-panel-problem">
          {t(`accountChecks.problem.${user.problem}`)} — {t('accountChecks.fix')}
        </p>
      )}
      {blocked ? (
        <p className="admin-rule" data-testid="user-panel-blocked">
          {t(`admin.users.blocked.${blocked}`)}
        </p>
      ) : editing ? (
        <div className="admin-form" data-testid="grant-form">
          <h3>{t('admin.users.editGrant')}</h3>
          <GrantFields draft={editing} onChange={setEditing} options={options} problem={problem} showErrors />
          <div className="admin-actions">
            <button type="button" className="admin-button admin-button-primary" disabled={Object.keys(grantProblems(editing)).length > 0} onClick={() => setDialog('grant')} data-testid="grant-save">
              {t('admin.users.saveGrant')}
            </button>
            <button type="button" className="admin-button" onClick={() => setEditing(null)}>
              {t('admin.common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="admin-actions" data-testid="user-actions">
          <button type="button" className="admin-button" onClick={() => setEditing(grantOf(user))} data-testid="user-edit-grant">
            {t('admin.users.editGrant')}
          </button>
          {user.disabled ? (
            <button type="button" className="admin-button" onClick={() => setDialog('enable')} data-testid="user-enable">
              {t('admin.users.enable')}
            </button>
          ) : (
            <button type="button" className="admin-button" data-tone="danger" onClick={() => setDialog('disable')} data-testid="user-disable">
              {t('admin.users.disable')}
            </button>
          )}
          {!user.roles.includes('integration') && !user.roles.includes('wall') && (
            <button type="button" className="admin-button" onClick={() => setDialog('totp')} data-testid="user-totp">
              {user.totpEnrolled ? t('admin.users.totpReplace') : t('admin.users.totpEnrol')}
            </button>
          )}
          {user.roles.includes('integration') && (
            <button type="button" className="admin-button" onClick={() => setDialog('issue')} data-testid="user-issue-key">
              {t('admin.keys.issue')}
            </button>
          )}
        </div>
      )}
      {totpUri && <TotpEnrolment uri={totpUri} username={user.username} onDone={() => setTotpUri(null)} />}
      {user.roles.includes('integration') && (
        <>
          <h3>{t('admin.keys.ofAccount')}</h3>
          <ApiKeyTable keys={userKeys} showAccount={false} onNotice={onNotice} />
        </>
      )}

      {dialog === 'grant' && editing && (
        <ConfirmDialog
          title={t('admin.users.grantConfirmTitle', { username: user.username })}
          confirmLabel={t('admin.users.saveGrant')}
          busy={changeGrant.isPending}
          error={problem?.message}
          onConfirm={() =>
            changeGrant.mutate(
              { id: user.id, roles: editing.roles, towns: editing.towns, teamId: editing.teamId || null },
              {
                onSuccess: () => {
                  setEditing(null);
                  done(t('admin.users.grantChanged', { username: user.username }));
                },
                onError: fail,
              },
            )
          }
          onCancel={close}
        >
          <p>{t('admin.users.grantConfirmBody', { roles: editing.roles.map((r) => t(`roles.${r}`)).join(t('list.separator')) })}</p>
          <p className="admin-rule">{t('admin.users.grantEndsSessions')}</p>
        </ConfirmDialog>
      )}
      {(dialog === 'disable' || dialog === 'enable') && (
        <ConfirmDialog
          title={t(`admin.users.${dialog}Title`, { username: user.username })}
          confirmLabel={t(`admin.users.${dialog}`)}
          tone={dialog === 'disable' ? 'danger' : undefined}
          busy={setDisabled.isPending}
          error={problem?.message}
          onConfirm={() =>
            setDisabled.mutate({ id: user.id, disabled: dialog === 'disable' }, { onSuccess: () => done(t(`admin.users.${dialog}d`, { username: user.username })), onError: fail })
          }
          onCancel={close}
        >
          <p>{t(`admin.users.${dialog}Body`, { name: user.displayName })}</p>
        </ConfirmDialog>
      )}
      {dialog === 'totp' && (
        <ConfirmDialog
          title={t('admin.users.totpConfirmTitle', { username: user.username })}
          confirmLabel={user.totpEnrolled ? t('admin.users.totpReplace') : t('admin.users.totpEnrol')}
          busy={enrollTotp.isPending}
          error={problem?.message}
          onConfirm={() =>
            enrollTotp.mutate(user.id, {
              onSuccess: ({ otpauthUri }) => {
                setTotpUri(otpauthUri);
                done(t('admin.users.totpEnrolled', { username: user.username }));
              },
              onError: fail,
            })
          }
          onCancel={close}
        >
          <p>{user.totpEnrolled ? t('admin.users.totpReplaceBody') : t('admin.users.totpEnrolBody')}</p>
        </ConfirmDialog>
      )}
      {dialog === 'issue' && <IssueKey accounts={[user]} fixed={user} onNotice={onNotice} onClose={close} />}
    </section>
  );
}
