import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { Map as MapLibreMap, Marker, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature, type MapMouseEvent } from 'maplibre-gl';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { REGION_LEVELS, type RegionLevel } from '../../../shared/contracts/regions.js';
import { CJK_FONT_STACK } from '../app/theme';
import type { SelectionOrigin } from '../app/selection';
import { DEFAULT_MAP_LAYERS, layerVisibility, shownPhases, type MapLayerState } from './layer-switches';
import {
  clusterRadius,
  diffEventFeatures,
  EVENT_HEAT_SOURCE_ID,
  EVENT_LAYER_IDS,
  EVENT_SOURCE_ID,
  eventCollection,
  eventFeature,
  MAP_ITEM_NAMES,
  MAP_NOW,
  markerPhase,
  SELECTED_EVENT_SOURCE_ID,
  SELECTED_LAYER_IDS,
  SHADOW_IMAGE_ID,
  shadowImage,
  touchedIds,
  UNIT_BUBBLE_IDS,
  UNIT_SOURCE_ID,
  type ClusterMarks,
  type DeadlineMarks,
  type ShownEvents,
  type UrgencyMarks,
} from './layers/event-layers';
import { buildBaseStyle, buildOverlayStyle } from './layers/map-style';
import { authorizeRequest, COUNTY_DELIVERY, regionLabelPoints, regionLabelSourceId, regionSourceId, type RegionCollection, type RegionDelivery } from './layers/region-layers';
import type { StyleSpecification } from './layers/style-types';
import { UnitTally } from './layers/unit-bubbles';
import {
  diffTeamFeatures,
  TEAM_ICON_PREFIX,
  TEAM_LAYER_IDS,
  TEAM_PANEL_IMAGE_ID,
  TEAM_SOURCE_ID,
  TEAM_SQUARE_MIN_ZOOM,
  TEAM_TOWN_SOURCE_ID,
  TEAM_TRAIL_SOURCE_ID,
  teamCollection,
  teamIconImage,
  teamPanelImage,
  teamTownCollection,
  trailCollection,
  type TeamMarks,
  type TownAnchor,
} from './layers/team-layers';
import type { TeamSummary, TrailPoint } from '../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../shared/contracts/workflow.js';
import { TEAM_STATUS_COLORS } from '../app/theme';

// Vite does not emit MapLibre's worker on its own; without this the map never loads and says nothing.
setWorkerUrl(workerUrl);

/** Camera moves carry their origin in the event data, so listeners can tell ours from the user's. */
export type CameraOrigin = SelectionOrigin | 'fit-county' | 'board' | 'cluster' | 'town' | 'place' | 'unit';

const TEAM_TOWNS_EVERY_MS = 1_000;
/** The longest an events update may hold the overlay's frames back (a slow worker must not freeze the map). */
const HOLD_MAX_MS = 300;

/** Zoom at which a flown-to event sits among its grid's labels. */
const FOCUS_ZOOM = 13.5;

type PaintName = Parameters<MapLibreMap['setPaintProperty']>[1];
type LayoutName = Parameters<MapLibreMap['setLayoutProperty']>[1];

/** What the style depends on besides data: the UI language's marks and the UI scale. */
export interface MapPresentation {
  urgencyMarks: UrgencyMarks;
  /** The countdown label's words (剩/超, units) in the UI language. */
  deadlineMarks: DeadlineMarks;
  /** The words under an event bubble (worst urgency, overdue count) in the UI language. */
  clusterMarks: ClusterMarks;
  /** The team layer's status marks and words in the UI language. */
  teamMarks: TeamMarks;
  /** 1 at desk size; grows with the root font size (e.g. ~2 on a 4K wall). */
  scale: number;
}

export interface MapControllerOptions {
  container: HTMLElement;
  presentation: MapPresentation;
  /** MapLibre's own words (zoom buttons, scale units, the canvas's name) in the UI language. */
  locale: Record<string, string>;
  layers?: MapLayerState;
  /** The session's bearer token, read for each tile request to our server; null when signed out. */
  token(): string | null;
  onSelectEvent(id: string): void;
  onSelectTeam(id: string): void;
  /** The region levels are drawn (GeoJSON sources set or tile sources added, and the map idle after it). */
  onRegionsReady(): void;
}

