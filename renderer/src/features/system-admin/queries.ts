import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { RetentionSettings, ShiftSchedule } from '../../../../shared/contracts/settings.js';
import type { SystemHealthResponse } from '../../../../shared/contracts/system.js';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import type { ApiClient } from '../../app/api-client';
import { useServices } from '../../app/services';

/** How the server is doing; read every 15 s while the health section is open. */
export const systemHealthQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['system', 'health'],
    queryFn: ({ signal }) => api.get<SystemHealthResponse>('/system/health', undefined, { signal }),
    refetchInterval: 15_000,
  });

/** The settings the system administrator edits, by their path under `/settings`. */
export interface SettingsKinds {
  workflow: WorkflowSettings;
  shifts: ShiftSchedule;
  retention: RetentionSettings;
}

export const settingsQuery = <K extends keyof SettingsKinds>(api: ApiClient, kind: K) =>
  queryOptions({
    queryKey: ['settings', kind],
    queryFn: ({ signal }) => api.get<SettingsKinds[K]>(`/settings/${kind}`, undefined, { signal }),
    // an edit in progress must not be overwritten by a refetch on focus
    refetchOnWindowFocus: false,
  });

/** Replaces one kind of settings; the stored value the server answers becomes the cached one. */
export function useSaveSettings<K extends keyof SettingsKinds>(kind: K) {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (value: SettingsKinds[K]) => api.put<SettingsKinds[K]>(`/settings/${kind}`, value),
    onSuccess: (stored) => {
      client.setQueryData(['settings', kind], stored);
      void client.invalidateQueries({ queryKey: ['system', 'health'] });
    },
  });
}
