import type { OverviewResponse, OverviewTown, OverviewUnitLevel } from '../../../../shared/contracts/overview.js';

/** One row of the wall's ranking: a town, or on a platform of several counties a county or city. */
export type RankingEntry = Omit<OverviewTown, 'townId'> & { id: string };

/** What the ranking ranks. */
export type RankingUnit = 'town' | OverviewUnitLevel;

/**
 * What the wall ranks: on a platform the counties (one city) or the cities (a province), since
 * 1,349 towns with six 城东街道 among them read as nothing from across the room; a county's
 * towns otherwise. A server that does not send `units` yet ranks its towns, as before.
 */
export function rankingOf(overview: Pick<OverviewResponse, 'towns'> & Partial<Pick<OverviewResponse, 'units' | 'unitLevel'>>): { unit: RankingUnit; entries: RankingEntry[] } {
  if (overview.unitLevel && overview.units && overview.units.length > 0) {
    return { unit: overview.unitLevel, entries: overview.units.map(({ unitId, level: _level, ...rest }) => ({ id: unitId, ...rest })) };
  }
  return { unit: 'town', entries: overview.towns.map(({ townId, ...rest }) => ({ id: townId, ...rest })) };
}

export type RankingRow<T = RankingEntry> = { kind: 'town'; town: T } | { kind: 'gap'; count: number };

/**
 * The ranking as it fits on the wall: every row when they fit in `maxRows`, else the best and
 * the worst with the number left out between them (the middle of a ranking is what a glance needs least).
 */
export function rankingRows<T>(towns: readonly T[], maxRows: number): RankingRow<T>[] {
  if (towns.length <= maxRows) return towns.map((town) => ({ kind: 'town', town }));
  const shown = Math.max(2, maxRows - 1);
  const top = Math.ceil(shown / 2);
  const bottom = shown - top;
  return [
    ...towns.slice(0, top).map((town): RankingRow<T> => ({ kind: 'town', town })),
    { kind: 'gap', count: towns.length - shown },
    ...towns.slice(towns.length - bottom).map((town): RankingRow<T> => ({ kind: 'town', town })),
  ];
}
