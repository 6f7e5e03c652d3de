import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { REGION_LEVELS, type RegionLevel, type RegionsResponse } from '../../../../shared/contracts/regions.js';
import { useServices } from '../../app/services';
import type { RegionCollection } from '../../map/layers/region-layers';
import { catalogQuery } from '../catalog/queries';
import { geoQuery, regionsQuery } from './queries';
import { buildRegionIndex, type RegionIndex } from './region-index';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';

export type LoadStep = 'regions' | 'catalog' | RegionLevel;

export interface CountyData {
  regions: RegionsResponse | undefined;
  geo: Partial<Record<RegionLevel, RegionCollection>>;
  index: RegionIndex;
  catalog: CatalogResponse | undefined;
  /** Which steps have finished loading. */
  done: Record<LoadStep, boolean>;
  error: Error | null;
  retry(): void;
}

/** Everything static about the county: the region tree, the four geo levels and the catalog. */
export function useCounty(): CountyData {
  const { api } = useServices();
  const regions = useQuery(regionsQuery(api));
  const catalog = useQuery(catalogQuery(api));
  const geoResults = useQueries({ queries: REGION_LEVELS.map((level) => geoQuery(api, level)) });

  const geoData = geoResults.map((r) => r.data);
  // useQueries returns a new array each render; key the memo on the data objects themselves.
  const [town, village, grid, microgrid] = geoData;
  const geo = useMemo(() => ({ town, village, grid, microgrid }), [town, village, grid, microgrid]);
  const index = useMemo(() => buildRegionIndex([town, village, grid, microgrid]), [town, village, grid, microgrid]);

  const failed = [regions, catalog, ...geoResults].find((r) => r.isError && !r.isFetching);
  const refetchers = [regions.refetch, catalog.refetch, ...geoResults.map((r) => r.refetch)];
  const isError = [regions, catalog, ...geoResults].map((r) => r.isError);

  return {
    regions: regions.data,
    geo,
    index,
    catalog: catalog.data,
    done: {
      regions: regions.isSuccess,
      catalog: catalog.isSuccess,
      town: geoResults[0]?.isSuccess ?? false,
      village: geoResults[1]?.isSuccess ?? false,
      grid: geoResults[2]?.isSuccess ?? false,
      microgrid: geoResults[3]?.isSuccess ?? false,
    },
    error: failed?.error ?? null,
    retry: () => {
      refetchers.forEach((refetch, i) => {
        if (isError[i]) void refetch();
      });
    },
  };
}
