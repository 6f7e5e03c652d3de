import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { levelDelivery, REGION_LEVELS, type RegionLevel, type RegionsResponse } from '../../../../shared/contracts/regions.js';
import { useServices } from '../../app/services';
import type { RegionCollection, RegionDelivery } from '../../map/layers/region-layers';
import { unitAnchors } from '../../map/layers/unit-anchors';
import { catalogQuery } from '../catalog/queries';
import { geoQuery, regionsQuery } from './queries';
import { buildRegionIndex, type RegionIndex } from './region-index';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';

export type LoadStep = 'regions' | 'catalog' | RegionLevel;

export interface CountyData {
  regions: RegionsResponse | undefined;
  geo: Partial<Record<RegionLevel, RegionCollection>>;
  /** Which levels come as vector tiles instead of `geo`, and whether county and city lines show; undefined until the tree is read. */
  delivery: RegionDelivery | undefined;
  index: RegionIndex;
  catalog: CatalogResponse | undefined;
  /** Which steps have finished loading. */
  done: Record<LoadStep, boolean>;
  error: Error | null;
  retry(): void;
}

const LEVEL_TOTAL: Record<RegionLevel, keyof RegionsResponse['totals']> = { town: 'towns', village: 'villages', grid: 'grids', microgrid: 'microGrids' };

/**
 * How the map receives the platform's static layers: a level of more than GEOJSON_FEATURE_LIMIT
 * regions as vector tiles from `origin` (a province's 450,000 micro-grids are no document to
 * download), the rest as GeoJSON; county and city lines once the platform holds several counties.
 */
export function regionDelivery(regions: Pick<RegionsResponse, 'totals'> & Partial<Pick<RegionsResponse, 'root'>>, origin: string): RegionDelivery {
  return {
    tiled: REGION_LEVELS.filter((level) => levelDelivery(regions.totals[LEVEL_TOTAL[level]]) === 'tiles'),
    upper: (regions.totals.counties ?? 0) > 1,
    origin,
    // Where the case bubbles of a platform's counties and cities stand at low zoom.
    ...(regions.root ? { units: unitAnchors(regions.root) } : {}),
  };
}

/** Everything static about the platform: the region tree, the GeoJSON levels, how the rest arrive, and the catalog. */
export function useCounty(): CountyData {
  const { api, platform } = useServices();
  const regions = useQuery(regionsQuery(api));
  const catalog = useQuery(catalogQuery(api));
  const delivery = useMemo(() => (regions.data ? regionDelivery(regions.data, platform.serverUrl || window.location.origin) : undefined), [regions.data, platform.serverUrl]);
  // A level is fetched as GeoJSON only once the tree says it is not tiled.
  const geoResults = useQueries({ queries: REGION_LEVELS.map((level) => ({ ...geoQuery(api, level), enabled: delivery !== undefined && !delivery.tiled.includes(level) })) });

  const geoData = geoResults.map((r) => r.data);
  // useQueries returns a new array each render; key the memo on the data objects themselves.
  const [town, village, grid, microgrid] = geoData;
  const geo = useMemo(() => ({ town, village, grid, microgrid }), [town, village, grid, microgrid]);
  const index = useMemo(() => buildRegionIndex([town, village, grid, microgrid]), [town, village, grid, microgrid]);

  const failed = [regions, catalog, ...geoResults].find((r) => r.isError && !r.isFetching);
  // A tiled level is "loaded" with the tree: its tiles come as the map needs them.
  const levelDone = (i: number) => (delivery?.tiled.includes(REGION_LEVELS[i]!) ?? false) || (geoResults[i]?.isSuccess ?? false);
  const refetchers = [regions.refetch, catalog.refetch, ...geoResults.map((r) => r.refetch)];
  const isError = [regions, catalog, ...geoResults].map((r) => r.isError);

  return {
    regions: regions.data,
    geo,
    delivery,
    index,
    catalog: catalog.data,
    done: {
      regions: regions.isSuccess,
      catalog: catalog.isSuccess,
      town: levelDone(0),
      village: levelDone(1),
      grid: levelDone(2),
      microgrid: levelDone(3),
    },
    error: failed?.error ?? null,
    retry: () => {
      refetchers.forEach((refetch, i) => {
        if (isError[i]) void refetch();
      });
    },
  };
}
