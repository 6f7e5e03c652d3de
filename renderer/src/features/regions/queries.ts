import { queryOptions } from '@tanstack/react-query';
import type { RegionLevel, RegionsResponse } from '../../../../shared/contracts/regions.js';
import type { ApiClient } from '../../app/api-client';
import type { RegionCollection } from '../../map/layers/region-layers';

/** Regions change only with a new county setup: fetched once per session. */
export const regionsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['regions'],
    queryFn: ({ signal }) => api.get<RegionsResponse>('/regions', undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const geoQuery = (api: ApiClient, level: RegionLevel) =>
  queryOptions({
    queryKey: ['geo', level],
    queryFn: ({ signal }) => api.get<RegionCollection>(`/geo/${level}`, undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
