import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { GridWorkerResponse, KpiGroupBy, KpiResponse } from '../../../../shared/contracts/kpi.js';
import type { ApiClient } from '../../app/api-client';

/** The period in plain days (`to` inclusive, as `GET /api/v1/kpis` reads a day) and the town ('' for all). */
export interface EvaluationPeriod {
  from: string;
  to: string;
  town: string;
}

const query = (p: EvaluationPeriod) => ({ from: p.from, to: p.to, town: p.town || undefined });
const common = { placeholderData: keepPreviousData, staleTime: 60_000 } as const;

export const kpiQuery = (api: ApiClient, p: EvaluationPeriod, groupBy: KpiGroupBy) =>
  queryOptions({
    queryKey: ['kpis', p.from, p.to, p.town, groupBy],
    queryFn: ({ signal }) => api.get<KpiResponse>('/kpis', { ...query(p), groupBy }, { signal }),
    ...common,
  });

export const gridWorkerQuery = (api: ApiClient, p: EvaluationPeriod) =>
  queryOptions({
    queryKey: ['kpis', 'grid-workers', p.from, p.to, p.town],
    queryFn: ({ signal }) => api.get<GridWorkerResponse>('/kpis/grid-workers', query(p), { signal }),
    ...common,
  });

export const exportQuery = (p: EvaluationPeriod, table: string): Record<string, string> => {
  const q: Record<string, string> = { from: p.from, to: p.to, groupBy: table };
  if (p.town) q.town = p.town;
  return q;
};
