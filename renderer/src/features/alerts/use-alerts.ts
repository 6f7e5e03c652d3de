import { useSyncExternalStore } from 'react';
import { useServices } from '../../app/services';
import type { AlertCenterView } from './alert-center';

export function useAlerts(): AlertCenterView {
  const { alerts } = useServices();
  return useSyncExternalStore(alerts.subscribe, alerts.getView, alerts.getView);
}
