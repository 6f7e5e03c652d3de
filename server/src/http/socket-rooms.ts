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
