import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { downloadExport, type DownloadProgress } from '../../app/download';
import { useServices } from '../../app/services';
import { currentLanguage } from '../../i18n/i18n';
import { attachmentName } from '../audit/audit-format';

/**
 * Downloads `GET /api/v1/kpis/export.xlsx` as a file, with its progress: the route needs the
 * bearer token, which a plain link cannot send, so the body is read as a stream (its length is
 * known) and handed to the browser's download at the end. A refusal shows the server's own message.
 */
export function useKpiExport() {
  const { platform, session } = useServices();
  // received / total bytes of the download running now; total null until the headers arrive
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: async (query: Record<string, string>): Promise<string> => {
      setProgress({ received: 0, total: null });
      try {
        const url = new URL('/api/v1/kpis/export.xlsx', platform.serverUrl || window.location.origin);
        for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
        return await downloadExport({
          url,
          token: session.token(),
          language: currentLanguage(),
          fileName: (disposition) => attachmentName(disposition, 'kpi.xlsx'),
          onProgress: setProgress,
          onUnauthenticated: (token) => session.end('unauthenticated', token),
        });
      } finally {
        setProgress(null);
      }
    },
  });
  return { ...mutation, progress };
}
