import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyCreated, ApiKeySummary, IntakeChannel, Role, UserSummary } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';

/** After any change the list, the problems and the keys are read again: the server is the truth. */
function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['users'] });
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  towns: string[];
  teamId: string | null;
}

export function useCreateUser() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ towns, teamId, ...rest }: NewUser) => api.post<UserSummary>('/users', { ...rest, ...(towns.length ? { towns } : {}), ...(teamId ? { teamId } : {}) }),
    onSuccess: refresh,
  });
}

export function useSetDisabled() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) => api.post<void>(`/users/${id}/${disabled ? 'disable' : 'enable'}`),
    onSuccess: refresh,
  });
}

export function useChangeGrant() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, roles, towns, teamId }: { id: string; roles: Role[]; towns: string[]; teamId: string | null }) =>
      api.post<void>(`/users/${id}/roles`, { roles, ...(towns.length ? { towns } : {}), teamId }),
    onSuccess: refresh,
  });
}

export function useEnrollTotp() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => api.post<{ otpauthUri: string }>(`/users/${id}/totp`),
    onSuccess: refresh,
  });
}

export function useIssueApiKey() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ userId, name, expiresAt, channel }: { userId: string; name: string; expiresAt: string | null; channel: IntakeChannel | null }) =>
      api.post<ApiKeyCreated>(`/users/${userId}/api-keys`, { name, ...(expiresAt ? { expiresAt } : {}), ...(channel ? { channel } : {}) }),
    onSuccess: refresh,
  });
}

export function useRevokeApiKey() {
  const { api } = useServices();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ keyId, reason }: { keyId: string; reason: string }) => api.post<ApiKeySummary>(`/api-keys/${keyId}/revoke`, { reason }),
    onSuccess: refresh,
  });
}
