import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';
import { useNow } from '../../app/use-now';
import { AdminFrame } from '../admin/AdminFrame';
import { Notice, type NoticeValue } from '../admin/Notice';
import { AccountChecks } from './AccountChecks';
import { ApiKeyTable, IssueKey } from './ApiKeys';
import { apiKeysQuery, userFormOptionsQuery, usersQuery } from './queries';
import { UserForm } from './UserForm';
import { UserPanel } from './UserPanel';
import { UserState } from './UserState';
import { areaTree, EMPTY_USER_FILTER, filterUsers, OFFERED_ROLES, scopeText, type AreaTree, type UserFilter } from './user-rules';

type Section = 'users' | 'keys';

/**
 * The security administrator's screen (安全管理): the accounts, with the separation-rule check,
 * filters, a new-account form and each account's actions; and the API keys of the integration
 * clients. The server enforces every rule; this screen offers only what it would allow and says
 * why when it still refuses.
 */
export function UsersScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('users');
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  return (
    <AdminFrame
      user={user}
      title={t('admin.users.screenTitle')}
      screen="security"
      sections={[
        { id: 'users', label: t('admin.users.sectionUsers') },
        { id: 'keys', label: t('admin.users.sectionKeys') },
      ]}
      current={section}
      onSection={(s) => {
        setSection(s);
        setNotice(null);
      }}
    >
      {section === 'users' ? <UsersSection me={user} notice={notice} onNotice={setNotice} /> : <KeysSection notice={notice} onNotice={setNotice} />}
    </AdminFrame>
  );
}

