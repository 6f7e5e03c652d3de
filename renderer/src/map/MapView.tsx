import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { REGION_LEVELS, type RegionLevel } from '../../../shared/contracts/regions.js';
import type { Selection } from '../app/selection';
import type { TeamSummary, TrailPoint } from '../../../shared/contracts/teams.js';
import type { TeamSelection } from '../app/team-selection';
import { EVENT_DRAG_TYPE } from '../app/event-drag';
import type { RegionCollection, RegionDelivery } from './layers/region-layers';
import { useServices } from '../app/services';
import { useNow } from '../app/use-now';
import type { MapLayerState } from './layer-switches';
import { MapController, type MapPresentation } from './map-controller';
import { installMapProbe } from './map-probe';
import { useMapWords } from './use-map-words';

/** A place to frame (a search result), flown to again each time `nonce` changes. */
export interface MapPlace {
  bbox: [number, number, number, number];
  nonce: number;
}

/** A point marked with a pin (a household's address chosen in the search), with its words for screen readers. */
export interface MapPin {
  lon: number;
  lat: number;
  label: string;
}

export interface MapViewProps {
  geo: Partial<Record<RegionLevel, RegionCollection>>;
  /** How the static layers arrive (GeoJSON levels in `geo`, the others as tiles); undefined until the region tree is read. */
  delivery: RegionDelivery | undefined;
  /** Where the map opens (fitted once, when first known): the county, or a town user's towns. */
  bbox: [number, number, number, number] | undefined;
  /** The place last chosen in the search box; null for none. */
  place?: MapPlace | null;
  /** The address whose place card is open, pinned; null for none. */
  pin?: MapPin | null;
  events: ReadonlyMap<string, EventRecord>;
  selection: Selection;
  teams: ReadonlyMap<string, TeamSummary>;
  teamSelection: TeamSelection;
  /** The selected team's last-hour trail, oldest first. */
  trail: readonly TrailPoint[];
  /** The layer switches (see `useMapLayers`). */
  layers: MapLayerState;
  /** UI scale (root font size relative to the desk's). */
  scale: number;
  /** Item names in the UI language by code; null where the names the cases were filed under are shown. */
  itemNames: Readonly<Record<string, string>> | null;
  onSelectEvent(id: string): void;
  onSelectTeam(id: string): void;
  /** A queue row was dropped on a team's marker; null when drag and drop dispatch is not offered. */
  onDropEventOnTeam: ((eventId: string, teamId: string) => void) | null;
}

/** The map's clock: deadline rings and countdown labels move in whole minutes. */
const MAP_CLOCK_MS = 60_000;

