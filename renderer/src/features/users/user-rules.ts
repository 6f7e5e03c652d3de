import type { TFunction } from 'i18next';
import { ADMIN_ROLES, DEVICE_ROLES, roleConflict, type Role, type RoleConflict, type Scope, type UserSummary } from '../../../../shared/contracts/auth.js';
import type { GrantableArea, UserFormOptions } from '../../../../shared/contracts/user-admin.js';

/**
 * The roles the security administrator may give over REST: every role but the three
 * administrators (三权分立: those accounts are made on the server host with `npm run admin`).
 */
export const OFFERED_ROLES: readonly Role[] = ['dispatcher', 'duty_officer', 'shift_lead', 'field_worker', 'catalog_approver', 'grid_office', 'wall', 'integration'];

/** Why the security administrator cannot act on an account from this screen, or null when they can. */
export type Untouchable = 'own_account' | 'admin_account';

export function untouchable(target: Pick<UserSummary, 'id' | 'roles'>, me: { id: string }): Untouchable | null {
  if (target.id === me.id) return 'own_account';
  if (target.roles.some((r) => ADMIN_ROLES.includes(r))) return 'admin_account';
  return null;
}

/**
 * A grant being edited: roles, areas and team. `towns` holds the granted areas as the API's
 * `towns` field takes them: town, county or city ids (none: the whole platform).
 */
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

/**
 * The teams to offer for a grant: those of its towns and the units of its counties (every team
 * for the whole platform). `tree` expands counties and cities into their towns.
 */
export function teamsFor(teams: UserFormOptions['teams'], areas: readonly string[], tree: AreaTree): UserFormOptions['teams'] {
  const towns = townsOf(tree, areas);
  if (towns === null) return teams;
  const counties = new Set([...towns].map((t) => tree.byId.get(t)?.parentId ?? ''));
  return teams.filter((t) => (t.townId === null ? t.countyId !== null && counties.has(t.countyId) : towns.has(t.townId)));
}

/**
 * The areas a grant can name, as a tree: the platform's top region, its cities and counties
 * (none on a county server), and the towns, each under the region it lies in.
 */
export interface AreaTree {
  root: GrantableArea | null;
  byId: ReadonlyMap<string, GrantableArea>;
  /** Areas by the id of the region they lie in, in code order. */
  children: ReadonlyMap<string, readonly GrantableArea[]>;
  /** A platform of several counties: the picker is a tree; on a county server, a row of towns. */
  platform: boolean;
}

export function areaTree(options: Pick<UserFormOptions, 'root' | 'areas' | 'towns'>): AreaTree {
  const all = [...(options.root ? [options.root] : []), ...options.areas, ...options.towns];
  const children = new Map<string, GrantableArea[]>();
  for (const a of all) {
    if (a.parentId === null) continue;
    const siblings = children.get(a.parentId);
    if (siblings) siblings.push(a);
    else children.set(a.parentId, [a]);
  }
  return { root: options.root, byId: new Map(all.map((a) => [a.id, a])), children, platform: options.areas.length > 0 };
}

/** The regions an area lies in, nearest first, up to the top. */
function ancestorsOf(tree: AreaTree, id: string): string[] {
  const out: string[] = [];
  for (let parent = tree.byId.get(id)?.parentId ?? null; parent !== null; parent = tree.byId.get(parent)?.parentId ?? null) out.push(parent);
  return out;
}

/** Every area held by `id` (its cities, counties and towns), not itself. */
function descendantsOf(tree: AreaTree, id: string): GrantableArea[] {
  const out: GrantableArea[] = [];
  const walk = (parent: string) => {
    for (const child of tree.children.get(parent) ?? []) {
      out.push(child);
      walk(child.id);
    }
  };
  walk(id);
  return out;
}

/** The towns a grant covers; null for the whole platform (nothing granted, or the top region). */
export function townsOf(tree: AreaTree, areas: readonly string[]): Set<string> | null {
  if (areas.length === 0 || (tree.root && areas.includes(tree.root.id))) return null;
  const towns = new Set<string>();
  for (const id of areas) {
    if (tree.byId.get(id)?.level === 'town') towns.add(id);
    for (const d of descendantsOf(tree, id)) if (d.level === 'town') towns.add(d.id);
  }
  return towns;
}

