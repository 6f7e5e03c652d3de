import { queryOptions } from '@tanstack/react-query';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { ApiClient } from '../../app/api-client';

export const catalogQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['catalog'],
    queryFn: ({ signal }) => api.get<CatalogResponse>('/catalog', undefined, { signal }),
    staleTime: 10 * 60_000,
  });
