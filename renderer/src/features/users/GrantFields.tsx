import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/contracts/auth.js';
import type { UserFormOptions } from '../../../../shared/contracts/user-admin.js';
import { fieldProblem, type Problem } from '../admin/problem';
import { AreaPicker } from './AreaPicker';
import { areaTree, grantProblems, OFFERED_ROLES, roleBlocked, teamsFor, type GrantDraft } from './user-rules';

/**
 * Roles, areas and team of an account, as the security administrator may give them (on a
 * platform of several counties the areas are a tree of cities, counties and towns): no
 * administrator role is offered (those are made with `npm run admin`), a wall or integration role
 * stands alone, and a field worker must have a team. What breaks a rule is said under the field as
 * it is edited; what the server still refuses comes back in `problem`.
 */
export function GrantFields({ draft, onChange, options, problem, showErrors }: { draft: GrantDraft; onChange(d: GrantDraft): void; options: UserFormOptions; problem: Problem | null; showErrors: boolean }) {
  const { t } = useTranslation();
  const ids = { team: useId(), rolesError: useId(), teamError: useId() };
  const local = grantProblems(draft);
  const rolesError = (showErrors && local.roles ? t(`admin.users.grantProblem.${local.roles}`) : undefined) ?? fieldProblem(problem, 'roles');
  const teamError = (showErrors && local.teamId ? t(`admin.users.grantProblem.${local.teamId}`) : undefined) ?? fieldProblem(problem, 'teamId');
  const townsError = fieldProblem(problem, 'towns');
  const tree = useMemo(() => areaTree(options), [options]);
  const teams = teamsFor(options.teams, draft.towns, tree);
  const toggleRole = (role: Role) => onChange({ ...draft, roles: draft.roles.includes(role) ? draft.roles.filter((r) => r !== role) : [...draft.roles, role] });
  const toggleTown = (town: string) => onChange({ ...draft, towns: draft.towns.includes(town) ? draft.towns.filter((x) => x !== town) : [...draft.towns, town] });
  const needsTeam = draft.roles.includes('field_worker');
  return (
    <>
      <fieldset className="admin-fieldset" aria-invalid={rolesError ? true : undefined} aria-describedby={rolesError ? ids.rolesError : undefined} data-testid="grant-roles">
        <legend className="admin-required">{t('admin.users.roles')}</legend>
        <div className="admin-checks">
          {OFFERED_ROLES.map((role) => {
            const blocked = roleBlocked(role, draft.roles);
            return (
              <label key={role} className="admin-check" data-disabled={blocked || undefined} title={blocked ? t('admin.users.deviceAlone') : undefined}>
                <input type="checkbox" checked={draft.roles.includes(role)} disabled={blocked} onChange={() => toggleRole(role)} data-role={role} />
                {t(`roles.${role}`)}
              </label>
            );
          })}
        </div>
        <p className="admin-hint">{t('admin.users.adminRolesHint')}</p>
        {rolesError && (
          <p className="admin-field-error" id={ids.rolesError} role="alert">
            {rolesError}
          </p>
        )}
      </fieldset>
      <fieldset className="admin-fieldset" aria-invalid={townsError ? true : undefined} data-testid="grant-towns">
        <legend>{t('admin.users.scope')}</legend>
        {tree.platform ? (
          <AreaPicker tree={tree} areas={draft.towns} onChange={(towns) => onChange({ ...draft, towns })} />
        ) : (
          <>
            <div className="admin-checks">
              {options.towns.map((town) => (
                <label key={town.id} className="admin-check">
                  <input type="checkbox" checked={draft.towns.includes(town.id)} onChange={() => toggleTown(town.id)} data-town={town.id} />
                  {town.name}
                </label>
              ))}
            </div>
            <p className="admin-hint">{draft.towns.length === 0 ? t('admin.users.scopeCounty') : t('admin.users.scopeTowns', { count: draft.towns.length })}</p>
          </>
        )}
        {townsError && <p className="admin-field-error">{townsError}</p>}
      </fieldset>
      <div className="admin-field">
        <label htmlFor={ids.team} className={needsTeam ? 'admin-required' : undefined}>
          {t('admin.users.team')}
        </label>
        <select
          id={ids.team}
          value={draft.teamId}
          onChange={(e) => onChange({ ...draft, teamId: e.target.value })}
          aria-invalid={teamError ? true : undefined}
          aria-describedby={teamError ? ids.teamError : undefined}
          data-testid="grant-team"
        >
          <option value="">{needsTeam ? t('admin.users.chooseTeam') : t('admin.users.noTeam')}</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name} · {t(`teamType.${team.type}`)} · {team.homeName} ({team.id})
            </option>
          ))}
        </select>
        <p className="admin-hint">{needsTeam ? t('admin.users.teamRequiredHint') : t('admin.users.teamHint')}</p>
        {teamError && (
          <p className="admin-field-error" id={ids.teamError} role="alert">
            {teamError}
          </p>
        )}
      </div>
    </>
  );
}
