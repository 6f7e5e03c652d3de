import { useMutation } from '@tanstack/react-query';
import type { AuditFilter } from '../../../../shared/contracts/audit.js';
import { downloadExport } from '../../app/download';
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
      const url = new URL('/api/v1/audit/export', platform.serverUrl || window.location.origin);
      for (const [key, value] of Object.entries(auditExportQuery(filter))) url.searchParams.set(key, value);
      return downloadExport({
        url,
        token: session.token(),
        language: currentLanguage(),
        accept: 'text/csv',
        fileName: (disposition) => attachmentName(disposition, 'audit.csv'),
        onUnauthenticated: (token) => session.end('unauthenticated', token),
      });
    },
  });
}
