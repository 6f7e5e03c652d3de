import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INTAKE_CHANNELS, type ApiKeyCreated, type ApiKeySummary, type IntakeChannel, type UserSummary } from '../../../../shared/contracts/auth.js';
import { formatDateTime } from '../../app/time-format';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import { CopyButton } from '../admin/CopyButton';
import type { NoticeValue } from '../admin/Notice';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { useIssueApiKey, useRevokeApiKey } from './mutations';

const STATE_TONE = { active: 'ok', revoked: 'bad', expired: 'muted' } as const;
const STATE_MARK = { active: '●', revoked: '✕', expired: '○' } as const;

export function KeyState({ state }: { state: ApiKeySummary['state'] }) {
  const { t } = useTranslation();
  return (
    <span className="admin-chip" data-tone={STATE_TONE[state]} data-state={state}>
      {STATE_MARK[state]} {t(`admin.keys.state.${state}`)}
    </span>
  );
}

/** API keys with their state; an active one can be revoked, with a reason, at once. */
export function ApiKeyTable({ keys, showAccount, onNotice }: { keys: readonly ApiKeySummary[]; showAccount: boolean; onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);
  if (keys.length === 0) return <p className="admin-empty">{t('admin.keys.none')}</p>;
  return (
    <div className="admin-table-wrap">
      <table className="admin-table" data-testid="api-key-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.keys.keyId')}</th>
            {showAccount && <th scope="col">{t('admin.keys.account')}</th>}
            <th scope="col">{t('admin.keys.name')}</th>
            <th scope="col">{t('admin.keys.channelLabel')}</th>
            <th scope="col">{t('admin.keys.stateLabel')}</th>
            <th scope="col">{t('admin.keys.created')}</th>
            <th scope="col">{t('admin.keys.expires')}</th>
            <th scope="col">{t('admin.keys.lastUsed')}</th>
            <th scope="col">{t('admin.keys.revokeReason')}</th>
            <th scope="col">
              <span className="sr-only">{t('admin.keys.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.keyId} data-testid="api-key-row" data-key-id={k.keyId} data-state={k.state}>
              <td className="mono admin-nowrap">{k.keyId}</td>
              {showAccount && <td className="mono">{k.username}</td>}
              <td className="admin-strong">{k.name}</td>
              <td data-testid="api-key-channel">{t(`admin.keys.channel.${k.channel ?? 'none'}`)}</td>
              <td>
                <KeyState state={k.state} />
              </td>
              <td className="mono admin-nowrap">{formatDateTime(k.createdAt)}</td>
              <td className="mono admin-nowrap">{k.expiresAt ? formatDateTime(k.expiresAt) : t('admin.keys.noExpiry')}</td>
              <td className="mono admin-nowrap">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('admin.keys.neverUsed')}</td>
              <td>{k.revokeReason ?? '—'}</td>
              <td>
                {k.state === 'active' && (
                  <button type="button" className="admin-button admin-button-small" data-tone="danger" onClick={() => setRevoking(k)} data-testid="api-key-revoke">
                    {t('admin.keys.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking && <RevokeDialog apiKey={revoking} onClose={() => setRevoking(null)} onNotice={onNotice} />}
    </div>
  );
}

function RevokeDialog({ apiKey, onClose, onNotice }: { apiKey: ApiKeySummary; onClose(): void; onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const id = useId();
  const revoke = useRevokeApiKey();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = () =>
    revoke.mutate(
      { keyId: apiKey.keyId, reason: reason.trim() },
      {
        onSuccess: () => {
          onNotice({ tone: 'ok', text: t('admin.keys.revoked', { keyId: apiKey.keyId, name: apiKey.name }) });
          onClose();
        },
        onError: (err) => setProblem(problemOf(err, t)),
      },
    );
  return (
    <ConfirmDialog
      title={t('admin.keys.revokeTitle', { name: apiKey.name })}
      confirmLabel={t('admin.keys.revoke')}
      tone="danger"
      busy={revoke.isPending}
      error={problem?.message}
      confirmDisabled={reason.trim() === ''}
      onConfirm={confirm}
      onCancel={onClose}
    >
      <p>{t('admin.keys.revokeBody', { keyId: apiKey.keyId, username: apiKey.username })}</p>
      <div className="admin-field">
        <label htmlFor={id} className="admin-required">
          {t('admin.keys.reason')}
        </label>
        <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} placeholder={t('admin.keys.reasonPlaceholder')} data-testid="api-key-reason" />
        {fieldProblem(problem, 'reason') && <p className="admin-field-error">{fieldProblem(problem, 'reason')}</p>}
      </div>
    </ConfirmDialog>
  );
}

/** End of a county day (China time) as an instant: a key "valid until 2027-06-30" opens nothing from 2027-07-01. */
const endOfCountyDay = (day: string) => `${day}T23:59:59.999+08:00`;

/**
 * Issues a key to an integration account: a name to recognise it by and an optional last day;
 * the secret is shown this once, with a copy button, and is never shown again.
 */
export function IssueKey({ accounts, fixed, onNotice, onClose }: { accounts: readonly UserSummary[]; fixed?: UserSummary; onNotice(n: NoticeValue): void; onClose(): void }) {
  const { t } = useTranslation();
  const ids = { account: useId(), name: useId(), expires: useId(), channel: useId() };
  const issue = useIssueApiKey();
  const [userId, setUserId] = useState(fixed?.id ?? accounts[0]?.id ?? '');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [channel, setChannel] = useState<IntakeChannel | ''>('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);

  if (created) {
    return (
      <ConfirmDialog title={t('admin.keys.createdTitle', { name: created.apiKey.name })} confirmLabel={t('admin.keys.savedIt')} busy={false} single onConfirm={onClose} onCancel={onClose} testId="api-key-created">
        <p className="admin-rule">{t('admin.keys.secretOnce')}</p>
        <div className="admin-secret">
          <code data-testid="api-key-secret">{created.key}</code>
          <CopyButton text={created.key} />
        </div>
        <p className="admin-hint">{t('admin.keys.createdHint', { keyId: created.apiKey.keyId, username: created.apiKey.username })}</p>
      </ConfirmDialog>
    );
  }
  const account = accounts.find((a) => a.id === userId);
  const confirm = () => {
    setProblem(null);
    issue.mutate(
      { userId, name: name.trim(), expiresAt: expires ? endOfCountyDay(expires) : null, channel: channel || null },
      {
        onSuccess: (result) => {
          onNotice({ tone: 'ok', text: t('admin.keys.issued', { name: result.apiKey.name, username: result.apiKey.username }) });
          setCreated(result);
        },
        onError: (err) => setProblem(problemOf(err, t)),
      },
    );
  };
  return (
    <ConfirmDialog
      title={t('admin.keys.issueTitle')}
      confirmLabel={t('admin.keys.issue')}
      busy={issue.isPending}
      error={problem?.message}
      confirmDisabled={!userId || name.trim() === ''}
      onConfirm={confirm}
      onCancel={onClose}
      testId="api-key-issue"
    >
      <div className="admin-field">
        <label htmlFor={ids.account} className="admin-required">
          {t('admin.keys.account')}
        </label>
        <select id={ids.account} value={userId} onChange={(e) => setUserId(e.target.value)} disabled={Boolean(fixed)} data-testid="api-key-account">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} ({a.username})
            </option>
          ))}
        </select>
        {accounts.length === 0 && <p className="admin-field-error">{t('admin.keys.noIntegration')}</p>}
      </div>
      <div className="admin-field">
        <label htmlFor={ids.name} className="admin-required">
          {t('admin.keys.name')}
        </label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} placeholder={t('admin.keys.namePlaceholder')} data-testid="api-key-name" data-autofocus />
        {fieldProblem(problem, 'name') && <p className="admin-field-error">{fieldProblem(problem, 'name')}</p>}
      </div>
      <div className="admin-field">
        <label htmlFor={ids.channel}>{t('admin.keys.channelLabel')}</label>
        <select id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value as IntakeChannel | '')} data-testid="api-key-channel-select">
          <option value="">{t('admin.keys.channel.none')}</option>
          {INTAKE_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`admin.keys.channel.${c}`)}
            </option>
          ))}
        </select>
        {fieldProblem(problem, 'channel') ? <p className="admin-field-error">{fieldProblem(problem, 'channel')}</p> : <p className="admin-hint">{t('admin.keys.channelHint')}</p>}
      </div>
      <div className="admin-field">
        <label htmlFor={ids.expires}>{t('admin.keys.expiresOn')}</label>
        <input id={ids.expires} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="api-key-expires" />
        {fieldProblem(problem, 'expiresAt') ? <p className="admin-field-error">{fieldProblem(problem, 'expiresAt')}</p> : <p className="admin-hint">{t('admin.keys.expiresHint')}</p>}
      </div>
      {account && <p className="admin-hint">{t('admin.keys.boundHint', { username: account.username })}</p>}
    </ConfirmDialog>
  );
}
