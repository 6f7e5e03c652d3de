import { queryOptions } from '@tanstack/react-query';
import type { HotlineImportListResponse, HotlineImportReport } from '../../../../shared/contracts/hotline-import.js';
import type { ApiClient } from '../../app/api-client';

/** Earlier imports and previews, newest first. */
export const hotlineImportsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['hotline-imports'],
    queryFn: ({ signal }) => api.get<HotlineImportListResponse>('/hotline-imports', { limit: 30 }, { signal }),
  });

/** One import's report, rows included. */
export const hotlineImportQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: ['hotline-imports', id],
    queryFn: ({ signal }) => api.get<HotlineImportReport>(`/hotline-imports/${id}`, undefined, { signal }),
    staleTime: Infinity,
  });
