import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { io } from 'socket.io-client';
import { currentLanguage, initI18n } from '../i18n/i18n';
import type { Platform } from '../platform/platform';
import { AlertCenter } from './alerts/alert-center';
import { ApiRequestError, createApiClient } from './api-client';
import { LiveFeed, type FeedSocket } from './live-feed/live-feed';
import { loadEventsSnapshot } from './live-feed/snapshot';
import { clearSelection, createSelectionStore } from './selection';
import { ServicesProvider, type AppServices } from './services';
import { SessionStore } from './session/session';
import { clearTeamSelection, createTeamSelectionStore } from './team-selection';

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // One quick retry, then the error panel with its own retry button: a dispatcher must
      // learn fast that the server is unreachable. A refused session or permission will not
      // change on a retry.
      queries: {
        retry: (failures, error) => failures < 1 && !(error instanceof ApiRequestError && (error.status === 401 || error.status === 403)),
        retryDelay: 1000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** The composition root: builds the services once and wires them to each other. */
function createServices(platform: Platform, storedToken: string | null, queryClient: QueryClient): AppServices {
  const session = new SessionStore(platform.tokenVault, storedToken);
  const api = createApiClient({
    baseUrl: platform.serverUrl,
    language: currentLanguage,
    token: session.token,
    onUnauthenticated: (token) => session.end('unauthenticated', token),
  });
  const feed = new LiveFeed({
    loadSnapshot: (onProgress, signal) => loadEventsSnapshot(api, Date.now(), onProgress, signal),
    openSocket: (auth): FeedSocket =>
      io(platform.serverUrl || window.location.origin, {
        auth,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 5000,
      }),
    token: session.token,
    onSessionEnded: (reason) => session.end(reason),
    now: () => Date.now(),
  });
  const selection = createSelectionStore();
  const teamSelection = createTeamSelectionStore();
  const alerts = new AlertCenter({ api, feed, platform });

  session.onEnded(({ keepMap }) => {
    if (keepMap) {
      // The wall freezes on what it showed; nothing more arrives until someone signs in.
      feed.stop();
      alerts.stop();
      return;
    }
    feed.reset();
    alerts.reset();
    clearSelection(selection);
    clearTeamSelection(teamSelection);
  });
  session.onBegun((next, previousUserId) => {
    // Another user may see other towns and other fields: nothing of the last one's data stays.
    if (previousUserId !== null && previousUserId !== next.user.id) {
      feed.reset();
      alerts.reset();
      clearSelection(selection);
      clearTeamSelection(teamSelection);
      queryClient.clear();
    }
  });
  return { platform, api, feed, selection, teamSelection, session, alerts };
}

export function AppProviders({ platform, storedToken, children }: { platform: Platform; storedToken: string | null; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [services] = useState(() => createServices(platform, storedToken, queryClient));
  const [i18n] = useState(initI18n);

  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ServicesProvider services={services}>{children}</ServicesProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
