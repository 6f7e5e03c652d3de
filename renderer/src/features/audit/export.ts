import { useMutation } from '@tanstack/react-query';
import type { AuditFilter } from '../../../../shared/contracts/audit.js';
import { ApiRequestError } from '../../app/api-client';
import { useServices } from '../../app/services';
import { currentLanguage } from '../../i18n/i18n';
import { attachmentName, auditExportQuery } from './audit-format';

/**
 * Downloads `GET /api/v1/audit/export` as a file. The route needs the bearer token, which a plain
 * link cannot send: so fetch, take the body as a Blob and hand it to the browser's download.
 */
export function useAuditExport() {
  const { platform, session } = useServices();
  return useMutation({
    mutationFn: async (filter: AuditFilter): Promise<string> => {
      const token = session.token();
      const url = new URL('/api/v1/audit/export', platform.serverUrl || window.location.origin);
      for (const [key, value] of Object.entries(auditExportQuery(filter))) url.searchParams.set(key, value);
      const headers: Record<string, string> = { Accept: 'text/csv', 'Accept-Language': currentLanguage() };
      if (token) headers.Authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await window.fetch(url, { headers });
      } catch (err) {
        throw new ApiRequestError(err instanceof Error ? err.message : String(err), 0, 'network');
      }
      if (response.status === 401 && token) session.end('unauthenticated', token);
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
        throw new ApiRequestError(typeof message === 'string' ? message : `HTTP ${response.status}`, response.status, 'bad_response');
      }
      const blob = await response.blob();
      const name = attachmentName(response.headers.get('Content-Disposition'), 'audit.csv');
      const href = URL.createObjectURL(blob);
      try {
        const link = document.createElement('a');
        link.href = href;
        link.download = name;
        link.rel = 'noopener';
        document.body.append(link);
        link.click();
        link.remove();
      } finally {
        // The click has handed the blob to the download by the next task.
        setTimeout(() => URL.revokeObjectURL(href), 0);
      }
      return name;
    },
  });
}
