import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl';
import type { EventRecord } from '../../../shared/contracts/events.js';
import type { RegionLevel } from '../../../shared/contracts/regions.js';
import { CJK_FONT_STACK } from '../app/theme';
import type { SelectionOrigin } from '../app/selection';
import { diffEventFeatures, eventCollection, EVENT_LAYER_IDS, EVENT_SOURCE_ID, type DeadlineMarks, type ShownEvents, type UrgencyMarks } from './layers/event-layers';
import { buildMapStyle } from './layers/map-style';
import { regionLabelPoints, regionLabelSourceId, regionSourceId, type RegionCollection } from './layers/region-layers';
import {
  diffTeamFeatures,
  TEAM_ICON_PREFIX,
  TEAM_LAYER_IDS,
  TEAM_SOURCE_ID,
  TEAM_TRAIL_SOURCE_ID,
  teamCollection,
  teamIconImage,
  trailCollection,
  type TeamMarks,
} from './layers/team-layers';
import type { TeamSummary, TrailPoint } from '../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../shared/contracts/workflow.js';
import { TEAM_STATUS_COLORS } from '../app/theme';

// Vite does not emit MapLibre's worker on its own; without this the map never loads and says nothing.
setWorkerUrl(workerUrl);

/** Camera moves carry their origin in the event data, so listeners can tell ours from the user's. */
export type CameraOrigin = SelectionOrigin | 'fit-county' | 'board';

/** Zoom at which a flown-to event sits among its grid's labels. */
const FOCUS_ZOOM = 13.5;

type PaintName = Parameters<MapLibreMap['setPaintProperty']>[1];
type LayoutName = Parameters<MapLibreMap['setLayoutProperty']>[1];

/** What the style depends on besides data: the UI language's marks and the UI scale. */
export interface MapPresentation {
  urgencyMarks: UrgencyMarks;
  /** The countdown label's words (剩/超, units) in the UI language. */
  deadlineMarks: DeadlineMarks;
  /** The team layer's status marks and words in the UI language. */
  teamMarks: TeamMarks;
  /** 1 at desk size; grows with the root font size (e.g. ~2 on a 4K wall). */
  scale: number;
}

export interface MapControllerOptions {
  container: HTMLElement;
  presentation: MapPresentation;
  onSelectEvent(id: string): void;
  onSelectTeam(id: string): void;
  /** The four region levels are drawn (sources set and the map idle after it). */
  onRegionsReady(): void;
}

/**
 * Owns the one maplibre Map: builds it from the style, feeds its sources, and turns clicks into
 * selections. Everything the map shows goes through here; React only calls its methods.
 */
export class MapController {
  readonly map: MapLibreMap;
  private readonly loaded: Promise<void>;
  private shown: ShownEvents = { events: new Map(), now: 0 };
  private eventUpdate: Promise<void> = Promise.resolve();
  private readonly regionsSet = new Set<RegionLevel>();
  private selectedId: string | null = null;
  private shownTeams: ReadonlyMap<string, TeamSummary> = new Map();
  private teamUpdate: Promise<void> = Promise.resolve();
  private selectedTeam: string | null = null;
  private trailPoints = 0;
  private regionsReady = false;
  private fitted = false;
  private destroyed = false;

  constructor(private readonly options: MapControllerOptions) {
    this.map = new MapLibreMap({
      container: options.container,
      style: buildMapStyle(options.presentation),
      center: [120.2, 29.3],
      zoom: 8,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      localIdeographFontFamily: CJK_FONT_STACK.join(', '),
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disable(); // j/k/arrows belong to the queue
    this.map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));

    // Team icons are drawn in code (no sprite): added when the style first asks for them.
    this.map.setMissingStyleImageResolver(this.resolveImage);
    this.map.on('click', EVENT_LAYER_IDS.circle, this.onEventClick);
    this.map.on('mouseenter', EVENT_LAYER_IDS.circle, this.onEventEnter);
    this.map.on('mouseleave', EVENT_LAYER_IDS.circle, this.onEventLeave);
    this.map.on('click', TEAM_LAYER_IDS.marker, this.onTeamClick);
    this.map.on('mouseenter', TEAM_LAYER_IDS.marker, this.onEventEnter);
    this.map.on('mouseleave', TEAM_LAYER_IDS.marker, this.onEventLeave);
  }

  private resolveImage = (id: string) => {
    if (!id.startsWith(TEAM_ICON_PREFIX) || this.map.hasImage(id)) return;
    const color = TEAM_STATUS_COLORS[id.slice(TEAM_ICON_PREFIX.length) as TeamStatus];
    if (color) this.map.addImage(id, teamIconImage(color, 2), { pixelRatio: 2 });
  };

  private onTeamClick = (e: MapLayerMouseEvent) => {
    const id = e.features?.[0]?.properties?.id;
    if (typeof id !== 'string') return;
    this.options.onSelectTeam(id);
  };

