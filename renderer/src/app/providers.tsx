import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { io } from 'socket.io-client';
import { currentLanguage, initI18n } from '../i18n/i18n';
import type { Platform } from '../platform/platform';
import { createApiClient } from './api-client';
import { LiveFeed, type FeedSocket } from './live-feed/live-feed';
import { loadEventsSnapshot } from './live-feed/snapshot';
import { createSelectionStore } from './selection';
import { ServicesProvider, type AppServices } from './services';

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // One quick retry, then the error panel with its own retry button: a dispatcher must
      // learn fast that the server is unreachable.
      queries: { retry: 1, retryDelay: 1000, refetchOnWindowFocus: false },
    },
  });
}

/** The composition root: builds the services once and wires them to each other. */
function createServices(platform: Platform): AppServices {
  const api = createApiClient({ baseUrl: platform.serverUrl, language: currentLanguage });
  const feed = new LiveFeed({
    loadSnapshot: (onProgress, signal) => loadEventsSnapshot(api, Date.now(), onProgress, signal),
    openSocket: (auth): FeedSocket =>
      io(platform.serverUrl || window.location.origin, {
        auth,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 5000,
      }),
    now: () => Date.now(),
  });
  return { platform, api, feed, selection: createSelectionStore() };
}

export function AppProviders({ platform, children }: { platform: Platform; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [services] = useState(() => createServices(platform));
  const [i18n] = useState(initI18n);

  useEffect(() => {
    services.feed.start();
    return () => services.feed.stop();
  }, [services]);

  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ServicesProvider services={services}>{children}</ServicesProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
