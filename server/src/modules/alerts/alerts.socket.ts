import type { Alert } from '../../../../shared/contracts/alerts.js';
import type { Bus } from '../../core/bus.js';
import { audienceRooms, regionAudienceRooms } from '../../http/socket-rooms.js';
import type { GridServer } from '../events/events.socket.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { AlertsRepo } from './alerts.repo.js';

/**
 * Pushes the bus's `alert:raised`, `alert:acked` and `alert:cleared` to the rooms of the alert's
 * scope: the whole platform's, and its town's, or for an alert of no town the towns of the county
 * its team serves (seesAlert), in both views (alerts carry no personal data); one addressed to a
 * region above the towns (a city's 交办结果) to that region's room only. The county of an alert of
 * no town is read from the store; the pushes keep the bus's order (a cleared alert before the one
 * raised in its place): while a read is pending, the alerts after it wait their turn.
 */
export function registerAlertSocket(io: GridServer, deps: { bus: Bus; repo: Pick<AlertsRepo, 'teamCounty'>; regions: Pick<RegionIndex, 'townsUnder'>; onError?: (err: unknown) => void }): () => void {
  const roomsOfTowns = (towns: readonly string[]): string[] => [...audienceRooms(towns, 'full'), ...audienceRooms(towns, 'masked')];
  /** The rooms at once when the alert names them, else null (its team's county is to be read). */
  const knownRooms = (alert: Alert): string[] | null => {
    if (alert.regionId !== null) return regionAudienceRooms([alert.regionId]);
    return alert.townId !== null ? roomsOfTowns([alert.townId]) : null;
  };
  const roomsOf = async (alert: Alert): Promise<string[]> => {
    const county = await deps.repo.teamCounty(alert.id);
    return roomsOfTowns(county !== null ? deps.regions.townsUnder(county) : []);
  };
  // pushes waiting behind a county read, in the bus's order
  let pending: Promise<void> | null = null;
  const push = (topic: 'alert:raised' | 'alert:acked' | 'alert:cleared', alert: Alert) => {
    const rooms = pending ? null : knownRooms(alert);
    if (rooms) {
      io.to(rooms).emit(topic, { alert });
      return;
    }
    const turn: Promise<void> = (pending ?? Promise.resolve())
      .then(async () => {
        io.to(knownRooms(alert) ?? (await roomsOf(alert))).emit(topic, { alert });
      })
      .catch((err: unknown) => deps.onError?.(err))
      .finally(() => {
        if (pending === turn) pending = null;
      });
    pending = turn;
  };
  const stops = (['alert:raised', 'alert:acked', 'alert:cleared'] as const).map((topic) => deps.bus.subscribe(topic, (alert) => push(topic, alert)));
  return () => {
    for (const stop of stops) stop();
  };
}
