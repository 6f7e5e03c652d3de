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
 * region above the towns (a city's 交办结果) to that region's room only.
 */
export function registerAlertSocket(io: GridServer, deps: { bus: Bus; repo: Pick<AlertsRepo, 'teamCounty'>; regions: Pick<RegionIndex, 'townsUnder'> }): () => void {
  const roomsOf = (alert: Alert): string[] => {
    if (alert.regionId !== null) return regionAudienceRooms([alert.regionId]);
    const county = alert.townId === null ? deps.repo.teamCounty(alert.id) : null;
    const towns = alert.townId !== null ? [alert.townId] : county !== null ? deps.regions.townsUnder(county) : [];
    return [...audienceRooms(towns, 'full'), ...audienceRooms(towns, 'masked')];
  };
  const stops = (['alert:raised', 'alert:acked', 'alert:cleared'] as const).map((topic) => deps.bus.subscribe(topic, (alert) => io.to(roomsOf(alert)).emit(topic, { alert })));
  return () => {
    for (const stop of stops) stop();
  };
}
