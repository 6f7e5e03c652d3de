import { useSyncExternalStore } from 'react';

/**
 * One shared clock for every countdown on screen, ticking on whole seconds while anything
 * listens, so all figures change in the same frame.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function tick() {
  now = Date.now();
  for (const listener of listeners) listener();
  timer = setTimeout(tick, 1000 - (now % 1000) + 5);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setTimeout(tick, 1000 - (now % 1000) + 5);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

/**
 * The current time, re-rendering once per `resolutionMs` (whole seconds by default): a
 * component that needs only minutes is not redrawn every second.
 */
export function useNow(resolutionMs = 1000): number {
  const read = () => Math.floor(now / resolutionMs) * resolutionMs;
  return useSyncExternalStore(subscribe, read, read);
}
