import { useSyncExternalStore } from 'react';
import type { AlertCenterView } from '../../app/alerts/alert-center';
import { useServices } from '../../app/services';

export function useAlerts(): AlertCenterView {
  const { alerts } = useServices();
  return useSyncExternalStore(alerts.subscribe, alerts.getView, alerts.getView);
}
