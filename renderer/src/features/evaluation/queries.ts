import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { GridWorkerResponse, KpiGroupBy, KpiResponse } from '../../../../shared/contracts/kpi.js';
import type { ApiClient } from '../../app/api-client';

/**
 * The period in plain days (`to` inclusive, as `GET /api/v1/kpis` reads a day), the town ('' for
 * all) and the county or city drilled into ('' for none; a town chosen goes first: the API takes one).
 */
export interface EvaluationPeriod {
  from: string;
  to: string;
  town: string;
  area: string;
}

const query = (p: EvaluationPeriod) => ({ from: p.from, to: p.to, town: p.town || undefined, area: p.town ? undefined : p.area || undefined });
const common = { placeholderData: keepPreviousData, staleTime: 60_000 } as const;

export const kpiQuery = (api: ApiClient, p: EvaluationPeriod, groupBy: KpiGroupBy) =>
  queryOptions({
    queryKey: ['kpis', p.from, p.to, p.town, p.area, groupBy],
    queryFn: ({ signal }) => api.get<KpiResponse>('/kpis', { ...query(p), groupBy }, { signal }),
    ...common,
  });

export const gridWorkerQuery = (api: ApiClient, p: EvaluationPeriod) =>
  queryOptions({
    queryKey: ['kpis', 'grid-workers', p.from, p.to, p.town, p.area],
    queryFn: ({ signal }) => api.get<GridWorkerResponse>('/kpis/grid-workers', query(p), { signal }),
    ...common,
  });

export const exportQuery = (p: EvaluationPeriod, table: string): Record<string, string> => {
  const q: Record<string, string> = { from: p.from, to: p.to, groupBy: table };
  if (p.town) q.town = p.town;
  else if (p.area) q.area = p.area;
  return q;
};
