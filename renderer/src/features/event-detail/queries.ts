import { queryOptions } from '@tanstack/react-query';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { ApiClient } from '../../app/api-client';

/** One case, for a selection the live view does not hold (an older master, a closed duplicate). */
export const eventQuery = (api: ApiClient, eventId: string) =>
  queryOptions({
    queryKey: ['event', eventId],
    queryFn: ({ signal }) => api.get<EventRecord>(`/events/${encodeURIComponent(eventId)}`, undefined, { signal }),
    staleTime: 30_000,
  });
