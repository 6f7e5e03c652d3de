import { queryOptions } from '@tanstack/react-query';
import type { BriefingResponse } from '../../../../shared/contracts/briefing.js';
import type { ShiftSchedule } from '../../../../shared/contracts/settings.js';
import type { ApiClient } from '../../app/api-client';
import type { BriefingMap } from './BriefingDocument';
import { sanitizeMapSvg } from './map-svg';

/** A briefing's period as the URL and the API take it; both absent: the shift ending now (the server decides). */
export interface BriefingPeriodQuery {
  from?: string;
  to?: string;
}

/** The period a URL asks for: `from` and `to` as the API takes them; none for the shift ending now. */
export function periodOfSearch(search: URLSearchParams): BriefingPeriodQuery {
  const from = search.get('from') ?? undefined;
  const to = search.get('to') ?? undefined;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** The map query's state as the document draws it. */
export function mapState(q: { data?: string; error: Error | null; isPending: boolean }): BriefingMap {
  if (q.data !== undefined) return { state: 'ready', svg: q.data };
  if (q.error) return { state: 'failed', message: q.error.message };
  return { state: 'loading' };
}

const periodKey = (p: BriefingPeriodQuery) => [p.from ?? 'now', p.to ?? 'now'];

export const briefingQuery = (api: ApiClient, period: BriefingPeriodQuery) =>
  queryOptions({
    queryKey: ['briefing', ...periodKey(period)],
    queryFn: ({ signal }) => api.get<BriefingResponse>('/briefings', { from: period.from, to: period.to }, { signal }),
    // A past shift's figures do not change; a running one's do, but a briefing is read, not watched.
    staleTime: 60_000,
  });

/**
 * The map picture as an SVG element's markup, sanitised: it is inlined into the page (so it
 * prints as vector and its names are text), fetched with the session's token.
 */
export const briefingMapQuery = (api: ApiClient, period: BriefingPeriodQuery) =>
  queryOptions({
    queryKey: ['briefing-map', ...periodKey(period)],
    queryFn: async ({ signal }) => {
      const query = new URLSearchParams();
      if (period.from) query.set('from', period.from);
      if (period.to) query.set('to', period.to);
      const path = `/briefings/map.svg${query.size > 0 ? `?${query.toString()}` : ''}`;
      return sanitizeMapSvg(await (await api.getBlob(path, { signal })).text());
    },
    staleTime: 60_000,
  });

/** The shift schedule, for the shift picker (its own key: the administrator's settings screen caches the same data under another). */
export const shiftScheduleQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['briefing-shifts'],
    queryFn: ({ signal }) => api.get<ShiftSchedule>('/settings/shifts', undefined, { signal }),
    staleTime: 5 * 60_000,
  });