/** What a click on the map can hit, topmost first: the first hit decides. */
const CLICKABLE = [
  SELECTED_LAYER_IDS.marker,
  TEAM_LAYER_IDS.marker,
  EVENT_LAYER_IDS.circle,
  EVENT_LAYER_IDS.cluster,
  ...UNIT_BUBBLE_IDS,
  TEAM_LAYER_IDS.town,
] as const;

/**
 * Owns the map: two maplibre Maps with one camera (see `buildBaseStyle`), the base drawing the
 * county's boundaries and the overlay everything else; builds them from the styles, feeds their
 * sources, and turns clicks into selections. Everything the map shows goes through here; React
 * only calls its methods.
 *
 * Cost matters more than it seems: where WebGL is software-rendered (remote desktops, VMs, the
 * test browser) a frame costs tens of milliseconds of the page's main thread, and a frame of the
 * whole county several times that. So a pushed event redraws only the overlay, and the overlay
 * draws only when something changed: no symbol fade animation, one worker update at a time
 * (changes arriving meanwhile go as one diff), and the clock moves the countdown labels through
 * the style's global state once a minute instead of touching features.
 */
export class MapController {
  /** The overlay: events, teams, names; it takes the pointer and carries the controls. */
  readonly map: MapLibreMap;
  /** The base: ground and boundaries, redrawn only when the camera moves. */
  readonly base: MapLibreMap;
  private readonly baseElement: HTMLDivElement;
  private readonly loaded: Promise<void>;
  private isLoaded = false;
  private events: ReadonlyMap<string, EventRecord> = new Map();
  private now = 0;
  private layers: MapLayerState;
  private shown: ShownEvents = { events: new Map(), phases: new Set(), now: 0 };
  private heatShown: ShownEvents | null = null;
  /** Open cases per county and city for a platform's unit bubbles; kept only once the delivery names units. */
  private readonly unitTally = new UnitTally();
  private selectedShown: EventRecord | null = null;
  private selectedAt = 0;
  private readonly regionsSet = new Set<RegionLevel>();
  /** How the static layers arrive; a county's (all GeoJSON) until the region tree says otherwise. */
  private delivery: RegionDelivery = COUNTY_DELIVERY;
  private deliveryKnown = false;
  private readyPending = false;
  private presentation: MapPresentation;
  private townAnchors: TownAnchor[] = [];
  private townCountsKey = '';
  private selectedId: string | null = null;
  /** The selected case as its selector read it, for one the live events do not hold (a closed case found by search). */
  private selectedRecord: EventRecord | null = null;
  private shownTeams: ReadonlyMap<string, TeamSummary> = new Map();
  private teams: ReadonlyMap<string, TeamSummary> = new Map();
  private selectedTeam: string | null = null;
  private trailPoints = 0;
  private regionsReady = false;
  private fitted = false;
  private destroyed = false;
  /** The pin of the address whose place card is open. */
  private pin: Marker | null = null;
  private scale: number;
  private navigation: NavigationControl | null = null;
  private scaleBar: ScaleControl | null = null;
  private frames = 0;
  /**
   * An events update is between being handed to the worker and its tiles being drawn. Later
   * changes wait and go as one diff: a new update while tiles reload would restart them, and
   * under a steady stream of pushes the map would never finish drawing.
   */
  private eventsInFlight = false;
  private eventsWaiting = false;
  private readonly repaint: () => void;
  private holdingFrames = false;
  private frameHeld = false;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  /** Ids handed to the worker whose tiles are still reloading. */
  private awaitingTiles: string[] = [];
  /** Ids whose tiles are loaded: the next frame draws them. */
  private awaitingFrame: string[] = [];
  private readonly drawnListeners = new Set<(ids: readonly string[]) => void>();

