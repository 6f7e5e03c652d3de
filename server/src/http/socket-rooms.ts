import type { Scope } from '../../../shared/contracts/auth.js';

/**
 * Which part of the live feed a socket may hear: its towns (or the whole county), and whether
 * it sees personal data (`full`) or the masked view. One room per pair, named here only:
 * `county`, `county:masked`, `town:<id>`, `town:<id>:masked`.
 */
export type RoomView = 'full' | 'masked';

const room = (base: string, view: RoomView) => (view === 'full' ? base : `${base}:masked`);

/** The rooms a socket joins: the county's for county-wide users, else one per town of its scope. */
export function viewerRooms(scope: Scope, view: RoomView): string[] {
  return scope.kind === 'county' ? [room('county', view)] : scope.towns.map((t) => room(`town:${t}`, view));
}

/** The rooms that hear of something in these towns (the county's always do), in one view. */
export function audienceRooms(towns: readonly string[], view: RoomView): string[] {
  return [room('county', view), ...towns.map((t) => room(`town:${t}`, view))];
}

/**
 * The rooms of the regions a scope was granted (`area:<id>`: a city, a county, a town): what is
 * addressed to a region above the towns, a city's 市级交办 results, goes there and not to the
 * towns below it. One view: such pushes (alerts) carry no personal data.
 */
export function areaRooms(scope: Scope): string[] {
  return scope.kind === 'county' ? [] : scope.areas.map((a) => `area:${a}`);
}

/** The rooms that hear of something addressed to these regions: the whole platform's, both views, and each region's. */
export function regionAudienceRooms(regionIds: readonly string[]): string[] {
  return ['county', 'county:masked', ...regionIds.map((r) => `area:${r}`)];
}