/**
 * How an area stands in a grant: ticked itself; implied by a ticked region it lies in (a town of
 * a granted county: shown ticked, not ticked separately); partly granted (some of what it holds
 * is ticked); or not at all.
 */
export type AreaMark = { kind: 'ticked' } | { kind: 'implied'; by: string } | { kind: 'partial'; count: number } | { kind: 'none' };

export function areaMark(tree: AreaTree, areas: readonly string[], id: string): AreaMark {
  if (areas.includes(id)) return { kind: 'ticked' };
  const by = ancestorsOf(tree, id).find((a) => areas.includes(a));
  if (by !== undefined) return { kind: 'implied', by };
  const count = descendantsOf(tree, id).filter((d) => areas.includes(d.id)).length;
  return count > 0 ? { kind: 'partial', count } : { kind: 'none' };
}

/**
 * Ticks or unticks one area. Ticking a region drops what it holds from the grant (implied now),
 * so the stored grant is the fewest areas that say it; ticking the top region grants the whole
 * platform (an empty grant). An implied area is not toggled by itself: its region is unticked first.
 */
export function toggleArea(tree: AreaTree, areas: readonly string[], id: string): string[] {
  if (tree.root && id === tree.root.id) return [];
  if (areas.includes(id)) return areas.filter((a) => a !== id);
  if (areaMark(tree, areas, id).kind === 'implied') return [...areas];
  const held = new Set(descendantsOf(tree, id).map((d) => d.id));
  return [...areas.filter((a) => !held.has(a)), id];
}

/**
 * The areas to show for a search (a name containing the text): the matches, the regions they
 * lie in (so a town is seen under its county) and, for a matching county or city, what it
 * holds. Null without a search: everything is shown.
 */
export function areaSearch(tree: AreaTree, text: string): Set<string> | null {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  const shown = new Set<string>();
  for (const a of tree.byId.values()) {
    if (a === tree.root || !a.name.toLowerCase().includes(q)) continue;
    shown.add(a.id);
    for (const up of ancestorsOf(tree, a.id)) if (up !== tree.root?.id) shown.add(up);
    for (const d of descendantsOf(tree, a.id)) shown.add(d.id);
  }
  return shown;
}

/** The whole platform in words: 全县 on a county server, 全市 or 全省 above. */
export function wholePlatformText(t: TFunction, tree: AreaTree): string {
  return t(`admin.users.whole.${tree.root?.level === 'city' || tree.root?.level === 'province' ? tree.root.level : 'county'}`);
}

/** What an account answers for, in words: the whole platform, or its areas' names (温州市 / T县 / 城关镇). */
export function scopeText(t: TFunction, scope: Scope, tree: AreaTree): string {
  return scope.kind === 'county' ? wholePlatformText(t, tree) : areaNames(tree, scope.areas).join(t('list.separator'));
}

/** The names of a grant's areas, as the list and the panel show them (温州市 / T县 / 城关镇); unknown ids as they are. */
export function areaNames(tree: AreaTree, areas: readonly string[]): string[] {
  return areas.map((id) => tree.byId.get(id)?.name ?? id);
}

export interface UserFilter {
  text: string;
  role: Role | '';
  /** A town, county or city: users who answer for any of its towns. */
  area: string;
  state: '' | 'active' | 'disabled' | 'locked' | 'problem';
}

export const EMPTY_USER_FILTER: UserFilter = { text: '', role: '', area: '', state: '' };

/** The users a filter keeps. `now` decides whether a lock is still in force; `tree` expands an area into its towns. */
export function filterUsers(users: readonly UserSummary[], f: UserFilter, now: number, tree: AreaTree): UserSummary[] {
  const text = f.text.trim().toLowerCase();
  const areaTowns = f.area ? townsOf(tree, [f.area]) : null;
  return users.filter((u) => {
    if (text && !u.username.toLowerCase().includes(text) && !u.displayName.toLowerCase().includes(text)) return false;
    if (f.role && !u.roles.includes(f.role)) return false;
    if (areaTowns && u.scope.kind === 'towns' && !u.scope.towns.some((t) => areaTowns.has(t))) return false;
    const locked = u.lockedUntil !== null && Date.parse(u.lockedUntil) > now;
    if (f.state === 'active' && (u.disabled || locked)) return false;
    if (f.state === 'disabled' && !u.disabled) return false;
    if (f.state === 'locked' && !locked) return false;
    if (f.state === 'problem' && !u.problem) return false;
    return true;
  });
}
