import type { GeoJSONSource, MapGeoJSONFeature } from 'maplibre-gl';
import type { TileLayer } from '../../../shared/contracts/regions.js';
import { TILE_LAYERS } from '../../../shared/contracts/regions.js';
import type { MapLayerSwitch } from './layer-switches';
import { EVENT_LAYER_IDS, EVENT_SOURCE_ID, MAP_ITEM_NAMES, SELECTED_LAYER_IDS, UNIT_BUBBLE_IDS, UNIT_NAME_IDS } from './layers/event-layers';
import { TEAM_LAYER_IDS, TEAM_SOURCE_ID } from './layers/team-layers';
import type { MapController } from './map-controller';

/** An event bubble as drawn: how many cases, the worst urgency rank (0 = P0, 4 = all finished), how many overdue. */
export interface ProbeCluster {
  count: number;
  worst: number;
  overdue: number;
  x: number;
  y: number;
}

/** A town's team counts as drawn at county zoom. */
export interface ProbeTeamTown {
  id: string;
  total: number;
  available: number;
  en_route: number;
  on_scene: number;
  busy: number;
  off_duty: number;
}

/**
 * Read-only questions end-to-end tests and benchmarks may ask the map, which draws into a
 * canvas the DOM cannot see. It changes nothing and exposes no map handle.
 */
export interface MapProbe {
  /** The four region levels are loaded and drawn. */
  readonly ready: boolean;
  /** The camera's zoom. */
  zoom(): number;
  /** The camera's centre. */
  center(): { lon: number; lat: number };
  /** What the camera shows: [west, south, east, north]. */
  bounds(): [number, number, number, number];
  /** Ids of the features in the event source (what the switches let through). */
  eventIds(): Promise<string[]>;
  /** Ids of the events drawn as their own marker in the current view (not inside a bubble). */
  renderedEventIds(): string[];
  /** The event bubbles drawn in the current view, positions in page (CSS) pixels. */
  renderedClusters(): ProbeCluster[];
  /** The county and city bubbles of a platform drawn in view: the unit's id and level with the cluster's figures. */
  renderedUnits(): (ProbeCluster & { id: string; level: string; named: boolean })[];
  /** Where the bubble holding an event is drawn, in page pixels; null when the event is not in a drawn bubble. */
  clusterPagePointOf(id: string): Promise<{ x: number; y: number } | null>;
  /** How many features of a region level's boundaries (town … micro-grid, or county and city on a platform) are drawn in the current view. */
  renderedRegionCount(level: TileLayer): number;
  /** The names of a region level drawn in the current view. */
  renderedRegionNames(level: TileLayer): string[];
  /** The levels the map draws from vector tiles, and whether county and city lines are drawn. */
  delivery(): { tiled: string[]; upper: boolean };
  /** The selected event, read back from what the map draws on top. */
  selectedEventId(): string | null;
  /** Where a drawn event marker is, in page (CSS) pixels; null when it is not drawn on its own. */
  eventPagePoint(id: string): { x: number; y: number } | null;
  /** Team markers in the team source: id, position and status. */
  teams(): Promise<{ id: string; lon: number; lat: number; status: string }[]>;
  /** Ids of the team markers drawn in the current view. */
  renderedTeamIds(): string[];
  /** The per-town team counts drawn in the current view. */
  renderedTeamTowns(): ProbeTeamTown[];
  /** Where a drawn team marker is, in page (CSS) pixels; null when it is not drawn. */
  teamPagePoint(id: string): { x: number; y: number } | null;
  /** The team ringed as selected, read back from the map's feature state. */
  selectedTeamId(): string | null;
  /** Points of the trail drawn for the selected team. */
  trailPointCount(): number;
  /** The layer switches as the map applies them. */
  layers(): Record<MapLayerSwitch, boolean>;
  /** Whether a style layer is shown (its visibility, not whether it has features in view). */
  layerShown(layerId: string): boolean;
  /** The item names by code that the item labels read from the style's global state (empty in Chinese). */
  itemNames(): Record<string, string>;
  /**
   * Labels (place names, event and team labels) drawn over a marker, a bubble or a team square
   * in the current view, as `label layer: text`: none is the rule.
   */
  labelsOverMarkers(): string[];
  /** Calls `listener` with event ids once the first frame showing their latest data is drawn. */
  onEventsDrawn(listener: (ids: readonly string[]) => void): () => void;
  /** Frames the map has drawn since it was made. */
  frameCount(): number;
}

declare global {
  interface Window {
    __gridcommand?: { map?: MapProbe };
  }
}

const LABEL_LAYERS = [
  ...TILE_LAYERS.map((level) => `${level}-label`),
  EVENT_LAYER_IDS.deadlineLabel,
  EVENT_LAYER_IDS.itemLabel,
  TEAM_LAYER_IDS.label,
];

