import { queryOptions } from '@tanstack/react-query';
import type { SearchResponse } from '../../../../shared/contracts/search.js';
import type { ApiClient } from '../../app/api-client';

/**
 * One search. Kept briefly: typing back to an earlier query shows its answer at once, but a
 * case's state in the list is never minutes old.
 */
export const searchQuery = (api: ApiClient, q: string) =>
  queryOptions({
    queryKey: ['search', q],
    queryFn: ({ signal }) => api.get<SearchResponse>('/search', { q }, { signal }),
    staleTime: 10_000,
    retry: false,
  });
