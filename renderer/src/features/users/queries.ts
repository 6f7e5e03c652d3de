import { queryOptions } from '@tanstack/react-query';
import type { ApiKeySummary, UserListResponse } from '../../../../shared/contracts/auth.js';
import type { UserFormOptions } from '../../../../shared/contracts/user-admin.js';
import type { ApiClient } from '../../app/api-client';

/** Every user and the accounts that break the separation rules (security administrator only). */
export const usersQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<UserListResponse>('/users', undefined, { signal }),
    refetchInterval: 60_000,
  });

/** Towns, teams and the password policy, for the user forms. */
export const userFormOptionsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['users', 'form-options'],
    queryFn: ({ signal }) => api.get<UserFormOptions>('/users/form-options', undefined, { signal }),
    staleTime: 5 * 60_000,
  });

/** Every integration client's API key, newest first (never a secret). */
export const apiKeysQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['users', 'api-keys'],
    queryFn: ({ signal }) => api.get<{ items: ApiKeySummary[] }>('/api-keys', undefined, { signal }),
    refetchInterval: 60_000,
  });
