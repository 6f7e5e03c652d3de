import { queryOptions } from '@tanstack/react-query';
import type { UserListResponse } from '../../../../shared/contracts/auth.js';
import type { ApiClient } from '../../app/api-client';

/** Every user and the accounts that break the separation rules (security administrator only). */
export const usersQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<UserListResponse>('/users', undefined, { signal }),
    refetchInterval: 60_000,
  });
