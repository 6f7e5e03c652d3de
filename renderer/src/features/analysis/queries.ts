import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AgendaResponse, HotSpotsResponse, HoursResponse, MixResponse, TrendResponse, TrendUnit } from '../../../../shared/contracts/analysis.js';
import type { ApiClient } from '../../app/api-client';
import { apiQuery, type AnalysisFilters } from './analysis-filters';

/**
 * The analysis figures, one query per chart so each loads, fails and retries on its own. The
 * previous figures stay on screen while a changed filter loads (no flash of empty charts); the
 * figures are history, so a minute's staleness is fine.
 */
const common = { placeholderData: keepPreviousData, staleTime: 60_000 } as const;
type Period = Pick<AnalysisFilters, 'from' | 'to' | 'town'>;

export const trendQuery = (api: ApiClient, f: Period & { unit: TrendUnit }) =>
  queryOptions({
    queryKey: ['analysis', 'trend', f.from, f.to, f.town, f.unit],
    queryFn: ({ signal }) => api.get<TrendResponse>('/analysis/trend', { ...apiQuery(f), unit: f.unit }, { signal }),
    ...common,
  });

export const mixQuery = (api: ApiClient, f: Period) =>
  queryOptions({
    queryKey: ['analysis', 'mix', f.from, f.to, f.town],
    queryFn: ({ signal }) => api.get<MixResponse>('/analysis/mix', apiQuery(f), { signal }),
    ...common,
  });

export const hoursQuery = (api: ApiClient, f: Period) =>
  queryOptions({
    queryKey: ['analysis', 'hours', f.from, f.to, f.town],
    queryFn: ({ signal }) => api.get<HoursResponse>('/analysis/hours', apiQuery(f), { signal }),
    ...common,
  });

export const hotSpotsQuery = (api: ApiClient, f: Period) =>
  queryOptions({
    queryKey: ['analysis', 'hot-spots', f.from, f.to, f.town],
    queryFn: ({ signal }) => api.get<HotSpotsResponse>('/analysis/hot-spots', { ...apiQuery(f), limit: '100' }, { signal }),
    ...common,
  });

export const agendaQuery = (api: ApiClient, date: string, town: string) =>
  queryOptions({
    queryKey: ['analysis', 'agenda', date, town],
    queryFn: ({ signal }) => api.get<AgendaResponse>('/analysis/agenda', { date, town: town || undefined }, { signal }),
    staleTime: 30_000,
  });
