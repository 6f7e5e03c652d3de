import type { Alert } from '../../../../shared/contracts/alerts.js';
import type { Bus } from '../../core/bus.js';
import { audienceRooms } from '../../http/socket-rooms.js';
import type { GridServer } from '../events/events.socket.js';

/** The rooms that see an alert: the county's, and its town's, in both views (alerts carry no personal data). */
const roomsOf = (alert: Alert): string[] => {
  const towns = alert.townId === null ? [] : [alert.townId];
  return [...audienceRooms(towns, 'full'), ...audienceRooms(towns, 'masked')];
};

/** Pushes the bus's `alert:raised`, `alert:acked` and `alert:cleared` to the rooms of the alert's scope. */
export function registerAlertSocket(io: GridServer, bus: Bus): () => void {
  const stops = (['alert:raised', 'alert:acked', 'alert:cleared'] as const).map((topic) => bus.subscribe(topic, (alert) => io.to(roomsOf(alert)).emit(topic, { alert })));
  return () => {
    for (const stop of stops) stop();
  };
}
