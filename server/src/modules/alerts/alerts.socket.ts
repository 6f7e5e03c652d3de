import type { Alert } from '../../../../shared/contracts/alerts.js';
import type { GridServer } from '../events/events.socket.js';
import type { AlertsService } from './alerts.service.js';

/** The rooms that see an alert: the county's, and its town's (alerts carry no personal data). */
const roomsOf = (alert: Alert): string[] =>
  alert.townId === null ? ['county', 'county:masked'] : ['county', 'county:masked', `town:${alert.townId}`, `town:${alert.townId}:masked`];

/** Pushes `alert:raised` and `alert:acked` (after commit) to the rooms of the alert's scope. */
export function registerAlertSocket(io: GridServer, alerts: AlertsService): () => void {
  const stopRaised = alerts.onRaised((alert) => io.to(roomsOf(alert)).emit('alert:raised', { alert }));
  const stopAcked = alerts.onAcked((alert) => io.to(roomsOf(alert)).emit('alert:acked', { alert }));
  return () => {
    stopRaised();
    stopAcked();
  };
}
