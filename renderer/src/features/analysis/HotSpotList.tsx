import { useTranslation } from 'react-i18next';
import type { HotSpot } from '../../../../shared/contracts/analysis.js';
import type { SearchPlace } from '../../../../shared/contracts/search.js';

export const hotSpotKey = (s: Pick<HotSpot, 'gridId' | 'itemCode'>) => `${s.gridId}/${s.itemCode}`;

const SHOWN_IDS = 3;

/** A micro-grid's name without its grid's (嘉园社区第2网格第6微网格 → 第6微网格): the row names the grid already. */
const shortName = (name: string, grid: string) => (name.startsWith(grid) && name.length > grid.length ? name.slice(grid.length) : name);

export interface HotSpotListProps {
  spots: readonly HotSpot[];
  selected: string | null;
  onSelect(spot: HotSpot): void;
  /** Shows the place on the console's map; without it the list offers no such button. */
  onShowOnMap?: (place: SearchPlace) => void;
  itemName(spot: HotSpot): string;
}

/**
 * The hot spots, ranked: rank, item, count (and how many still open), the place as town › village
 * › grid, the micro-grids where the item came back to the very spot, the first case ids. A row
 * selects the hot spot (the map beside it zooms there); ↑/↓ move between rows.
 */
export function HotSpotList({ spots, selected, onSelect, onShowOnMap, itemName }: HotSpotListProps) {
  const { t } = useTranslation();
  return (
    <ol className="hot-spot-list" data-testid="hot-spot-list">
      {spots.map((s, i) => {
        const key = hotSpotKey(s);
        const isSelected = key === selected;
        return (
          <li key={key} className="hot-spot-row" aria-current={isSelected || undefined} data-testid="hot-spot-row" data-key={key}>
            <button
              type="button"
              className="hot-spot-main"
              aria-pressed={isSelected}
              aria-label={t('analysis.hotSpots.select', { rank: s.rank, item: itemName(s), place: s.placeName })}
              onClick={() => onSelect(s)}
              onKeyDown={(e) => {
                const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
                if (!step) return;
                e.preventDefault();
                const next = spots[i + step];
                if (!next) return;
                onSelect(next);
                const row = (e.currentTarget.closest('li')?.[step > 0 ? 'nextElementSibling' : 'previousElementSibling'] as HTMLElement | null)?.querySelector('button');
                row?.focus();
              }}
            >
              <span className="hot-spot-rank" data-top={s.rank <= 3 || undefined}>
                {s.rank}
              </span>
              <span className="hot-spot-body">
                <span className="hot-spot-title">
                  <span className="hot-spot-item">{itemName(s)}</span>
                  <span className="hot-spot-count">{t('analysis.hotSpots.count', { count: s.count })}</span>
                  {s.open > 0 && <span className="hot-spot-open">{t('analysis.hotSpots.open', { count: s.open })}</span>}
                </span>
                <span className="hot-spot-place">{s.placeName}</span>
                {s.microGrids.length > 0 && (
                  <span className="hot-spot-micro">{t('analysis.hotSpots.microGrids', { list: s.microGrids.map((m) => t('analysis.hotSpots.microGrid', { name: shortName(m.name, s.place.name), count: m.count })).join(t('list.separator')) })}</span>
                )}
                {isSelected && (
                  <span className="hot-spot-cases mono">
                    {t('analysis.hotSpots.cases', { ids: s.caseIds.slice(0, SHOWN_IDS).join('、') })}
                    {s.caseIds.length > SHOWN_IDS && ` ${t('analysis.hotSpots.more', { count: s.caseIds.length - SHOWN_IDS })}`}
                  </span>
                )}
              </span>
            </button>
            {isSelected && onShowOnMap && (
              <button type="button" className="period-chip hot-spot-console" onClick={() => onShowOnMap(s.place)} data-testid="hot-spot-show-on-map">
                {t('analysis.hotSpots.showOnMap')}
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
