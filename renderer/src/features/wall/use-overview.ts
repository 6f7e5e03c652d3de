import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useServices } from '../../app/services';
import { overviewQuery, OVERVIEW_KEY } from './queries';
import { msToCountyMidnight, Throttle } from './refresh';

/** Fewest milliseconds between two reads of the figures while the feed is busy. */
export const REFRESH_GAP_MS = 10_000;
/** Past midnight by this much, so the server's clock has crossed it too. */
const MIDNIGHT_SLACK_MS = 5_000;

/**
 * The wall's figures, kept current without polling: read again (at most every `REFRESH_GAP_MS`)
 * when the live feed brings a case change or a team's status, after every reconnect (what was
 * missed meanwhile), and just after each midnight, China time, when "today" becomes a new day.
 */
export function useOverview(townId: string | null, live: boolean) {
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  const query = useQuery(overviewQuery(api, townId, live));

  useEffect(() => {
    if (!live) return;
    const refresh = new Throttle(() => void queryClient.invalidateQueries({ queryKey: OVERVIEW_KEY }), REFRESH_GAP_MS);
    // The query is loading right now: that is the first read.
    refresh.ran();
    let midnight: ReturnType<typeof setTimeout> | null = null;
    const atMidnight = () => {
      midnight = setTimeout(() => {
        refresh.request();
        atMidnight();
      }, msToCountyMidnight(Date.now()) + MIDNIGHT_SLACK_MS);
    };
    atMidnight();
    const stops = [feed.onChanges(() => refresh.request()), feed.on('team:changed', () => refresh.request()), feed.onResync(() => refresh.request())];
    return () => {
      stops.forEach((stop) => stop());
      refresh.stop();
      if (midnight) clearTimeout(midnight);
    };
  }, [live, feed, queryClient]);

  return query;
}
