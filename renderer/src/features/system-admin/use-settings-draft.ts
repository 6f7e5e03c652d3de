import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useServices } from '../../app/services';
import { settingsQuery, useSaveSettings, type SettingsKinds } from './queries';

/**
 * An edit of one kind of settings: the stored value, a draft the administrator changes (null
 * until they change something), whether it differs, and the save.
 */
export function useSettingsDraft<K extends keyof SettingsKinds>(kind: K) {
  const { api } = useServices();
  const stored = useQuery(settingsQuery(api, kind));
  const save = useSaveSettings(kind);
  const [draft, setDraft] = useState<SettingsKinds[K] | null>(null);
  const value = draft ?? stored.data ?? null;
  const dirty = draft !== null && stored.data !== undefined && JSON.stringify(draft) !== JSON.stringify(stored.data);
  return { stored, save, value, dirty, setDraft, discard: () => setDraft(null) };
}
