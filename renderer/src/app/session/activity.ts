import { useEffect } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useServices } from '../services';

/** User input is reported at most this often; the server records activity once a minute at most anyway. */
export const KEEP_ALIVE_INTERVAL_MS = 60_000;

/** A function to call on every bit of user activity; it calls `touch` at most once per interval. */
export function throttleActivity(touch: () => void, intervalMs: number, now: () => number): () => void {
  // Signing in was activity; the first touch is due one interval later.
  let last = now();
  return () => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    touch();
  };
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel'] as const;

/**
 * While `token` is a live session, user input keeps it alive on the server. The server ends a
 * session after a spell without requests (the idle timeout), and the socket heartbeat does not
 * count as activity. Reading the queue and the map is work too, yet makes no request: so real
 * input (a click, a key, the wheel) tells the server. A console nobody touches still times out.
 */
export function useActivityKeepAlive(token: string | null): void {
  const { api, session } = useServices();
  useEffect(() => {
    if (!token) return;
    const onActivity = throttleActivity(
      () => {
        api
          .get<SessionUser>('/auth/me')
          .then((user) => session.updateUser(token, user))
          // A refusal has ended the session already (see the API client); a network failure
          // is shown by the feed.
          .catch(() => undefined);
      },
      KEEP_ALIVE_INTERVAL_MS,
      Date.now,
    );
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [api, session, token]);
}
