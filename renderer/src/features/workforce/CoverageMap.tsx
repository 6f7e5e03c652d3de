import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CJK_FONT_STACK } from '../../app/theme';
import { useServices } from '../../app/services';
import { coverageBounds, coverageCounts, COVERAGE_COLORS, buildCoverageStyle } from './coverage-style';
import { ReadFailed } from './DetailState';
import { coverageQuery } from './queries';

// Vite does not emit MapLibre's worker on its own (as in map/map-controller.ts).
setWorkerUrl(workerUrl);

/**
 * 巡查覆盖: the micro-grids the worker serves, patrolled or not in the period, and the patrol
 * track, on a small map of their own (no tiles: the geometry comes with the answer). The counts
 * are written beside it, so the figure does not depend on reading colours.
 */
export function CoverageMap({ workerId, from, to }: { workerId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const coverage = useQuery(coverageQuery(api, workerId, from, to));
  const [failed, setFailed] = useState(false);
  const words = useMemo(() => ({ covered: t('workforce.coverage.covered'), uncovered: t('workforce.coverage.uncovered') }), [t]);
  const style = useMemo(() => (coverage.data ? buildCoverageStyle(coverage.data, words) : null), [coverage.data, words]);
  const bounds = useMemo(() => coverageBounds(coverage.data), [coverage.data]);
  const counts = coverageCounts(coverage.data);

  const attach = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element || !style || !bounds) return;
      let map: MapLibreMap;
      try {
        map = new MapLibreMap({
          container: element,
          style,
          bounds,
          fitBoundsOptions: { padding: 24, maxZoom: 17 },
          attributionControl: false,
          dragRotate: false,
          pitchWithRotate: false,
          maxPitch: 0,
          fadeDuration: 0,
          localIdeographFontFamily: CJK_FONT_STACK.join(', '),
        });
      } catch {
        // no WebGL: the counts beside the map still say it
        setFailed(true);
        return;
      }
      map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      map.once('load', () => {
        element.dataset.ready = 'yes';
      });
      return () => map.remove();
    },
    [style, bounds],
  );

  return (
    <div className="workforce-coverage" data-testid="worker-coverage">
      <h3>{t('workforce.coverage.title')}</h3>
      {coverage.isError ? (
        <ReadFailed error={coverage.error} retry={() => void coverage.refetch()} />
      ) : coverage.isPending ? (
        <div className="analysis-state" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> {t('workforce.coverage.loading')}
        </div>
      ) : !bounds ? (
        <p className="admin-empty">{t('workforce.coverage.empty')}</p>
      ) : (
        <>
          <ul className="workforce-coverage-legend" data-testid="coverage-legend">
            <li>
              <span className="workforce-swatch" style={{ borderColor: COVERAGE_COLORS.covered, background: `${COVERAGE_COLORS.covered}55` }} aria-hidden="true" />✓{' '}
              {t('workforce.coverage.covered')} <strong className="num">{counts.covered}</strong>
            </li>
            <li>
              <span className="workforce-swatch workforce-swatch-dashed" style={{ borderColor: COVERAGE_COLORS.uncovered }} aria-hidden="true" />✗{' '}
              {t('workforce.coverage.uncovered')} <strong className="num">{counts.uncovered}</strong>
            </li>
            <li>
              <span className="workforce-swatch-line" style={{ background: COVERAGE_COLORS.track }} aria-hidden="true" /> {t('workforce.coverage.track')}
            </li>
          </ul>
          {failed ? (
            <p className="admin-empty">{t('workforce.coverage.noMap')}</p>
          ) : (
            <div className="workforce-coverage-map" ref={attach} role="img" aria-label={t('workforce.coverage.title')} data-testid="coverage-map" />
          )}
        </>
      )}
    </div>
  );
}