function UsersSection({ me, notice, onNotice }: { me: SessionUser; notice: NoticeValue | null; onNotice(n: NoticeValue | null): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const users = useQuery(usersQuery(api));
  const options = useQuery(userFormOptionsQuery(api));
  const now = useNow(30_000);
  const [filter, setFilter] = useState<UserFilter>(EMPTY_USER_FILTER);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const ids = { text: useId(), role: useId(), area: useId(), state: useId() };
  const tree = useMemo(() => areaTree(options.data ?? { root: null, areas: [], towns: [] }), [options.data]);
  const shown = useMemo(() => filterUsers(users.data?.items ?? [], filter, now, tree), [users.data, filter, now, tree]);
  const current = users.data?.items.find((u) => u.id === selected) ?? null;
  const set = <K extends keyof UserFilter>(key: K) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [key]: e.target.value }));

  return (
    <div className="admin-split">
      <div className="admin-column">
        <AccountChecks />
        <Notice notice={notice} onDismiss={() => onNotice(null)} />
        <section className="admin-panel" style={{ flex: 1 }} aria-labelledby="users-title">
          <div className="admin-heading">
            <h2 id="users-title">{t('admin.users.listTitle')}</h2>
            <span className="muted" data-testid="users-count">
              {t('admin.users.shown', { shown: shown.length, total: users.data?.items.length ?? 0 })}
            </span>
            <div className="admin-heading-end">
              <button
                type="button"
                className="admin-button admin-button-primary"
                onClick={() => {
                  setCreating(true);
                  setSelected(null);
                  onNotice(null);
                }}
                disabled={!options.data}
                data-testid="user-new"
              >
                + {t('admin.users.new')}
              </button>
            </div>
          </div>
          <div className="admin-filters" role="search" aria-label={t('admin.users.filters')}>
            <div className="admin-field admin-field-wide">
              <label htmlFor={ids.text}>{t('admin.users.search')}</label>
              <input id={ids.text} type="search" value={filter.text} onChange={set('text')} placeholder={t('admin.users.searchPlaceholder')} data-testid="users-filter-text" />
            </div>
            <div className="admin-field">
              <label htmlFor={ids.role}>{t('admin.users.role')}</label>
              <select id={ids.role} value={filter.role} onChange={set('role')} data-testid="users-filter-role">
                <option value="">{t('admin.common.all')}</option>
                {[...OFFERED_ROLES, 'sysadmin' as const, 'secadmin' as const, 'auditor' as const].map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="admin-field">
              <label htmlFor={ids.area}>{tree.platform ? t('admin.users.area') : t('admin.users.town')}</label>
              <AreaFilter id={ids.area} tree={tree} value={filter.area} onChange={set('area')} />
            </div>
            <div className="admin-field">
              <label htmlFor={ids.state}>{t('admin.users.stateLabel')}</label>
              <select id={ids.state} value={filter.state} onChange={set('state')} data-testid="users-filter-state">
                <option value="">{t('admin.common.all')}</option>
                {(['active', 'disabled', 'locked', 'problem'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`admin.users.state.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {users.isError ? (
            <p className="admin-field-error" role="alert">
              {t('admin.common.loadFailed', { message: users.error.message })}
            </p>
          ) : (
            <div className="admin-table-wrap">
              <table className="admin-table" data-testid="users-table" aria-label={t('admin.users.listTitle')}>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.users.username')}</th>
                    <th scope="col">{t('admin.users.displayName')}</th>
                    <th scope="col">{t('admin.users.roles')}</th>
                    <th scope="col">{t('admin.users.scope')}</th>
                    <th scope="col">{t('admin.users.team')}</th>
                    <th scope="col">{t('admin.users.stateLabel')}</th>
                    <th scope="col">{t('admin.users.totp')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((u) => (
                    <tr
                      key={u.id}
                      data-selectable="true"
                      aria-selected={u.id === selected}
                      onClick={() => {
                        setSelected(u.id);
                        setCreating(false);
                      }}
                      data-testid="user-row"
                      data-username={u.username}
                    >
                      <td className="mono">
                        <button type="button" className="admin-row-link" onClick={() => setSelected(u.id)}>
                          {u.username}
                        </button>
                        {u.id === me.id && <span className="admin-chip" data-tone="info"> {t('admin.users.you')}</span>}
                      </td>
                      <td className="admin-strong">{u.displayName}</td>
                      <td>{u.roles.map((r) => t(`roles.${r}`)).join(t('list.separator'))}</td>
                      <td data-testid="user-row-scope">{scopeText(t, u.scope, tree)}</td>
                      <td className="mono">{u.teamId ?? '—'}</td>
                      <td>
                        <UserState user={u} now={now} />
                      </td>
                      <td>{u.totpEnrolled ? '✓' : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {users.data && shown.length === 0 && <p className="admin-empty">{t('admin.users.noneMatch')}</p>}
              {users.isPending && <p className="admin-empty">{t('admin.common.loading')}</p>}
            </div>
          )}
        </section>
      </div>
      <div className="admin-column">
        {creating && options.data ? (
          <section className="admin-panel admin-panel-scroll" aria-labelledby="user-new-title">
            <h2 id="user-new-title">{t('admin.users.createTitle')}</h2>
            <UserForm
              options={options.data}
              onCancel={() => setCreating(false)}
              onCreated={(created) => {
                setCreating(false);
                setSelected(created.id);
                onNotice({ tone: 'ok', text: t('admin.users.created', { username: created.username }) });
              }}
            />
          </section>
        ) : current && options.data ? (
          <UserPanel key={current.id} user={current} me={me} options={options.data} now={now} onNotice={onNotice} />
        ) : (
          <section className="admin-panel">
            <p className="admin-empty">{t('admin.users.pick')}</p>
          </section>
        )}
      </div>
    </div>
  );
}

/**
 * The list's area filter: on a county server its towns; on a platform its cities and counties,
 * then each county's towns in a group of their own (a province's 1,300 towns stay findable by
 * county).
 */
function AreaFilter({ id, tree, value, onChange }: { id: string; tree: AreaTree; value: string; onChange(e: { target: { value: string } }): void }) {
  const { t } = useTranslation();
  const root = tree.root;
  const upper = [...tree.byId.values()].filter((a) => a.level === 'city' || a.level === 'county');
  const townsOf = (parent: string) => tree.children.get(parent)?.filter((a) => a.level === 'town') ?? [];
  return (
    <select id={id} value={value} onChange={onChange} data-testid="users-filter-area">
      <option value="">{t('admin.common.all')}</option>
      {!tree.platform && root
        ? townsOf(root.id).map((town) => (
            <option key={town.id} value={town.id}>
              {town.name}
            </option>
          ))
        : null}
      {tree.platform && (
        <optgroup label={t('admin.users.areaUpper')}>
          {upper.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </optgroup>
      )}
      {tree.platform &&
        upper
          .filter((a) => a.level === 'county')
          .map((county) => (
            <optgroup key={county.id} label={county.name}>
              {townsOf(county.id).map((town) => (
                <option key={town.id} value={town.id}>
                  {town.name}
                </option>
              ))}
            </optgroup>
          ))}
    </select>
  );
}

function KeysSection({ notice, onNotice }: { notice: NoticeValue | null; onNotice(n: NoticeValue | null): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const keys = useQuery(apiKeysQuery(api));
  const users = useQuery(usersQuery(api));
  const [state, setState] = useState<'' | 'active' | 'revoked' | 'expired'>('');
  const [issuing, setIssuing] = useState(false);
  const stateId = useId();
  const integration = (users.data?.items ?? []).filter((u) => u.roles.includes('integration') && !u.disabled);
  const shown = (keys.data?.items ?? []).filter((k) => !state || k.state === state);
  return (
    <div className="admin-split" data-wide-side="false" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <div className="admin-column">
        <Notice notice={notice} onDismiss={() => onNotice(null)} />
        <section className="admin-panel" style={{ flex: 1 }} aria-labelledby="keys-title">
          <div className="admin-heading">
            <h2 id="keys-title">{t('admin.keys.title')}</h2>
            <span className="muted">{t('admin.keys.count', { count: shown.length })}</span>
            <div className="admin-heading-end">
              <div className="admin-field">
                <label htmlFor={stateId} className="sr-only">
                  {t('admin.keys.stateLabel')}
                </label>
                <select id={stateId} value={state} onChange={(e) => setState(e.target.value as typeof state)} data-testid="keys-filter-state">
                  <option value="">{t('admin.keys.allStates')}</option>
                  {(['active', 'revoked', 'expired'] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`admin.keys.state.${s}`)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="admin-button admin-button-primary" onClick={() => setIssuing(true)} disabled={integration.length === 0} data-testid="keys-issue">
                + {t('admin.keys.issue')}
              </button>
            </div>
          </div>
          <p className="admin-hint">{t('admin.keys.explain')}</p>
          {keys.isError ? (
            <p className="admin-field-error" role="alert">
              {t('admin.common.loadFailed', { message: keys.error.message })}
            </p>
          ) : (
            <ApiKeyTable keys={shown} showAccount onNotice={onNotice} />
          )}
        </section>
      </div>
      {issuing && <IssueKey accounts={integration} onNotice={onNotice} onClose={() => setIssuing(false)} />}
    </div>
  );
}
