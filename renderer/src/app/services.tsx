import { createContext, useContext, type ReactNode } from 'react';
import type { Platform } from '../platform/platform';
import type { AlertCenter } from './alerts/alert-center';
import type { ApiClient } from './api-client';
import type { LiveFeed } from './live-feed/live-feed';
import type { SelectionStore } from './selection';
import type { SessionStore } from './session/session';
import type { TeamSelectionStore } from './team-selection';

/** What the composition root hands to the features: no globals, one context. */
export interface AppServices {
  platform: Platform;
  api: ApiClient;
  feed: LiveFeed;
  selection: SelectionStore;
  teamSelection: TeamSelectionStore;
  session: SessionStore;
  /** The server's open alerts, live, with sound and desktop notifications. */
  alerts: AlertCenter;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}
