/**
 * How the console's link to the server stands, shown with a light and words. `ended`: the
 * session ended, so the feed stopped on purpose (the wall keeps showing what it had).
 */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'ended';

/** The feed counts as stale when nothing (change, sync, heartbeat) arrived for this long. */
export const STALE_AFTER_MS = 30_000;
/** Failed reconnect attempts before the light says offline instead of reconnecting. */
export const OFFLINE_AFTER_ATTEMPTS = 3;

export interface Freshness {
  stale: boolean;
  /** Whole seconds since data last arrived; null before any did. */
  silentSeconds: number | null;
}

/**
 * Whether the dispatcher must be warned that what they see may be out of date: the link is
 * down, or it is up but silent for longer than `STALE_AFTER_MS` (a heartbeat comes every ~10 s).
 * Before the first data arrives the console shows its loading state instead.
 */
export function freshness(link: LinkState, lastDataAt: number | null, now: number): Freshness {
  if (lastDataAt === null) return { stale: false, silentSeconds: null };
  const silentMs = Math.max(0, now - lastDataAt);
  const silentSeconds = Math.floor(silentMs / 1000);
  const down = link === 'reconnecting' || link === 'offline' || link === 'ended';
  return { stale: down || silentMs > STALE_AFTER_MS, silentSeconds };
}

/** The light after a failed reconnect attempt number `attempt` (1-based). */
export function linkAfterFailedAttempt(attempt: number): LinkState {
  return attempt >= OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
}
