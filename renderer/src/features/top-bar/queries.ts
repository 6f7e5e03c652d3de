import { queryOptions } from '@tanstack/react-query';
import type { KpiResponse } from '../../../../shared/contracts/kpi.js';
import type { ApiClient } from '../../app/api-client';

const DAY_MS = 86_400_000;

/** Today's KPIs (county day starting at `dayStart`), for the machine-dispatch share in the top bar. */
export const kpiTodayQuery = (api: ApiClient, dayStart: number) =>
  queryOptions({
    queryKey: ['kpis', 'today', dayStart],
    queryFn: ({ signal }) =>
      api.get<KpiResponse>('/kpis', { from: new Date(dayStart).toISOString(), to: new Date(dayStart + DAY_MS).toISOString() }, { signal }),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });

/** A percentage as the top bar shows it: whole numbers, one decimal under 10 %. */
export function formatShare(share: number | null): string | null {
  if (share === null || !Number.isFinite(share)) return null;
  return `${share < 10 && share > 0 ? share.toFixed(1) : Math.round(share)}%`;
}
