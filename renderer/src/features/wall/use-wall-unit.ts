import { useSyncExternalStore } from 'react';

/**
 * The wall's unit in CSS pixels: 1 on a 1920×1080 screen, 2 on a 3840×2160 one, following the
 * smaller of width and height so the layout keeps its proportions on other screen shapes.
 * wall.css computes the same value as `--u`.
 */
export function wallUnit(width: number, height: number): number {
  return Math.min(width / 1920, height / 1080);
}

const read = () => wallUnit(window.innerWidth, window.innerHeight);

function subscribe(listener: () => void) {
  window.addEventListener('resize', listener);
  return () => window.removeEventListener('resize', listener);
}

export function useWallUnit(): number {
  return useSyncExternalStore(subscribe, read, () => 1);
}