export function installMapProbe(controller: MapController): () => void {
  const { map } = controller;
  const existing = (ids: readonly string[]) => ids.filter((id) => map.getLayer(id) !== undefined);
  const pagePoint = (feature: MapGeoJSONFeature | undefined) => {
    if (!feature || feature.geometry.type !== 'Point') return null;
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    const point = map.project([lon, lat]);
    const box = map.getCanvasContainer().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  };
  const markers = () => map.queryRenderedFeatures({ layers: existing([EVENT_LAYER_IDS.circle, SELECTED_LAYER_IDS.marker]) });
  const clusters = () => map.queryRenderedFeatures({ layers: existing([EVENT_LAYER_IDS.cluster]) });
  const probe: MapProbe = {
    get ready() {
      return controller.isRegionsReady;
    },
    zoom: () => map.getZoom(),
    center: () => {
      const { lng, lat } = map.getCenter();
      return { lon: lng, lat };
    },
    bounds: () => {
      const b = map.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    },
    async eventIds() {
      const data = await map.getSource<GeoJSONSource>(EVENT_SOURCE_ID)?.getData();
      if (!data || data.type !== 'FeatureCollection') return [];
      return data.features.map((f) => String(f.properties?.id));
    },
    renderedEventIds() {
      return [...new Set(markers().map((f) => String(f.properties.id)))];
    },
    renderedClusters() {
      return clusters().flatMap((f) => {
        const at = pagePoint(f);
        if (!at) return [];
        return [{ count: Number(f.properties.point_count), worst: Number(f.properties.worst), overdue: Number(f.properties.overdue), ...at }];
      });
    },
    renderedUnits() {
      // a symbol is returned only where it was placed: a unit whose name found no room is unnamed
      const named = new Set(map.queryRenderedFeatures({ layers: existing(UNIT_NAME_IDS) }).map((f) => `${String(f.properties.level)}:${String(f.properties.id)}`));
      // MapLibre answers for a layer's features outside its zoom range too: only those drawn count
      const zoom = map.getZoom();
      const drawn = (id: string) => {
        const layer = map.getLayer(id);
        return layer !== undefined && zoom >= layer.minzoom && zoom < layer.maxzoom;
      };
      return map.queryRenderedFeatures({ layers: existing(UNIT_BUBBLE_IDS).filter(drawn) }).flatMap((f) => {
        const at = pagePoint(f);
        if (!at) return [];
        const p = f.properties;
        return [{ id: String(p.id), level: String(p.level), named: named.has(`${String(p.level)}:${String(p.id)}`), count: Number(p.point_count), worst: Number(p.worst), overdue: Number(p.overdue), ...at }];
      });
    },
    async clusterPagePointOf(id) {
      const source = map.getSource<GeoJSONSource>(EVENT_SOURCE_ID);
      if (!source) return null;
      for (const f of clusters()) {
        const leaves = await source.getClusterLeaves(Number(f.properties.cluster_id), Number(f.properties.point_count), 0);
        if (leaves.some((leaf) => leaf.properties?.id === id)) return pagePoint(f);
      }
      return null;
    },
    renderedRegionCount(level) {
      const { base } = controller;
      const layer = `${level}-line`;
      if (!base.getLayer(layer)) return 0;
      return new Set(base.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.id)).size;
    },
    renderedRegionNames(level) {
      const layer = `${level}-label`;
      if (!map.getLayer(layer)) return [];
      return [...new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.name)))];
    },
    delivery() {
      const { tiled, upper } = controller.regionDelivery;
      return { tiled: [...tiled], upper };
    },
    eventPagePoint(id) {
      return pagePoint(markers().find((f) => f.properties.id === id));
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
      return map.queryRenderedFeatures({ layers: existing([TEAM_LAYER_IDS.marker]) }).map((f) => String(f.properties.id));
    },
    renderedTeamTowns() {
      return map.queryRenderedFeatures({ layers: existing([TEAM_LAYER_IDS.town]) }).map((f) => f.properties as ProbeTeamTown);
    },
    teamPagePoint(id) {
      return pagePoint(map.queryRenderedFeatures({ layers: existing([TEAM_LAYER_IDS.marker]) }).find((f) => f.properties.id === id));
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
      return controller.selectedEventId;
    },
    layers() {
      return { ...controller.layerState };
    },
    itemNames() {
      return { ...(map.getGlobalState()[MAP_ITEM_NAMES] as Record<string, string> | undefined) };
    },
    layerShown(layerId) {
      const owner = map.getLayer(layerId) ? map : controller.base.getLayer(layerId) ? controller.base : null;
      return owner !== null && owner.getLayoutProperty(layerId, 'visibility') !== 'none';
    },
    labelsOverMarkers() {
      const labels = existing(LABEL_LAYERS);
      const found = new Set<string>();
      const solid = map.queryRenderedFeatures({ layers: existing([EVENT_LAYER_IDS.circle, EVENT_LAYER_IDS.cluster, TEAM_LAYER_IDS.marker]) });
      for (const f of solid) {
        if (f.geometry.type !== 'Point') continue;
        const p = map.project(f.geometry.coordinates as [number, number]);
        // The middle of the marker: a label touching only its rim is not "over" it.
        const r = 4;
        for (const hit of map.queryRenderedFeatures([[p.x - r, p.y - r], [p.x + r, p.y + r]], { layers: labels })) {
          found.add(`${hit.layer.id}: ${String(hit.properties.name ?? hit.properties.item ?? hit.properties.id)}`);
        }
      }
      return [...found];
    },
    onEventsDrawn(listener) {
      return controller.onEventsDrawn(listener);
    },
    frameCount() {
      return controller.frameCount;
    },
  };
  window.__gridcommand = { ...window.__gridcommand, map: probe };
  return () => {
    if (window.__gridcommand?.map === probe) delete window.__gridcommand.map;
  };
}
