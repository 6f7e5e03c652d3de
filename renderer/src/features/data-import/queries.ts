import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportJob } from '../../../../shared/contracts/imports.js';
import type { ApiClient, QueryValue } from '../../app/api-client';
import { useServices } from '../../app/services';

/** A validation job, polled while it runs (the server does not push it: one administrator's work). */
export const importJobQuery = (api: ApiClient, id: string | null) =>
  queryOptions({
    queryKey: ['imports', id],
    queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, undefined, { signal }),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.state === 'validating' ? 250 : false),
    refetchOnWindowFocus: false,
  });

/** Uploads a file to be checked; the server answers 202 with the job at once. */
export function useStartImport() {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file, query }: { kind: ImportJob['kind']; file: File; query: Record<string, QueryValue> }) =>
      // sent as plain bytes: the server reads what the file is from its content, whatever type the browser guesses
      api.postFile<ImportJob>(`/imports/${kind}`, new Blob([file], { type: 'application/octet-stream' }), query, { headers: { 'X-File-Name': encodeURIComponent(file.name) } }),
    onSuccess: (job) => client.setQueryData(['imports', job.id], job),
  });
}

/** Writes a checked import, all or nothing; the map's regions are read again afterwards. */
export function useWriteImport() {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ImportJob>(`/imports/${id}/write`),
    onSuccess: (job) => {
      client.setQueryData(['imports', job.id], job);
      void client.invalidateQueries({ queryKey: ['regions'] });
      void client.invalidateQueries({ queryKey: ['geo'] });
    },
  });
}