  constructor(private readonly options: MapControllerOptions) {
    this.layers = options.layers ?? DEFAULT_MAP_LAYERS;
    this.scale = options.presentation.scale;
    this.presentation = options.presentation;
    // Vector tiles come from our server's API, which wants the session's token like every other
    // request; MapLibre fetches them itself, so each request is given the header here.
    const transformRequest = (url: string) => authorizeRequest(url, this.delivery.origin, options.token());
    // The base sits under the overlay's canvas, in the same box; the overlay takes the pointer.
    this.baseElement = document.createElement('div');
    this.baseElement.className = 'map-base';
    this.baseElement.setAttribute('aria-hidden', 'true');
    Object.assign(this.baseElement.style, { position: 'absolute', inset: '0', pointerEvents: 'none' });
    options.container.prepend(this.baseElement);
    const camera = { center: [120.2, 29.3] as [number, number], zoom: 8 };
    this.base = new MapLibreMap({
      container: this.baseElement,
      style: buildBaseStyle(options.presentation),
      ...camera,
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
      transformRequest,
    });
    this.map = new MapLibreMap({
      container: options.container,
      style: buildOverlayStyle(options.presentation),
      ...camera,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      // Labels appear at once: a fade animates every frame for 300 ms after each change.
      fadeDuration: 0,
      locale: options.locale,
      localIdeographFontFamily: CJK_FONT_STACK.join(', '),
      transformRequest,
    });
    this.repaint = this.map.triggerRepaint.bind(this.map);
    // While the event tiles reload, MapLibre would draw a frame as each one arrives (three or
    // four per update) though only the last shows the change complete; each costs the whole
    // overlay. Frames asked for meanwhile wait for the last tile (or HOLD_MAX_MS), unless the
    // camera moves. MapLibre has no setting for this, so its repaint request is wrapped.
    this.map.triggerRepaint = () => {
      if (this.holdingFrames && !this.map.isMoving()) {
        this.frameHeld = true;
        return;
      }
      this.repaint();
    };
    // One camera: the base follows every move of the overlay within the same frame.
    this.map.on('move', this.followCamera);
    this.map.on('resize', () => this.base.resize());
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disable(); // j/k/arrows belong to the queue
    this.addControls();
    this.loaded = Promise.all([new Promise<void>((resolve) => this.map.once('load', () => resolve())), new Promise<void>((resolve) => this.base.once('load', () => resolve()))]).then(() => {
      this.isLoaded = true;
      this.followCamera();
    });
    void this.loaded.then(() => {
      if (this.destroyed) return;
      this.map.setGlobalStateProperty(MAP_ITEM_NAMES, this.itemNames);
      this.applyLayerVisibility();
      this.syncEvents();
    });

    // Icons are drawn in code (no sprite): added when the style first asks for them.
    this.map.setMissingStyleImageResolver(this.resolveImage);
    this.map.on('click', this.onClick);
    for (const layer of CLICKABLE) {
      this.map.on('mouseenter', layer, this.onEnter);
      this.map.on('mouseleave', layer, this.onLeave);
    }
    this.map.on('render', this.onRender);
    this.map.on('sourcedata', this.onSourceData);
    // Whatever happened to the tiles, an idle map has nothing in flight.
    this.map.on('idle', () => {
      if (this.eventsInFlight && this.eventsSent) this.eventsLanded();
    });
  }

  private followCamera = () => {
    if (this.destroyed) return;
    this.base.jumpTo({ center: this.map.getCenter(), zoom: this.map.getZoom(), bearing: this.map.getBearing(), pitch: this.map.getPitch() });
    this.base.redraw();
  };

  private addControls(): void {
    this.navigation = new NavigationControl({ showCompass: false });
    this.scaleBar = new ScaleControl({ unit: 'metric' });
    this.map.addControl(this.navigation, 'bottom-right');
    this.map.addControl(this.scaleBar, 'bottom-right');
  }

  /**
   * Speaks another language: MapLibre reads its words when a control is added, so the controls
   * are added anew. `_locale` is the table the `locale` option fills; MapLibre has no setter.
   */
  setLocale(locale: Record<string, string>): void {
    if (this.destroyed) return;
    this.map._locale = { ...this.map._locale, ...locale };
    if (this.navigation) this.map.removeControl(this.navigation);
    if (this.scaleBar) this.map.removeControl(this.scaleBar);
    this.addControls();
    const title = locale['Map.Title'];
    if (title) this.map.getCanvas().setAttribute('aria-label', title);
  }

  private resolveImage = (id: string) => {
    if (this.map.hasImage(id)) return;
    if (id === SHADOW_IMAGE_ID) {
      this.map.addImage(id, shadowImage());
    } else if (id === TEAM_PANEL_IMAGE_ID) {
      const { image, options } = teamPanelImage();
      this.map.addImage(id, image, options);
    } else if (id.startsWith(TEAM_ICON_PREFIX)) {
      const color = TEAM_STATUS_COLORS[id.slice(TEAM_ICON_PREFIX.length) as TeamStatus];
      if (color) this.map.addImage(id, teamIconImage(color, 2), { pixelRatio: 2 });
    }
  };

