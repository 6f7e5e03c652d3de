import type { RegionLevel } from '../../../../shared/contracts/regions.js';
import type { RegionCollection } from '../../map/layers/region-layers';

export interface RegionEntry {
  id: string;
  name: string;
  level: RegionLevel;
  parentId: string;
}

/** Region names by id, from whatever geo levels have loaded. */
export type RegionIndex = ReadonlyMap<string, RegionEntry>;

export function buildRegionIndex(collections: Iterable<RegionCollection | undefined>): RegionIndex {
  const index = new Map<string, RegionEntry>();
  for (const collection of collections) {
    if (!collection) continue;
    for (const f of collection.features) {
      const p = f.properties;
      if (p) index.set(p.id, { id: p.id, name: p.name, level: p.level, parentId: p.parentId });
    }
  }
  return index;
}

interface RegionIds {
  townId: string;
  villageId: string;
  gridId: string;
  microGridId: string;
}

/** Names from town down to `depth` (grid for the queue, micro-grid for the detail), unknown ids skipped. */
export function regionChain(index: RegionIndex, ids: RegionIds, depth: 'grid' | 'microgrid'): string[] {
  const chain = [ids.townId, ids.villageId, ids.gridId];
  if (depth === 'microgrid') chain.push(ids.microGridId);
  const names: string[] = [];
  for (const id of chain) {
    const entry = index.get(id);
    if (entry) names.push(entry.name);
  }
  return names;
}

export const PLACE_SEPARATOR = ' › ';

/** "town › village › grid", or the event's own address while the regions are not loaded. */
export function placeLabel(index: RegionIndex, event: RegionIds & { address: string }): string {
  const names = regionChain(index, event, 'grid');
  return names.length ? names.join(PLACE_SEPARATOR) : event.address;
}
