import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotSpot } from '../../../../shared/contracts/analysis.js';
import { ChartCard } from '../../app/charts/ChartCard';
import { useServices } from '../../app/services';
import { geoQuery } from '../regions/queries';
import { HOT_SPOT_MAPS, hotSpotMapOption } from './chart-options';

export interface HotSpotMapProps {
  spots: readonly HotSpot[];
  selected: HotSpot | null;
  onSelect(spot: HotSpot): void;
  onReset(): void;
  /** The bounds to show: the county, the user's towns or the town filtered on. */
  bbox: [number, number, number, number] | undefined;
  itemName(spot: HotSpot): string;
  filename: string;
  empty: boolean;
}

/**
 * The hot spots as a heat layer over the county's own boundaries (towns and grids, no tiles):
 * an ECharts map, so it is saved as a picture like every other chart. A marker per hot spot,
 * numbered by rank; a click on one (or on a row of the list) outlines its grid and zooms to it.
 */
export function HotSpotMap({ spots, selected, onSelect, onReset, bbox, itemName, filename, empty }: HotSpotMapProps) {
  const { t } = useTranslation();
  const { api } = useServices();
  const grids = useQuery(geoQuery(api, 'grid'));
  const towns = useQuery(geoQuery(api, 'town'));
  const geoMaps = useMemo(() => (grids.data && towns.data ? { [HOT_SPOT_MAPS.grids]: grids.data, [HOT_SPOT_MAPS.towns]: towns.data } : undefined), [grids.data, towns.data]);
  const townNames = useMemo(() => Object.fromEntries((towns.data?.features ?? []).map((f) => [f.properties.id, f.properties.name])), [towns.data]);
  const option = useMemo(
    () =>
      bbox
        ? hotSpotMapOption({
            spots,
            bbox,
            townNames,
            selected,
            itemName,
            spotLabel: (s) => t('analysis.map.spot', { rank: s.rank, item: itemName(s), count: s.count }),
          })
        : {},
    [spots, bbox, townNames, selected, itemName, t],
  );
  const ready = Boolean(geoMaps && bbox);
  return (
    <div className="hot-spot-map" data-testid="hot-spot-map" data-focus={selected?.gridId ?? ''}>
      <ChartCard
        title={t('analysis.map.title')}
        filename={filename}
        label={t('analysis.map.title')}
        option={option}
        geoMaps={geoMaps}
        still
        empty={empty || !ready}
        emptyText={ready ? t('analysis.hotSpots.none') : t('analysis.map.loadingMap')}
        onItemClick={(click) => {
          const spot = click.seriesIndex === 1 ? spots[click.dataIndex] : click.seriesIndex === 2 ? selected : undefined;
          if (spot) onSelect(spot);
        }}
        extra={
          selected ? (
            <span className="hot-spot-map-focus" data-testid="hot-spot-map-focus">
              {t('analysis.map.focus', { place: selected.placeName })}
              <button type="button" className="period-chip" onClick={onReset}>
                {t('analysis.map.reset')}
              </button>
            </span>
          ) : null
        }
      />
    </div>
  );
}
