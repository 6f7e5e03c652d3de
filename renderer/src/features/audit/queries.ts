import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AuditFilter, AuditListResponse } from '../../../../shared/contracts/audit.js';
import type { ApiClient } from '../../app/api-client';
import { auditListQuery } from './audit-format';

/**
 * One page of the audit trail, newest first. Every read is itself audited on the server, so it
 * is fetched when the auditor asks (a search, a page), not on focus or on a timer.
 */
export const auditPageQuery = (api: ApiClient, filter: AuditFilter, page: number, pageSize: number) =>
  queryOptions({
    queryKey: ['audit', filter, page, pageSize],
    queryFn: ({ signal }) => api.get<AuditListResponse>('/audit', auditListQuery(filter, page, pageSize), { signal }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
