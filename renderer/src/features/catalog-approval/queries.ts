import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogDiffResponse } from '../../../../shared/contracts/catalog-diff.js';
import type { CatalogVersionDetail, CatalogVersionSummary } from '../../../../shared/contracts/catalog.js';
import type { ApiClient } from '../../app/api-client';
import { useServices } from '../../app/services';

/** Every catalog version, newest first: drafts waiting, the active one, history. */
export const versionsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['catalog', 'versions'],
    queryFn: ({ signal }) => api.get<{ items: CatalogVersionSummary[] }>('/catalog/versions', undefined, { signal }),
    refetchInterval: 60_000,
  });

/** What a version changes against what it would replace (or replaced). */
export const diffQuery = (api: ApiClient, version: number) =>
  queryOptions({
    queryKey: ['catalog', 'diff', version],
    queryFn: ({ signal }) => api.get<CatalogDiffResponse>(`/catalog/versions/${version}/diff`, undefined, { signal }),
  });

/** Approve or reject a draft; every view of the catalog is read again after (the active version changed). */
export function useDecision() {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ version, decision, reason }: { version: number; decision: 'approve' | 'reject'; reason?: string }) =>
      api.post<CatalogVersionDetail>(`/catalog/versions/${version}/${decision}`, decision === 'reject' ? { reason } : {}),
    // Not awaited: a decided draft leaves the list, and the panel that asked must still hear the outcome.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['catalog'] });
    },
  });
}
