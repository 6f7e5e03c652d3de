import { rolesAllow, type Role } from '../../../../shared/contracts/auth.js';

/** The wall's address. A packaged console (one `index.html`) reaches it as `?screen=wall` instead. */
export const WALL_PATH = '/wall';

/** Whether the address asks for the wall. */
export function isWallAddress(location: Pick<Location, 'pathname' | 'search'>): boolean {
  if (location.pathname.replace(/\/+$/, '') === WALL_PATH) return true;
  return new URLSearchParams(location.search).get('screen') === 'wall';
}

/**
 * Whether the console shows the wall rather than the desk: always for the wall display role
 * (read-only, it has nothing else to show), and at the wall's address for any role that may read
 * the figures (a duty officer putting the wall on a second screen).
 */
export function opensWall(roles: readonly Role[], location: Pick<Location, 'pathname' | 'search'>): boolean {
  return roles.includes('wall') || (isWallAddress(location) && rolesAllow(roles, 'kpi:read'));
}
