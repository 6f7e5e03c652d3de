import type { GeoJSONSource } from 'maplibre-gl';
import type { RegionLevel } from '../../../shared/contracts/regions.js';
import { EVENT_LAYER_IDS, EVENT_SOURCE_ID } from './layers/event-layers';
import { TEAM_LAYER_IDS, TEAM_SOURCE_ID } from './layers/team-layers';
import type { MapController } from './map-controller';

/**
 * Read-only questions end-to-end tests may ask the map, which draws into a canvas the DOM
 * cannot see. It changes nothing and exposes no map handle.
 */
export interface MapProbe {
  /** The four region levels are loaded and drawn. */
  readonly ready: boolean;
  /** Ids of the features in the event source. */
  eventIds(): Promise<string[]>;
  /** Ids of the event markers drawn in the current view. */
  renderedEventIds(): string[];
  /** How many features of a region level's boundaries are drawn in the current view. */
  renderedRegionCount(level: RegionLevel): number;
  /** The event ringed as selected, read back from the map's feature state. */
  selectedEventId(): string | null;
  /** Where a drawn event marker is, in page (CSS) pixels; null when it is not drawn. */
  eventPagePoint(id: string): { x: number; y: number } | null;
  /** Team markers in the team source: id, position and status. */
  teams(): Promise<{ id: string; lon: number; lat: number; status: string }[]>;
  /** Ids of the team markers drawn in the current view. */
  renderedTeamIds(): string[];
  /** Where a drawn team marker is, in page (CSS) pixels; null when it is not drawn. */
  teamPagePoint(id: string): { x: number; y: number } | null;
  /** The team ringed as selected, read back from the map's feature state. */
  selectedTeamId(): string | null;
  /** Points of the trail drawn for the selected team. */
  trailPointCount(): number;
}

declare global {
  interface Window {
    __gridcommand?: { map?: MapProbe };
  }
}

export function installMapProbe(controller: MapController): () => void {
  const { map } = controller;
  const probe: MapProbe = {
    get ready() {
      return controller.isRegionsReady;
    },
    async eventIds() {
      const data = await map.getSource<GeoJSONSource>(EVENT_SOURCE_ID)?.getData();
      if (!data || data.type !== 'FeatureCollection') return [];
      return data.features.map((f) => String(f.properties?.id));
    },
    renderedEventIds() {
      return map.queryRenderedFeatures({ layers: [EVENT_LAYER_IDS.circle] }).map((f) => String(f.properties.id));
    },
    renderedRegionCount(level) {
      const ids = new Set(map.queryRenderedFeatures({ layers: [`${level}-line`] }).map((f) => f.properties.id));
      return ids.size;
    },
    eventPagePoint(id) {
      const feature = map.queryRenderedFeatures({ layers: [EVENT_LAYER_IDS.circle] }).find((f) => f.properties.id === id);
      if (!feature || feature.geometry.type !== 'Point') return null;
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const point = map.project([lon, lat]);
      const box = map.getCanvasContainer().getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    },
    async teams() {
      const data = await map.getSource<GeoJSONSource>(TEAM_SOURCE_ID)?.getData();
      if (!data || data.type !== 'FeatureCollection') return [];
      return data.features.flatMap((f) => {
        if (f.geometry.type !== 'Point') return [];
        const [lon, lat] = f.geometry.coordinates as [number, number];
        return [{ id: String(f.properties?.id), lon, lat, status: String(f.properties?.status) }];
      });
    },
    renderedTeamIds() {
      return map.queryRenderedFeatures({ layers: [TEAM_LAYER_IDS.marker] }).map((f) => String(f.properties.id));
    },
    teamPagePoint(id) {
      const feature = map.queryRenderedFeatures({ layers: [TEAM_LAYER_IDS.marker] }).find((f) => f.properties.id === id);
      if (!feature || feature.geometry.type !== 'Point') return null;
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const point = map.project([lon, lat]);
      const box = map.getCanvasContainer().getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    },
    selectedTeamId() {
      const id = controller.selectedTeamId;
      if (id === null) return null;
      return map.getFeatureState({ source: TEAM_SOURCE_ID, id }).selected === true ? id : null;
    },
    trailPointCount() {
      return controller.trailPointCount;
    },
    selectedEventId() {
      const id = controller.selectedEventId;
      if (id === null) return null;
      return map.getFeatureState({ source: EVENT_SOURCE_ID, id }).selected === true ? id : null;
    },
  };
  window.__gridcommand = { ...window.__gridcommand, map: probe };
  return () => {
    if (window.__gridcommand?.map === probe) delete window.__gridcommand.map;
  };
}
