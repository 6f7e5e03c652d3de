import { mutationOptions, queryOptions } from '@tanstack/react-query';
import type { ActionRequest, ActionResult, RecommendationsResponse, TimelineResponse } from '../../../../shared/contracts/workflow.js';
import type { ApiClient } from '../../app/api-client';

/**
 * A case's timeline. The key carries the case's seq, so every change of the case (pushed, or
 * this console's own action) reads it again; the previous answer stays on screen meanwhile.
 */
export const timelineQuery = (api: ApiClient, eventId: string, seq: number) =>
  queryOptions({
    queryKey: ['timeline', eventId, seq],
    queryFn: ({ signal }) => api.get<TimelineResponse>(`/events/${encodeURIComponent(eventId)}/timeline`, undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });

/** Teams ranked for a case, read fresh each time the dispatch dialog opens (loads and positions move). */
export const recommendationsQuery = (api: ApiClient, eventId: string) =>
  queryOptions({
    queryKey: ['recommendations', eventId],
    queryFn: ({ signal }) => api.get<RecommendationsResponse>(`/events/${encodeURIComponent(eventId)}/recommendations`, undefined, { signal }),
    staleTime: 0,
    gcTime: 0,
  });

/** `POST /api/v1/events/{id}/actions`: the case after the action and the timeline entry it wrote. */
export const caseActionMutation = (api: ApiClient) =>
  mutationOptions({
    mutationKey: ['case-action'],
    mutationFn: ({ eventId, request }: { eventId: string; request: ActionRequest }) =>
      api.post<ActionResult>(`/events/${encodeURIComponent(eventId)}/actions`, request),
  });