  private onClick = (e: MapMouseEvent) => {
    const layers = CLICKABLE.filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
    const hit = this.map.queryRenderedFeatures(e.point, { layers })[0];
    if (!hit) return;
    switch (hit.layer.id) {
      case SELECTED_LAYER_IDS.marker:
      case EVENT_LAYER_IDS.circle: {
        const id = hit.properties.id;
        if (typeof id === 'string') this.options.onSelectEvent(id);
        return;
      }
      case TEAM_LAYER_IDS.marker: {
        const id = hit.properties.id;
        if (typeof id === 'string') this.options.onSelectTeam(id);
        return;
      }
      case EVENT_LAYER_IDS.cluster:
        void this.expandCluster(hit);
        return;
      case TEAM_LAYER_IDS.town:
        this.zoomTo(hit, TEAM_SQUARE_MIN_ZOOM + 0.5, 'town');
        return;
      default:
        if ((UNIT_BUBBLE_IDS as readonly string[]).includes(hit.layer.id)) this.openUnit(hit.properties.id);
    }
  };

  /** A county's (or city's) bubble frames that county (or city): its towns' lines and bubbles, or its counties', take over. */
  private openUnit(id: unknown): void {
    const unit = this.delivery.units?.find((u) => u.id === id);
    if (!unit) return;
    const [w, s, e, n] = unit.bbox;
    this.map.fitBounds(
      [
        [w, s],
        [e, n],
      ],
      { padding: 48, duration: 600, essential: true },
      { origin: 'unit' satisfies CameraOrigin },
    );
  }

  /** A bubble opens where its markers part: the zoom MapLibre computes for it, at least one step in. */
  private async expandCluster(feature: MapGeoJSONFeature): Promise<void> {
    const clusterId = feature.properties.cluster_id;
    const source = this.source(EVENT_SOURCE_ID);
    if (typeof clusterId !== 'number' || !source) return;
    const zoom = await source.getClusterExpansionZoom(clusterId);
    if (this.destroyed) return;
    this.zoomTo(feature, Math.max(zoom, this.map.getZoom() + 1), 'cluster');
  }

  private zoomTo(feature: MapGeoJSONFeature, zoom: number, origin: CameraOrigin): void {
    if (feature.geometry.type !== 'Point') return;
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    this.map.easeTo({ center: [lon, lat], zoom, duration: 500, essential: true }, { origin });
  }

  private onEnter = () => {
    this.map.getCanvas().style.cursor = 'pointer';
  };

  private onLeave = () => {
    this.map.getCanvas().style.cursor = '';
  };

  /** Counts frames and tells who asked when the events last handed to the worker are drawn. */
  private onRender = () => {
    this.frames += 1;
    if (this.awaitingFrame.length === 0) return;
    const ids = this.awaitingFrame;
    this.awaitingFrame = [];
    for (const listener of this.drawnListeners) listener(ids);
  };

  /** The event tiles finished reloading: the next waiting change may go. */
  private onSourceData = (e: { sourceId?: string }) => {
    if (e.sourceId === EVENT_SOURCE_ID && this.eventsInFlight && this.eventsSent && this.map.isSourceLoaded(EVENT_SOURCE_ID)) this.eventsLanded();
  };

  private eventsSent = false;
  private itemNames: Readonly<Record<string, string>> = {};

