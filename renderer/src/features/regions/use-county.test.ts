import { describe, expect, it } from 'vitest';
import { GEOJSON_FEATURE_LIMIT, type RegionsResponse } from '../../../../shared/contracts/regions.js';
import { regionDelivery } from './use-county';

const totals = (over: Partial<RegionsResponse['totals']>): Pick<RegionsResponse, 'totals'> => ({
  totals: { cities: 0, counties: 1, towns: 12, villages: 180, grids: 700, microGrids: 3739, households: 0, workers: 0, fullTimeWorkers: 0, teams: 0, ...over },
});

describe('regionDelivery', () => {
  it('keeps a county on GeoJSON throughout, without county or city lines', () => {
    expect(regionDelivery(totals({}), 'http://h:1')).toEqual({ tiled: [], upper: false, origin: 'http://h:1' });
  });

  it('tiles each level above the limit and draws county lines on a platform of several counties', () => {
    expect(regionDelivery(totals({ cities: 1, counties: 3, microGrids: GEOJSON_FEATURE_LIMIT + 1 }), 'http://h:1')).toEqual({ tiled: ['microgrid'], upper: true, origin: 'http://h:1' });
    expect(regionDelivery(totals({ cities: 11, counties: 90, towns: 1360, villages: 24000, grids: 85000, microGrids: 450000 }), '').tiled).toEqual(['village', 'grid', 'microgrid']);
    expect(regionDelivery(totals({ microGrids: GEOJSON_FEATURE_LIMIT }), '').tiled).toEqual([]);
  });
});
