import { useSyncExternalStore } from 'react';
import type { SearchPlace } from '../../../shared/contracts/search.js';

/**
 * The console's screens, one path each, so a screen can be bookmarked, opened in its own window
 * (the wall, a print page) and reached with the browser's back button. Navigation inside the
 * console changes the path without reloading, so the live feed and the session carry on.
 */
export const SCREENS = ['console', 'shift', 'analysis', 'evaluation', 'wall', 'briefing', 'agenda', 'hotline-import', 'workforce'] as const;
export type Screen = (typeof SCREENS)[number];

const PATHS: Record<Screen, string> = {
  console: '/console',
  shift: '/shift',
  analysis: '/analysis',
  evaluation: '/evaluation',
  wall: '/wall',
  briefing: '/briefing',
  agenda: '/agenda',
  'hotline-import': '/hotline-import',
  workforce: '/workforce',
};

/** The screen a path names; null for `/` and unknown paths (the role's home screen). */
export function screenOfPath(pathname: string): Screen | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  return SCREENS.find((s) => PATHS[s] === path) ?? null;
}

/**
 * The screen an address names: by its path, or — in the packaged Electron console, one
 * `index.html` that cannot answer other paths on reload — by `?screen=`.
 */
export function screenOfAddress(pathname: string, search: string): Screen | null {
  const named = new URLSearchParams(search).get('screen');
  return screenOfPath(pathname) ?? SCREENS.find((s) => s === named) ?? null;
}

export function pathOfScreen(screen: Screen, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const search = params.toString();
  return search ? `${PATHS[screen]}?${search}` : PATHS[screen];
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const readLocation = () => window.location.pathname + window.location.search;

/** Goes to another screen of the console without reloading the page. */
export function navigate(screen: Screen, query?: Record<string, string | undefined>): void {
  const target = pathOfScreen(screen, query);
  if (target === readLocation()) return;
  window.history.pushState(null, '', target);
  notify();
}

/** The current path and query; re-renders on navigation and the back button. */
export function useLocation(): { screen: Screen | null; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, readLocation, () => '/');
  const [path = '/', query = ''] = location.split('?');
  return { screen: screenOfAddress(path, query), search: new URLSearchParams(query) };
}

/**
 * A place handed from one screen to the console's map (a hot spot of the analysis shown on the
 * map): the console takes it once when it opens.
 */
let handedPlace: SearchPlace | null = null;
export function handPlaceToConsole(place: SearchPlace): void {
  handedPlace = place;
  navigate('console');
}
export function takeHandedPlace(): SearchPlace | null {
  const place = handedPlace;
  handedPlace = null;
  return place;
}
