import { queryOptions } from '@tanstack/react-query';
import type { AddressDetail, AddressSearchResponse } from '../../../../shared/contracts/addresses.js';
import type { ApiClient } from '../../app/api-client';

/** Most addresses the search box lists: a box is for finding one, not for browsing a village. */
export const ADDRESSES_IN_SEARCH = 8;

/**
 * Households whose address or code matches what was typed, best first. One more than shown is
 * asked for, so the list can say there are more.
 */
export const addressSearchQuery = (api: ApiClient, q: string) =>
  queryOptions({
    queryKey: ['addresses', q],
    queryFn: ({ signal }) => api.get<AddressSearchResponse>('/addresses', { q, limit: ADDRESSES_IN_SEARCH + 1 }, { signal }),
    // addresses change only with an import: a typed-again query is answered at once
    staleTime: 60_000,
    retry: false,
  });

/** The place card: regions, roster, teams and open cases at one address. Open cases move: kept briefly. */
export const addressDetailQuery = (api: ApiClient, code: string) =>
  queryOptions({
    queryKey: ['address', code],
    queryFn: ({ signal }) => api.get<AddressDetail>(`/addresses/${encodeURIComponent(code)}`, undefined, { signal }),
    staleTime: 10_000,
  });
