import { rolesAllow, type Role } from '../../../../shared/contracts/auth.js';
import type { Screen } from '../../app/route';

/** The screens the navigation offers: the print pages are opened from the screens that make them. */
export const NAV_SCREENS = ['shift', 'console', 'analysis', 'evaluation', 'hotline-import', 'workforce', 'wall'] as const satisfies readonly Screen[];
export type NavScreen = (typeof NAV_SCREENS)[number];

/**
 * Which screens a role may open: the map console needs the county's events; shift, analysis,
 * evaluation and the wall read figures (kpi:read). A wall display stays on the wall. The 12345
 * import is the command room's (dispatchers, duty officers, shift leads: kpi:read with
 * events:create), not a grid worker's. The workforce screen needs workforce:read (the grid office, shift leads).
 */
export function screensFor(roles: readonly Role[]): NavScreen[] {
  if (roles.includes('wall')) return ['wall'];
  if (!rolesAllow(roles, 'kpi:read')) return rolesAllow(roles, 'events:read') ? ['console'] : [];
  return NAV_SCREENS.filter((s) => (s !== 'hotline-import' || rolesAllow(roles, 'events:create')) && (s !== 'workforce' || rolesAllow(roles, 'workforce:read')));
}

/** Where a role lands at `/`: the shift lead on the shift's screen, the wall on the wall, the grid office on the workforce, others on the map console. */
export function homeScreen(roles: readonly Role[]): Screen {
  if (roles.includes('wall')) return 'wall';
  if (roles.includes('shift_lead')) return 'shift';
  if (roles.includes('grid_office')) return 'workforce';
  return 'console';
}

/** The screen to show for a requested one: a screen the role may not open falls back to its home. */
export function resolveScreen(requested: Screen | null, roles: readonly Role[]): Screen {
  if (requested === null) return homeScreen(roles);
  if (requested === 'briefing' || requested === 'agenda') return rolesAllow(roles, 'kpi:read') && !roles.includes('wall') ? requested : homeScreen(roles);
  return (screensFor(roles) as Screen[]).includes(requested) ? requested : homeScreen(roles);
}
