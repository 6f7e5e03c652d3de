import { ADMIN_ROLES, DEVICE_ROLES, roleConflict, type Role, type RoleConflict, type UserSummary } from '../../../../shared/contracts/auth.js';
import type { UserFormOptions } from '../../../../shared/contracts/user-admin.js';

/**
 * The roles the security administrator may give over REST: every role but the three
 * administrators (三权分立: those accounts are made on the server host with `npm run admin`).
 */
export const OFFERED_ROLES: readonly Role[] = ['dispatcher', 'duty_officer', 'shift_lead', 'field_worker', 'catalog_approver', 'wall', 'integration'];

/** Why the security administrator cannot act on an account from this screen, or null when they can. */
export type Untouchable = 'own_account' | 'admin_account';

export function untouchable(target: Pick<UserSummary, 'id' | 'roles'>, me: { id: string }): Untouchable | null {
  if (target.id === me.id) return 'own_account';
  if (target.roles.some((r) => ADMIN_ROLES.includes(r))) return 'admin_account';
  return null;
}

/** A grant being edited: roles, towns (none: the county) and team. */
export interface GrantDraft {
  roles: Role[];
  towns: string[];
  teamId: string;
}

/** What the server would refuse in a grant, checked as the administrator edits it (the server still decides). */
export interface GrantProblems {
  roles?: 'no_role' | RoleConflict | 'admin_role_host_only';
  teamId?: 'team_required';
}

export function grantProblems(draft: GrantDraft): GrantProblems {
  const problems: GrantProblems = {};
  if (draft.roles.length === 0) problems.roles = 'no_role';
  else if (draft.roles.some((r) => ADMIN_ROLES.includes(r))) problems.roles = 'admin_role_host_only';
  else {
    const conflict = roleConflict(draft.roles);
    if (conflict) problems.roles = conflict;
  }
  if (draft.roles.includes('field_worker') && !draft.teamId) problems.teamId = 'team_required';
  return problems;
}

/**
 * Whether ticking `role` now would break the rules with what is already ticked: a wall or
 * integration role stands alone, so the checkbox is disabled rather than refused on save.
 */
export function roleBlocked(role: Role, ticked: readonly Role[]): boolean {
  if (ticked.includes(role) || ticked.length === 0) return false;
  return DEVICE_ROLES.includes(role) || ticked.some((r) => DEVICE_ROLES.includes(r));
}

/** The password policy's requirements, each met or not, for the hints beside the field. */
export function passwordChecks(policy: UserFormOptions['passwordPolicy'], password: string, username: string) {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const checks: Array<{ rule: 'length' | 'classes' | 'no_username'; met: boolean; value: number }> = [{ rule: 'length', met: [...password].length >= policy.minLength, value: policy.minLength }];
  if (policy.minClasses > 0) checks.push({ rule: 'classes', met: classes >= policy.minClasses, value: policy.minClasses });
  checks.push({ rule: 'no_username', met: password.length > 0 && !(username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())), value: 0 });
  return checks;
}

/** The teams to offer for a grant: those of its towns (all towns for the county) and the county units. */
export function teamsFor(teams: UserFormOptions['teams'], towns: readonly string[]): UserFormOptions['teams'] {
  if (towns.length === 0) return teams;
  return teams.filter((t) => t.townId === null || towns.includes(t.townId));
}

export interface UserFilter {
  text: string;
  role: Role | '';
  town: string;
  state: '' | 'active' | 'disabled' | 'locked' | 'problem';
}

export const EMPTY_USER_FILTER: UserFilter = { text: '', role: '', town: '', state: '' };

/** The users a filter keeps. `now` decides whether a lock is still in force. */
export function filterUsers(users: readonly UserSummary[], f: UserFilter, now: number): UserSummary[] {
  const text = f.text.trim().toLowerCase();
  return users.filter((u) => {
    if (text && !u.username.toLowerCase().includes(text) && !u.displayName.toLowerCase().includes(text)) return false;
    if (f.role && !u.roles.includes(f.role)) return false;
    if (f.town && !(u.scope.kind === 'county' || u.scope.towns.includes(f.town))) return false;
    const locked = u.lockedUntil !== null && Date.parse(u.lockedUntil) > now;
    if (f.state === 'active' && (u.disabled || locked)) return false;
    if (f.state === 'disabled' && !u.disabled) return false;
    if (f.state === 'locked' && !locked) return false;
    if (f.state === 'problem' && !u.problem) return false;
    return true;
  });
}
