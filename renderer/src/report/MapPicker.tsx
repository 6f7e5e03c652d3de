import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type ExpressionSpecification, type GeoJSONSource, type StyleSpecification, type SymbolLayerSpecification } from 'maplibre-gl';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CJK_FONT_STACK } from '../app/theme';
import { countyBounds, type PublicLayers } from './place';

// Vite does not emit MapLibre's worker on its own (as in map/map-controller.ts).
setWorkerUrl(workerUrl);

const PICK_SOURCE = 'pick';

/** Where a WGS84 point is drawn on the page, for the e2e driver to tap it (as the console's map probe does). */
export interface PickerProbe {
  pagePoint(lon: number, lat: number): { x: number; y: number };
}

declare global {
  interface Window {
    __gridcommandReportMap?: PickerProbe;
  }
}

/**
 * A light map of the county from the server's own layers (towns, villages, grids; no tiles, no
 * glyphs, no sprite: nothing from the internet), for a resident in daylight: towns tinted,
 * boundaries finer as one zooms in, names in the phone's own Chinese font, and the place
 * picked as a large ring with a dot (shape, not colour alone).
 */
export function buildPickerStyle(layers: PublicLayers): StyleSpecification {
  const label = (level: 'town' | 'village' | 'grid', minzoom: number, maxzoom: number, size: number): SymbolLayerSpecification => ({
    id: `${level}-label`,
    type: 'symbol',
    source: `${level}-label`,
    minzoom,
    maxzoom,
    layout: { 'text-field': ['get', 'name'] as ExpressionSpecification, 'text-font': [...CJK_FONT_STACK], 'text-size': size, 'text-max-width': 8, 'text-padding': 6 },
    paint: { 'text-color': '#1a1a1a', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
  });
  const points = (level: 'town' | 'village' | 'grid') => ({
    type: 'geojson' as const,
    data: {
      type: 'FeatureCollection' as const,
      features: layers[level].features.map((f) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [f.properties.labelLon, f.properties.labelLat] }, properties: { name: f.properties.name } })),
    },
  });
  return {
    version: 8,
    name: 'gridcommand-resident-picker',
    sources: {
      town: { type: 'geojson', data: layers.town },
      village: { type: 'geojson', data: layers.village },
      grid: { type: 'geojson', data: layers.grid, tolerance: 0.5 },
      'town-label': points('town'),
      'village-label': points('village'),
      'grid-label': points('grid'),
      [PICK_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } },
      { id: 'town-fill', type: 'fill', source: 'town', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.85 } },
      { id: 'grid-line', type: 'line', source: 'grid', minzoom: 12, paint: { 'line-color': '#7d8a99', 'line-width': 0.8 } },
      { id: 'village-line', type: 'line', source: 'village', minzoom: 10, paint: { 'line-color': '#4a5a6b', 'line-width': 1.4 } },
      { id: 'town-line', type: 'line', source: 'town', paint: { 'line-color': '#1f2d3d', 'line-width': 2.4 } },
      label('grid', 13.5, 24, 13),
      label('village', 11, 14.5, 15),
      label('town', 0, 12, 18),
      { id: 'pick-ring', type: 'circle', source: PICK_SOURCE, paint: { 'circle-radius': 16, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#c40000', 'circle-stroke-width': 5 } },
      { id: 'pick-dot', type: 'circle', source: PICK_SOURCE, paint: { 'circle-radius': 5, 'circle-color': '#c40000', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    ],
  };
}

/**
 * 在地图上点选: a full-screen map; a tap puts the ring there, "use this place" hands it back.
 * WGS84 throughout (the county's layers are WGS84, and so is what the server wants).
 */
export function MapPicker({ layers, initial, onPick, onClose }: { layers: PublicLayers; initial: { lon: number; lat: number } | null; onPick: (p: { lon: number; lat: number }) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState(initial);
  const [failed, setFailed] = useState(false);
  const pickedRef = useRef(picked);

  const attach = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element) return;
      let map: MapLibreMap;
      try {
        map = new MapLibreMap({
          container: element,
          style: buildPickerStyle(layers),
          bounds: countyBounds(layers.town) ?? undefined,
          fitBoundsOptions: { padding: 16 },
          attributionControl: false,
          dragRotate: false,
          pitchWithRotate: false,
          touchPitch: false,
          maxPitch: 0,
          fadeDuration: 0,
          localIdeographFontFamily: CJK_FONT_STACK.join(', '),
        });
      } catch {
        // no WebGL (an old phone's browser): the phone's position still works
        setFailed(true);
        return;
      }
      map.touchZoomRotate.disableRotation();
      map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      const show = (p: { lon: number; lat: number } | null) =>
        (map.getSource(PICK_SOURCE) as GeoJSONSource | undefined)?.setData({
          type: 'FeatureCollection',
          features: p ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: {} }] : [],
        });
      map.once('load', () => {
        const start = pickedRef.current;
        if (start) {
          show(start);
          map.jumpTo({ center: [start.lon, start.lat], zoom: 15 });
        }
        element.dataset.ready = 'yes';
      });
      window.__gridcommandReportMap = {
        pagePoint(lon, lat) {
          const p = map.project([lon, lat]);
          const box = map.getCanvasContainer().getBoundingClientRect();
          return { x: box.left + p.x, y: box.top + p.y };
        },
      };
      map.on('click', (e) => {
        const p = { lon: Math.round(e.lngLat.lng * 1e6) / 1e6, lat: Math.round(e.lngLat.lat * 1e6) / 1e6 };
        pickedRef.current = p;
        setPicked(p);
        show(p);
      });
      return () => {
        delete window.__gridcommandReportMap;
        map.remove();
      };
    },
    [layers],
  );

  return (
    <div className="r-picker" role="dialog" aria-modal="true" aria-label={t('form.pickOnMap')} data-testid="report-map-picker">
      <p className="r-picker-hint">{failed ? t('form.mapFailed') : t('form.mapHint')}</p>
      {!failed && <div className="r-picker-map" ref={attach} data-testid="report-map" />}
      <div className="r-picker-bar">
        <button type="button" className="r-btn r-btn-quiet" onClick={onClose}>
          {t('form.mapClose')}
        </button>
        <button type="button" className="r-btn r-btn-primary" disabled={!picked} onClick={() => picked && onPick(picked)} data-testid="report-map-done">
          {t('form.mapDone')}
        </button>
      </div>
    </div>
  );
}
