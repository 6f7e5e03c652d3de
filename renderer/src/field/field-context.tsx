import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { LiveFeedView } from '../app/live-feed/live-feed';
import type { FieldServices } from './field-services';
import type { OutboxEntry } from './outbox';

const Ctx = createContext<FieldServices | null>(null);

export function FieldServicesProvider({ services, children }: { services: FieldServices; children: ReactNode }) {
  return <Ctx.Provider value={services}>{children}</Ctx.Provider>;
}

export function useField(): FieldServices {
  const s = useContext(Ctx);
  if (!s) throw new Error('useField outside FieldServicesProvider');
  return s;
}

export function useFeedView(): LiveFeedView {
  const { feed } = useField();
  return useSyncExternalStore(feed.subscribe, feed.getView, feed.getView);
}

export function useOutbox(): readonly OutboxEntry[] {
  const { outbox } = useField();
  return useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get);
}