/** The one map of the console. React hands it data; the controller does the drawing. */
export function MapView({ geo, delivery, bbox, place = null, pin = null, events, selection, teams, teamSelection, trail, layers, scale, itemNames, onSelectEvent, onSelectTeam, onDropEventOnTeam }: MapViewProps) {
  const { t } = useTranslation();
  const words = useMapWords();
  const { session } = useServices();
  const [controller, setController] = useState<MapController | null>(null);
  const [failure, setFailure] = useState(false);
  const [regionsReady, setRegionsReady] = useState(false);
  const onSelectRef = useRef(onSelectEvent);
  const onSelectTeamRef = useRef(onSelectTeam);
  const [dropTeam, setDropTeam] = useState<string | null>(null);
  const { urgencyMarks, deadlineMarks, clusterMarks, teamMarks, locale } = words;
  const presentation = useMemo<MapPresentation>(() => ({ urgencyMarks, deadlineMarks, clusterMarks, teamMarks, scale }), [urgencyMarks, deadlineMarks, clusterMarks, teamMarks, scale]);
  const presentationRef = useRef(presentation);
  const localeRef = useRef(locale);
  const layersRef = useRef(layers);

  useEffect(() => {
    onSelectRef.current = onSelectEvent;
    onSelectTeamRef.current = onSelectTeam;
  }, [onSelectEvent, onSelectTeam]);

  // React 19 ref callbacks may return a cleanup: the map lives exactly as long as its element.
  const attach = useCallback((element: HTMLDivElement | null) => {
    if (!element) return;
    let created: MapController;
    try {
      created = new MapController({
        container: element,
        presentation: presentationRef.current,
        locale: localeRef.current,
        layers: layersRef.current,
        token: session.token,
        onSelectEvent: (id) => onSelectRef.current(id),
        onSelectTeam: (id) => onSelectTeamRef.current(id),
        onRegionsReady: () => setRegionsReady(true),
      });
    } catch {
      // No WebGL (old GPU, remote desktop): the queue and the detail still work without the map.
      setFailure(true);
      return;
    }
    const removeProbe = installMapProbe(created);
    setController(created);
    return () => {
      removeProbe();
      created.destroy();
      setController(null);
    };
  }, [session]);

  useEffect(() => {
    if (controller && delivery) void controller.setDelivery(delivery);
  }, [controller, delivery]);

  useEffect(() => {
    if (!controller) return;
    for (const level of REGION_LEVELS) {
      const data = geo[level];
      if (data) void controller.setRegions(level, data);
    }
  }, [controller, geo]);

  useEffect(() => {
    if (controller && bbox) void controller.fitCounty(bbox);
  }, [controller, bbox]);

  useEffect(() => {
    if (controller && place) void controller.fitPlace(place.bbox);
  }, [controller, place]);

  useEffect(() => {
    if (controller) void controller.setPin(pin);
  }, [controller, pin]);

  const now = useNow(MAP_CLOCK_MS);
  const eventsRef = useRef(events);
  useEffect(() => {
    eventsRef.current = events;
    controller?.setEvents(events, now);
  }, [controller, events, now]);

  useEffect(() => {
    layersRef.current = layers;
    controller?.setLayers(layers);
  }, [controller, layers]);

  useEffect(() => {
    controller?.setItemNames(itemNames);
  }, [controller, itemNames]);

  // Each explicit selection draws the event on top and, unless the map made it, flies there;
  // opening the detail or an update of the selected event's record does not move the camera.
  // A case the live events do not hold (found by search, listed by history) comes with its record.
  const { id: selectedId, origin, nonce, record } = selection;
  useEffect(() => {
    const location = selectedId ? (eventsRef.current.get(selectedId)?.location ?? record?.location ?? null) : null;
    void controller?.select(selectedId, origin, location, record);
  }, [controller, selectedId, origin, nonce, record]);

  useEffect(() => {
    controller?.setTeams(teams);
  }, [controller, teams]);

  const teamsRef = useRef(teams);
  useEffect(() => {
    teamsRef.current = teams;
  }, [teams]);
  const { id: teamId, origin: teamOrigin, nonce: teamNonce } = teamSelection;
  useEffect(() => {
    const location = teamId ? (teamsRef.current.get(teamId)?.location ?? null) : null;
    void controller?.selectTeam(teamId, teamOrigin !== 'map', location);
  }, [controller, teamId, teamOrigin, teamNonce]);

  useEffect(() => {
    void controller?.setTrail(trail);
  }, [controller, trail]);

  // A queue row dragged over the map: the team square under the pointer is the drop target.
  const teamUnder = (e: DragEvent<HTMLDivElement>): string | null => {
    if (!controller || !e.dataTransfer.types.includes(EVENT_DRAG_TYPE)) return null;
    const box = e.currentTarget.getBoundingClientRect();
    return controller.teamAt({ x: e.clientX - box.left, y: e.clientY - box.top });
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    if (!onDropEventOnTeam) return;
    const team = teamUnder(e);
    setDropTeam(team);
    if (team) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'link';
    }
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const team = teamUnder(e);
    const eventId = e.dataTransfer.getData(EVENT_DRAG_TYPE);
    setDropTeam(null);
    if (!team || !eventId || !onDropEventOnTeam) return;
    e.preventDefault();
    onDropEventOnTeam(eventId, team);
  };
  const dropName = dropTeam ? teams.get(dropTeam)?.name : undefined;

  useEffect(() => {
    presentationRef.current = presentation;
    controller?.setPresentation(presentation);
  }, [controller, presentation]);

  useEffect(() => {
    if (localeRef.current === locale) return;
    localeRef.current = locale;
    controller?.setLocale(locale);
  }, [controller, locale]);

  return (
    <div className="map-view" role="region" aria-label={t('map.label')} data-regions-ready={regionsReady}>
      <div ref={attach} className="map-canvas" onDragOver={onDragOver} onDragLeave={() => setDropTeam(null)} onDrop={onDrop} />
      {dropName && (
        <div className="map-drop-hint" role="status">
          {t('teams.dropOn', { team: dropName })}
        </div>
      )}
      {failure && <div className="map-failure">{t('error.mapUnavailable')}</div>}
    </div>
  );
}
