import type { OverviewTown } from '../../../../shared/contracts/overview.js';

export type RankingRow = { kind: 'town'; town: OverviewTown } | { kind: 'gap'; count: number };

/**
 * The ranking as it fits on the wall: every town when they fit in `maxRows`, else the best and
 * the worst with the number left out between them (the middle of a ranking is what a glance needs least).
 */
export function rankingRows(towns: readonly OverviewTown[], maxRows: number): RankingRow[] {
  if (towns.length <= maxRows) return towns.map((town) => ({ kind: 'town', town }));
  const shown = Math.max(2, maxRows - 1);
  const top = Math.ceil(shown / 2);
  const bottom = shown - top;
  return [
    ...towns.slice(0, top).map((town): RankingRow => ({ kind: 'town', town })),
    { kind: 'gap', count: towns.length - shown },
    ...towns.slice(towns.length - bottom).map((town): RankingRow => ({ kind: 'town', town })),
  ];
}