  private holdFrames(): void {
    this.holdingFrames = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.releaseFrames(), HOLD_MAX_MS);
  }

  private releaseFrames(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.holdingFrames = false;
    if (this.frameHeld && !this.destroyed) {
      this.frameHeld = false;
      this.repaint();
    }
  }

  private eventsLanded(): void {
    this.eventsInFlight = false;
    this.eventsSent = false;
    this.releaseFrames();
    if (this.awaitingTiles.length) {
      this.awaitingFrame.push(...this.awaitingTiles);
      this.awaitingTiles = [];
      this.map.triggerRepaint();
    }
    if (this.eventsWaiting) {
      this.eventsWaiting = false;
      this.syncEvents();
    }
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  /** Sets one region level's polygons and labels, once; later calls with the same data are free. */
  async setRegions(level: RegionLevel, collection: RegionCollection): Promise<void> {
    if (this.regionsSet.has(level)) return;
    this.regionsSet.add(level);
    await this.loaded;
    if (this.destroyed) return;
    const labels = regionLabelPoints(collection);
    void this.base.getSource<GeoJSONSource>(regionSourceId(level))?.setData(collection);
    void this.source(regionLabelSourceId(level))?.setData(labels);
    if (level === 'town') {
      this.townAnchors = labels.features.map((f) => ({ id: f.properties.id, lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]! }));
      this.syncTeamTowns();
    }
    this.checkRegionsReady();
  }

  /**
   * Says how the static layers arrive, once (the region tree does not change in a session): the
   * tiled levels' GeoJSON sources give way to vector sources with the same layer ids, so the
   * layer switches, clicks and probes work alike, and on a platform of several counties the
   * county and city boundaries join. A county's delivery changes nothing.
   */
  async setDelivery(delivery: RegionDelivery): Promise<void> {
    if (this.deliveryKnown) return;
    this.deliveryKnown = true;
    this.delivery = delivery;
    await this.loaded;
    if (this.destroyed) return;
    if (delivery.tiled.length > 0 || delivery.upper) {
      restyle(this.base, buildBaseStyle({ ...this.presentation, delivery }));
      restyle(this.map, buildOverlayStyle({ ...this.presentation, delivery }));
      this.applyLayerVisibility();
      if (delivery.upper) void this.source(EVENT_SOURCE_ID)?.setClusterOptions({ cluster: true, clusterRadius: clusterRadius(this.scale, true) });
      this.syncUnits({ events: this.events, phases: shownPhases(this.layers), now: this.now }, true);
    }
    this.checkRegionsReady();
  }

  /** Ready once the delivery is known, every GeoJSON level is set, and both maps went idle after it (tiles in view loaded). */
  private checkRegionsReady(): void {
    if (this.regionsReady || this.readyPending || !this.deliveryKnown || !this.isLoaded) return;
    if (!REGION_LEVELS.every((level) => this.delivery.tiled.includes(level) || this.regionsSet.has(level))) return;
    this.readyPending = true;
    const idle = (map: MapLibreMap) => new Promise<void>((resolve) => map.once('idle', () => resolve()));
    void Promise.all([idle(this.map), idle(this.base)]).then(() => {
      if (this.destroyed) return;
      this.regionsReady = true;
      this.options.onRegionsReady();
    });
  }

  /** Fits the county once, when its bbox is first known (for a town user, the bounds of their towns). */
  async fitCounty(bbox: [number, number, number, number]): Promise<void> {
    if (this.fitted) return;
    this.fitted = true;
    await this.loaded;
    if (this.destroyed) return;
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding: 32, animate: false },
      { origin: 'fit-county' satisfies CameraOrigin },
    );
  }

  /** Flies to a place (a town, village or grid a search found), framing its bounds. */
  async fitPlace(bbox: [number, number, number, number]): Promise<void> {
    await this.loaded;
    if (this.destroyed) return;
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding: 48, duration: 700, essential: true },
      { origin: 'place' satisfies CameraOrigin },
    );
  }

  /**
   * Marks one point with a pin (the address whose place card is open), replacing the last; null
   * takes it away. A DOM marker, not a style layer: one point that must stay on top of every
   * marker and label, and that a test can find in the page.
   */
  async setPin(pin: { lon: number; lat: number; label: string } | null): Promise<void> {
    await this.loaded;
    if (this.destroyed) return;
    this.pin?.remove();
    this.pin = null;
    if (!pin) return;
    const element = document.createElement('div');
    element.className = 'map-pin';
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', pin.label);
    element.dataset.testid = 'map-pin';
    this.pin = new Marker({ element, anchor: 'bottom' }).setLngLat([pin.lon, pin.lat]).addTo(this.map);
  }

  /**
   * Shows `events`, their deadline standing as of `now` (a minute step: the countdown labels
   * follow the same clock through the style's global state). Only the difference to what is
   * shown goes to the worker, and calls made while it works are merged by MapLibre into one
   * update, so a burst of pushes costs one re-clustering and one frame.
   */
  setEvents(events: ReadonlyMap<string, EventRecord>, now: number): void {
    this.events = events;
    this.now = now;
    this.syncEvents();
  }

  /** Item names in the UI language by code (null: the names the cases were filed under); one style state change, no data update. */
  setItemNames(names: Readonly<Record<string, string>> | null): void {
    this.itemNames = names ?? {};
    if (this.isLoaded && !this.destroyed) this.map.setGlobalStateProperty(MAP_ITEM_NAMES, this.itemNames);
  }

  /** Applies the layer switches: event phases filter the markers (and bubble counts), the rest show or hide layers. */
  setLayers(layers: MapLayerState): void {
    if (layers === this.layers) return;
    this.layers = layers;
    if (!this.isLoaded) return;
    this.applyLayerVisibility();
    this.syncEvents();
  }

  private applyLayerVisibility(): void {
    for (const [id, visibility] of layerVisibility(this.layers)) {
      for (const map of [this.map, this.base]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visibility);
    }
  }

  private syncEvents(): void {
    if (!this.isLoaded || this.destroyed) return;
    if (this.map.getGlobalState()[MAP_NOW] !== this.now) this.map.setGlobalStateProperty(MAP_NOW, this.now);
    const next: ShownEvents = { events: this.events, phases: shownPhases(this.layers), now: this.now };
    const samePhases = sameSet(next.phases, this.shown.phases);
    if (samePhases) next.phases = this.shown.phases;
    const source = this.source(EVENT_SOURCE_ID);
    if (this.eventsInFlight) {
      this.eventsWaiting = true;
    } else if (source) {
      const sent = this.sendEvents(source, this.shown, next, (ids) => {
        this.eventsSent = true;
        this.awaitDraw(ids);
        // Nothing in view to reload (or already reloaded): free at once.
        if (this.map.isSourceLoaded(EVENT_SOURCE_ID)) this.eventsLanded();
      });
      if (sent) {
        this.eventsInFlight = true;
        this.holdFrames();
      }
      this.shown = next;
    }

    this.syncUnits(next, false);

    const heat = this.source(EVENT_HEAT_SOURCE_ID);
    if (heat) {
      if (this.layers.heat) {
        this.sendEvents(heat, this.heatShown ?? { events: new Map(), phases: next.phases, now: next.now }, next);
        this.heatShown = next;
      } else if (this.heatShown) {
        // Off: the heat source is emptied and no longer fed.
        void heat.setData({ type: 'FeatureCollection', features: [] });
        this.heatShown = null;
      }
    }
    this.syncSelected();
  }

  /**
   * The unit bubbles follow the same events: the tally takes what changed and the source (a
   * hundred points at most) is re-sent only when a bubble's figures moved. `force` sends it
   * anyway (the source was just added).
   */
  private syncUnits(next: ShownEvents, force: boolean): void {
    const units = this.delivery.units;
    if (!units?.length) return;
    const source = this.source(UNIT_SOURCE_ID);
    if (!source) return;
    if (this.unitTally.update(next) || force) void source.setData(this.unitTally.collection(units));
  }

  /** Hands what changed to the worker; false when nothing did. */
  private sendEvents(source: GeoJSONSource, before: ShownEvents, next: ShownEvents, onSent?: (ids: string[]) => void): boolean {
    if (before.events.size === 0 || before.phases !== next.phases) {
      // First fill, or a switch changed which phases show: one resend beats a diff of hundreds.
      if (before.events.size === 0 && next.events.size === 0) return false;
      const shows = (e: EventRecord) => next.phases.has(markerPhase(e.status));
      const collection = eventCollection(next.events.values(), next.now, shows);
      void source.setData(collection).then(() => onSent?.(collection.features.map((f) => f.properties.id)));
      return true;
    }
    const diff = diffEventFeatures(before, next);
    if (!diff) return false;
    void source.updateData(diff).then(() => onSent?.(touchedIds(diff)));
    return true;
  }

  private awaitDraw(ids: string[]): void {
    if (this.drawnListeners.size === 0 || this.destroyed) return;
    this.awaitingTiles.push(...ids);
  }

  /** The selected case in its own source, over everything: re-sent when it changes or another is selected. */
  private syncSelected(): void {
    const event = this.selectedId ? (this.events.get(this.selectedId) ?? this.selectedRecord) : null;
    if (event === this.selectedShown && (event === null || this.selectedAt === this.now)) return;
    this.selectedShown = event;
    this.selectedAt = this.now;
    const features = event ? [eventFeature(event, this.now)] : [];
    void this.source(SELECTED_EVENT_SOURCE_ID)?.setData({ type: 'FeatureCollection', features });
  }

  /** Brings the team source in line with `teams` through `updateData` diffs (moves cost a few bytes), and the towns' counts. */
  setTeams(teams: ReadonlyMap<string, TeamSummary>): void {
    this.teams = teams;
    void this.loaded.then(() => {
      if (this.destroyed || teams !== this.teams) return;
      const source = this.source(TEAM_SOURCE_ID);
      if (!source) return;
      const before = this.shownTeams;
      this.shownTeams = teams;
      if (before.size === 0) {
        void source.setData(teamCollection(teams.values()));
      } else {
        const diff = diffTeamFeatures(before, teams);
        if (diff) void source.updateData(diff);
      }
      // feature state survives updates, but a team added anew needs its ring again
      if (this.selectedTeam && teams.has(this.selectedTeam)) this.map.setFeatureState({ source: TEAM_SOURCE_ID, id: this.selectedTeam }, { selected: true });
      this.scheduleTeamTowns();
    });
  }

  private teamTownsTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * The per-town counts follow the teams at most once a second: a busy hour changes statuses
   * with every dispatch, and each resend re-lays out every tile of the counts.
   */
  private scheduleTeamTowns(): void {
    if (this.teamTownsTimer) return;
    this.teamTownsTimer = setTimeout(() => {
      this.teamTownsTimer = null;
      if (!this.destroyed) this.syncTeamTowns();
    }, TEAM_TOWNS_EVERY_MS);
  }

  /** The per-town counts, re-sent only when a count changed (moves within a town change none). */
  private syncTeamTowns(): void {
    if (!this.isLoaded || this.townAnchors.length === 0) return;
    const collection = teamTownCollection(this.teams.values(), this.townAnchors);
    const key = JSON.stringify(collection.features.map((f) => f.properties));
    if (key === this.townCountsKey) return;
    this.townCountsKey = key;
    void this.source(TEAM_TOWN_SOURCE_ID)?.setData(collection);
  }

  /** Rings the selected team; flies to it unless the map made the selection. */
  async selectTeam(id: string | null, fly: boolean, location: { lon: number; lat: number } | null): Promise<void> {
    await this.loaded;
    if (this.destroyed) return;
    if (this.selectedTeam !== null && this.selectedTeam !== id && this.shownTeams.has(this.selectedTeam)) {
      this.map.setFeatureState({ source: TEAM_SOURCE_ID, id: this.selectedTeam }, { selected: false });
    }
    this.selectedTeam = id;
    if (id === null) return;
    if (this.shownTeams.has(id)) this.map.setFeatureState({ source: TEAM_SOURCE_ID, id }, { selected: true });
    if (!fly || !location) return;
    this.map.flyTo(
      { center: [location.lon, location.lat], zoom: Math.max(this.map.getZoom(), FOCUS_ZOOM - 1), duration: 700, essential: true },
      { origin: 'board' satisfies CameraOrigin },
    );
  }

  /** Draws the selected team's trail (oldest first); an empty list clears it. */
  async setTrail(points: readonly TrailPoint[]): Promise<void> {
    await this.loaded;
    if (this.destroyed) return;
    this.trailPoints = points.length;
    void this.source(TEAM_TRAIL_SOURCE_ID)?.setData(trailCollection(points));
  }

  /** The team whose marker is drawn at a point of the map's container (for drops), if any. */
  teamAt(point: { x: number; y: number }): string | null {
    if (!this.map.getLayer(TEAM_LAYER_IDS.marker)) return null;
    const hit = this.map.queryRenderedFeatures([point.x, point.y], { layers: [TEAM_LAYER_IDS.marker] })[0];
    const id = hit?.properties?.id;
    return typeof id === 'string' ? id : null;
  }

  get selectedTeamId(): string | null {
    return this.selectedTeam;
  }

  get trailPointCount(): number {
    return this.trailPoints;
  }

  /** Draws the selected case on top with its halo; flies to it unless the map itself made the selection. */
  async select(id: string | null, origin: SelectionOrigin, location: { lon: number; lat: number } | null, record: EventRecord | null = null): Promise<void> {
    this.selectedId = id;
    // Clicking the drawn case selects it again without a record: it stays drawn.
    this.selectedRecord = record?.id === id ? record : this.selectedRecord?.id === id ? this.selectedRecord : null;
    await this.loaded;
    if (this.destroyed) return;
    this.syncSelected();
    if (id === null || origin === 'map' || !location) return;
    this.map.flyTo(
      { center: [location.lon, location.lat], zoom: Math.max(this.map.getZoom(), FOCUS_ZOOM), duration: 700, essential: true },
      { origin: origin satisfies CameraOrigin },
    );
  }

  /**
   * Re-derives the layers from the style builder and applies their paint and layout properties,
   * so the built style stays the one source of truth; MapLibre skips values that did not change.
   * Visibility belongs to the layer switches and is left to them. Sources are left alone but for
   * the bubbles' radius, which grows with the UI scale.
   */
  setPresentation(presentation: MapPresentation): void {
    this.presentation = presentation;
    void this.loaded.then(() => {
      if (this.destroyed) return;
      const delivery = this.delivery;
      for (const [map, style] of [
        [this.map, buildOverlayStyle({ ...presentation, delivery })],
        [this.base, buildBaseStyle({ ...presentation, delivery })],
      ] as const) {
        for (const layer of style.layers) {
          const existing = map.getLayer(layer.id);
          if (!existing) continue;
          // zoom ranges that follow the scale (a province's city bubbles on a wall)
          if (existing.minzoom !== (layer.minzoom ?? 0) || existing.maxzoom !== (layer.maxzoom ?? 24)) map.setLayerZoomRange(layer.id, layer.minzoom ?? 0, layer.maxzoom ?? 24);
          for (const [name, value] of Object.entries(layer.paint ?? {})) map.setPaintProperty(layer.id, name as PaintName, value);
          for (const [name, value] of Object.entries(layer.layout ?? {})) if (name !== 'visibility') map.setLayoutProperty(layer.id, name as LayoutName, value);
        }
      }
      if (presentation.scale !== this.scale) {
        this.scale = presentation.scale;
        void this.source(EVENT_SOURCE_ID)?.setClusterOptions({ cluster: true, clusterRadius: clusterRadius(presentation.scale, delivery.upper) });
      }
    });
  }

  /** Calls `listener` with the ids of events once the first frame showing their latest data is drawn. */
  onEventsDrawn(listener: (ids: readonly string[]) => void): () => void {
    this.drawnListeners.add(listener);
    return () => this.drawnListeners.delete(listener);
  }

  get frameCount(): number {
    return this.frames;
  }

  get regionDelivery(): RegionDelivery {
    return this.delivery;
  }

  get isRegionsReady(): boolean {
    return this.regionsReady;
  }

  get selectedEventId(): string | null {
    return this.selectedShown?.id ?? null;
  }

  get layerState(): MapLayerState {
    return this.layers;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.teamTownsTimer) clearTimeout(this.teamTownsTimer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.map.remove();
    this.base.remove();
    this.baseElement.remove();
  }
}

