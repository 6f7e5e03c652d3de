import { useSyncExternalStore } from 'react';
import type { LiveFeedView } from './live-feed/live-feed';
import { useServices } from './services';

export function useLiveFeed(): LiveFeedView {
  const { feed } = useServices();
  return useSyncExternalStore(feed.subscribe, feed.getView, feed.getView);
}
