import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { TeamListResponse, TrailResponse } from '../../../../shared/contracts/teams.js';
import type { ApiClient } from '../../app/api-client';
import { mergeFetched, type TeamsById } from './team-state';

export const TEAMS_KEY = ['teams'] as const;

/**
 * The teams the user may see, as a map by id. Pushes (`team:moved`, `team:changed`) update the
 * cached map in place; a refetch (after every reconnect) merges so a push newer than the answer
 * is not undone.
 */
export const teamsQuery = (api: ApiClient, queryClient: QueryClient) =>
  queryOptions({
    queryKey: TEAMS_KEY,
    queryFn: async ({ signal }): Promise<TeamsById> => {
      const { items } = await api.get<TeamListResponse>('/teams', undefined, { signal });
      return mergeFetched(queryClient.getQueryData<TeamsById>(TEAMS_KEY), items);
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

/** A team's positions of the last hour, oldest first. */
export const trailQuery = (api: ApiClient, teamId: string) =>
  queryOptions({
    queryKey: ['trail', teamId],
    queryFn: ({ signal }) => api.get<TrailResponse>(`/teams/${encodeURIComponent(teamId)}/trail`, undefined, { signal }),
    staleTime: 0,
    gcTime: 0,
  });
