import { useSyncExternalStore } from 'react';

/** The root font size at desk size (styles.css); the wall and phones change it by media query. */
export const DESK_REM_PX = 15;

function readRemPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || DESK_REM_PX;
}

function subscribe(listener: () => void) {
  window.addEventListener('resize', listener);
  return () => window.removeEventListener('resize', listener);
}

/** Pixels per rem, following the media queries as the window resizes. */
export function useRemPx(): number {
  return useSyncExternalStore(subscribe, readRemPx, () => DESK_REM_PX);
}

/** How much larger than at the desk the UI is drawn (≈2 on a 4K wall). */
export function useUiScale(): number {
  return useRemPx() / DESK_REM_PX;
}
