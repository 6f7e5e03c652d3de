import type { Bus } from '../../core/bus.js';
import { audienceRooms } from '../../http/socket-rooms.js';
import type { GridServer } from '../events/events.socket.js';

/**
 * Pushes the bus's `triage:changed` to the consoles that may work the queue: the county's and
 * the item's town's rooms, full view only (the wall and masked roles have no triage work). The
 * payload carries no personal data: consoles refetch `GET /api/v1/triage`, which checks the role.
 */
export function registerTriageSocket(io: GridServer, bus: Bus): () => void {
  return bus.subscribe('triage:changed', (payload) => {
    io.to(audienceRooms(payload.townId === null ? [] : [payload.townId], 'full')).emit('triage:changed', payload);
  });
}
