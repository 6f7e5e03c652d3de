import { queryOptions } from '@tanstack/react-query';
import type { HealthResponse } from '../../../../shared/contracts/health.js';
import type { ApiClient } from '../../app/api-client';

/** Public (no session needed): whether the server runs in demo mode, shown before and after login. */
export const healthQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['health'],
    queryFn: ({ signal }) => api.get<HealthResponse>('/health', undefined, { signal }),
    staleTime: 60_000,
  });
