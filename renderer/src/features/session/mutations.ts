import { useMutation } from '@tanstack/react-query';
import type { LoginRequest, LoginResponse } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';

/** Signs in; on success the session store takes over (and the console appears). */
export function useLogin() {
  const { api, session } = useServices();
  return useMutation({
    mutationFn: (request: LoginRequest) => api.post<LoginResponse>('/auth/login', request),
    onSuccess: (response) => session.begin(response),
  });
}

/**
 * Ends the session on the server, then here. Signing out locally does not wait for the server
 * to agree: a dead network must not keep a user signed in on a shared screen.
 */
export function useLogout() {
  const { api, session } = useServices();
  return useMutation({
    mutationFn: async () => {
      const token = session.token();
      session.expectSignOut();
      try {
        await api.post<void>('/auth/logout');
      } finally {
        if (token) session.end('signed_out', token);
      }
    },
  });
}