/**
 * Brings a running map in line with `style` where sources came or changed type: a layer whose
 * source differs is taken out and put back at its place in the stack, sources no layer reads any
 * more are removed, new ones added. Everything else (data set since, feature state) stays.
 */
function restyle(map: MapLibreMap, style: StyleSpecification): void {
  for (const layer of style.layers) {
    const existing = map.getLayer(layer.id);
    if (!existing) continue;
    if ('source' in layer && existing.source !== layer.source) map.removeLayer(layer.id);
    // The same source, shown at other zooms (the towns' lines and names under a province's counties).
    else if (existing.minzoom !== (layer.minzoom ?? 0) || existing.maxzoom !== (layer.maxzoom ?? 24)) map.setLayerZoomRange(layer.id, layer.minzoom ?? 0, layer.maxzoom ?? 24);
  }
  const read = new Set(map.getLayersOrder().map((id) => map.getLayer(id)?.source));
  for (const level of REGION_LEVELS) {
    for (const id of [regionSourceId(level), regionLabelSourceId(level)]) if (!(id in style.sources) && map.getSource(id) && !read.has(id)) map.removeSource(id);
  }
  for (const [id, source] of Object.entries(style.sources)) if (!map.getSource(id)) map.addSource(id, source);
  // Bottom-up order: each missing layer goes under the nearest layer above it that is already there.
  for (let i = style.layers.length - 1; i >= 0; i--) {
    const layer = style.layers[i]!;
    if (map.getLayer(layer.id)) continue;
    const above = style.layers.slice(i + 1).find((l) => map.getLayer(l.id))?.id;
    map.addLayer(layer, above);
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
