import { queryOptions } from '@tanstack/react-query';
import type { OverviewResponse } from '../../../../shared/contracts/overview.js';
import type { ApiClient } from '../../app/api-client';

export const OVERVIEW_KEY = ['overview'] as const;

/**
 * A safety net only: figures are read again when the feed reports a change, a team's status or
 * a reconnect, and at midnight. This catches anything those miss (a refetch that failed while the
 * socket stayed up).
 */
const SAFETY_REFETCH_MS = 5 * 60_000;

/** Today's figures of the user's area, or of one town of it (the wall's town page). */
export const overviewQuery = (api: ApiClient, townId: string | null, live: boolean) =>
  queryOptions({
    queryKey: [...OVERVIEW_KEY, townId ?? 'scope'],
    queryFn: ({ signal }) => api.get<OverviewResponse>('/overview', townId ? { town: townId } : undefined, { signal }),
    enabled: live,
    refetchInterval: live ? SAFETY_REFETCH_MS : false,
    // Never retried in a loop: the next push or the safety net reads them again.
    retry: 1,
  });