  private onEventClick = (e: MapLayerMouseEvent) => {
    // Layer click handlers run in the order they were added: events first, then teams. A click
    // on a team square that also hits an event dot selects the team only.
    const onTeam = this.map.queryRenderedFeatures(e.point, { layers: [TEAM_LAYER_IDS.marker] }).length > 0;
    if (onTeam) return;
    const id = e.features?.[0]?.properties?.id;
    if (typeof id === 'string') this.options.onSelectEvent(id);
  };

  private onEventEnter = () => {
    this.map.getCanvas().style.cursor = 'pointer';
  };

  private onEventLeave = () => {
    this.map.getCanvas().style.cursor = '';
  };

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  /** Sets one region level's polygons and labels, once; later calls with the same data are free. */
  async setRegions(level: RegionLevel, collection: RegionCollection): Promise<void> {
    if (this.regionsSet.has(level)) return;
    this.regionsSet.add(level);
    await this.loaded;
    if (this.destroyed) return;
    void this.source(regionSourceId(level))?.setData(collection);
    void this.source(regionLabelSourceId(level))?.setData(regionLabelPoints(collection));
    if (this.regionsSet.size === 4 && !this.regionsReady) {
      this.map.once('idle', () => {
        if (this.destroyed) return;
        this.regionsReady = true;
        this.options.onRegionsReady();
      });
    }
  }

  /** Fits the county once, when its bbox is first known. */
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

  /**
   * Brings the event source in line with `events` (countdowns as of `now`) through `updateData` diffs, so a burst of
   * changes never re-sends the whole set, let alone the region polygons. Calls are chained so
   * each diff applies to the state the previous one left.
   */
  setEvents(events: ReadonlyMap<string, EventRecord>, now: number): void {
    this.eventUpdate = this.eventUpdate.then(async () => {
      await this.loaded;
      if (this.destroyed) return;
      const source = this.source(EVENT_SOURCE_ID);
      if (!source) return;
      const before = this.shown;
      const next: ShownEvents = { events, now };
      this.shown = next;
      if (before.events.size === 0) {
        await source.setData(eventCollection(events.values(), now));
        return;
      }
      const diff = diffEventFeatures(before, next);
      if (!diff) return;
      try {
        await source.updateData(diff);
      } catch {
        // A diff the source cannot apply (should not happen with unique ids): resend everything.
        await source.setData(eventCollection(events.values(), now));
      }
    });
  }

  /** Brings the team source in line with `teams` through `updateData` diffs (moves cost a few bytes). */
  setTeams(teams: ReadonlyMap<string, TeamSummary>): void {
    this.teamUpdate = this.teamUpdate.then(async () => {
      await this.loaded;
      if (this.destroyed) return;
      const source = this.source(TEAM_SOURCE_ID);
      if (!source) return;
      const before = this.shownTeams;
      this.shownTeams = teams;
      if (before.size === 0) {
        await source.setData(teamCollection(teams.values()));
      } else {
        const diff = diffTeamFeatures(before, teams);
        if (!diff) return;
        try {
          await source.updateData(diff);
        } catch {
          await source.setData(teamCollection(teams.values()));
        }
      }
      // feature state survives updates, but a team added anew needs its ring again
      if (this.selectedTeam && teams.has(this.selectedTeam)) this.map.setFeatureState({ source: TEAM_SOURCE_ID, id: this.selectedTeam }, { selected: true });
    });
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

  /** Rings the selected event; flies to it unless the map itself made the selection. */
  async select(id: string | null, origin: SelectionOrigin, location: { lon: number; lat: number } | null): Promise<void> {
    await this.loaded;
    if (this.destroyed) return;
    if (this.selectedId !== null && this.selectedId !== id) {
      this.map.setFeatureState({ source: EVENT_SOURCE_ID, id: this.selectedId }, { selected: false });
    }
    this.selectedId = id;
    if (id === null) return;
    this.map.setFeatureState({ source: EVENT_SOURCE_ID, id }, { selected: true });
    if (origin === 'map' || !location) return;
    this.map.flyTo(
      { center: [location.lon, location.lat], zoom: Math.max(this.map.getZoom(), FOCUS_ZOOM), duration: 700, essential: true },
      { origin: origin satisfies CameraOrigin },
    );
  }

  /**
   * Re-derives the layers from the style builder and applies their paint and layout properties,
   * so the built style stays the one source of truth; MapLibre skips values that did not change.
   * Sources are left alone: nothing is re-parsed.
   */
  setPresentation(presentation: MapPresentation): void {
    void this.loaded.then(() => {
      if (this.destroyed) return;
      for (const layer of buildMapStyle(presentation).layers) {
        if (!this.map.getLayer(layer.id)) continue;
        for (const [name, value] of Object.entries(layer.paint ?? {})) this.map.setPaintProperty(layer.id, name as PaintName, value);
        for (const [name, value] of Object.entries(layer.layout ?? {})) this.map.setLayoutProperty(layer.id, name as LayoutName, value);
      }
    });
  }

  get isRegionsReady(): boolean {
    return this.regionsReady;
  }

  get selectedEventId(): string | null {
    return this.selectedId;
  }

  destroy(): void {
    this.destroyed = true;
    this.map.remove();
  }
}
