import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AssignmentListResponse, AssignmentRequest } from '../../../../shared/contracts/assignments.js';
import type { EventCreated } from '../../../../shared/contracts/events.js';
import type { ApiClient } from '../../app/api-client';
import { useServices } from '../../app/services';

export type AssignmentState = 'open' | 'reported' | 'all';

export const ASSIGNMENTS_KEY = ['assignments'] as const;

export const assignmentsQuery = (api: ApiClient, state: AssignmentState) =>
  queryOptions({
    queryKey: [...ASSIGNMENTS_KEY, state],
    queryFn: ({ signal }) => api.get<AssignmentListResponse>('/assignments', { state, pageSize: 200 }, { signal }),
  });

/**
 * The city's assignments in one state, kept current: read again when a county's result comes
 * back (`alert:raised` of kind `assignment_reported`) and after each reconnect (pushes are not replayed).
 */
export function useAssignments(state: AssignmentState, enabled: boolean) {
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const refetch = () => void queryClient.invalidateQueries({ queryKey: ASSIGNMENTS_KEY });
    const stops = [feed.on('alert:raised', ({ alert }) => alert.kind === 'assignment_reported' && refetch()), feed.onResync(refetch)];
    return () => {
      for (const stop of stops) stop();
    };
  }, [enabled, feed, queryClient]);
  return useQuery({ ...assignmentsQuery(api, state), enabled });
}

export const assignDown = (api: ApiClient, body: AssignmentRequest, idempotencyKey: string) => api.post<EventCreated>('/assignments', body, { headers: { 'Idempotency-Key': idempotencyKey } });
