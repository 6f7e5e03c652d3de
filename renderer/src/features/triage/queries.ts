import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AddressSearchResponse } from '../../../../shared/contracts/addresses.js';
import type { TriageItem, TriageListResponse, TriageResolve } from '../../../../shared/contracts/channels.js';
import type { EventCreated } from '../../../../shared/contracts/events.js';
import type { ApiClient } from '../../app/api-client';
import { useServices } from '../../app/services';

export const TRIAGE_KEY = ['triage', 'pending'] as const;

export const triageQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: TRIAGE_KEY,
    queryFn: ({ signal }) => api.get<TriageListResponse>('/triage', { status: 'pending' }, { signal }),
  });

/**
 * The pending triage items, live: read again on every `triage:changed` push and after each
 * reconnect (pushes are not replayed), so a waiting hotline case appears without a refresh.
 */
export function useTriage(enabled: boolean) {
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const refetch = () => void queryClient.invalidateQueries({ queryKey: TRIAGE_KEY });
    const stops = [feed.on('triage:changed', refetch), feed.onResync(refetch)];
    return () => {
      for (const stop of stops) stop();
    };
  }, [enabled, feed, queryClient]);
  return useQuery({ ...triageQuery(api), enabled });
}

export const resolveTriage = (api: ApiClient, id: string, body: TriageResolve) => api.post<EventCreated>(`/triage/${id}/resolve`, body);
export const dismissTriage = (api: ApiClient, id: string, reason: string) => api.post<TriageItem>(`/triage/${id}/dismiss`, { reason });
export const searchAddresses = (api: ApiClient, q: string, signal?: AbortSignal) => api.get<AddressSearchResponse>('/addresses', { q, limit: 8 }, { signal });
