import type { Scope } from '../../../../shared/contracts/auth.js';

/**
 * What the wall shows: the user's whole area, one town (the map on it, its own figures), or the
 * hot spots (the heat of open cases over the area).
 */
export type WallView = { kind: 'scope' } | { kind: 'town'; townId: string; name: string } | { kind: 'hotspots' };

export const SCOPE_VIEW: WallView = { kind: 'scope' };

/** Shortest and longest page of `?cycle=`, in seconds: shorter cannot be read, longer is not a cycle. */
export const CYCLE_MIN_S = 15;
export const CYCLE_MAX_S = 3_600;

/** Seconds per view from `?cycle=N` (clamped to what can be read), or null: no paging. */
export function cycleSeconds(search: string): number | null {
  const raw = new URLSearchParams(search).get('cycle');
  if (raw === null || !/^\d{1,6}$/.test(raw)) return null;
  const seconds = Number(raw);
  if (seconds === 0) return null;
  return Math.min(CYCLE_MAX_S, Math.max(CYCLE_MIN_S, seconds));
}

/**
 * The pages of a cycle: the area, each of its towns (a town user with one town has no page of
 * its own beside the area, which is that town), then the hot spots.
 */
export function wallViews(scope: Scope, towns: readonly { id: string; name: string }[]): WallView[] {
  const mine = scope.kind === 'county' ? towns : towns.filter((t) => scope.towns.includes(t.id));
  const townViews: WallView[] = mine.length > 1 ? mine.map((t) => ({ kind: 'town', townId: t.id, name: t.name })) : [];
  return [SCOPE_VIEW, ...townViews, { kind: 'hotspots' }];
}
