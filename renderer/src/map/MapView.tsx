import 'maplibre-gl/dist/maplibre-gl.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { REGION_LEVELS, type RegionLevel } from '../../../shared/contracts/regions.js';
import type { Selection } from '../app/selection';
import type { DeadlineMarks, UrgencyMarks } from './layers/event-layers';
import type { RegionCollection } from './layers/region-layers';
import { useNow } from '../app/use-now';
import { MapController, type MapPresentation } from './map-controller';
import { installMapProbe } from './map-probe';

export interface MapViewProps {
  geo: Partial<Record<RegionLevel, RegionCollection>>;
  bbox: [number, number, number, number] | undefined;
  events: ReadonlyMap<string, EventRecord>;
  selection: Selection;
  urgencyMarks: UrgencyMarks;
  deadlineMarks: DeadlineMarks;
  /** UI scale (root font size relative to the desk's). */
  scale: number;
  onSelectEvent(id: string): void;
}

/** The one map of the console. React hands it data; the controller does the drawing. */
export function MapView({ geo, bbox, events, selection, urgencyMarks, deadlineMarks, scale, onSelectEvent }: MapViewProps) {
  const { t } = useTranslation();
  const [controller, setController] = useState<MapController | null>(null);
  const [failure, setFailure] = useState(false);
  const [regionsReady, setRegionsReady] = useState(false);
  const onSelectRef = useRef(onSelectEvent);
  const presentation = useMemo<MapPresentation>(() => ({ urgencyMarks, deadlineMarks, scale }), [urgencyMarks, deadlineMarks, scale]);
  const presentationRef = useRef(presentation);

  useEffect(() => {
    onSelectRef.current = onSelectEvent;
  }, [onSelectEvent]);

  // React 19 ref callbacks may return a cleanup: the map lives exactly as long as its element.
  const attach = useCallback((element: HTMLDivElement | null) => {
    if (!element) return;
    let created: MapController;
    try {
      created = new MapController({
        container: element,
        presentation: presentationRef.current,
        onSelectEvent: (id) => onSelectRef.current(id),
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
  }, []);

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

  // Deadline rings and countdown labels follow the clock at 15 s steps; markers follow every change at once.
  const now = useNow(15_000);
  const eventsRef = useRef(events);
  useEffect(() => {
    eventsRef.current = events;
    controller?.setEvents(events, now);
  }, [controller, events, now]);

  // Each explicit selection rings the event and, unless the map made it, flies there; opening the
  // detail or an update of the selected event's record does not move the camera.
  const { id: selectedId, origin, nonce } = selection;
  useEffect(() => {
    const location = selectedId ? (eventsRef.current.get(selectedId)?.location ?? null) : null;
    void controller?.select(selectedId, origin, location);
  }, [controller, selectedId, origin, nonce]);

  useEffect(() => {
    presentationRef.current = presentation;
    controller?.setPresentation(presentation);
  }, [controller, presentation]);

  return (
    <div className="map-view" role="region" aria-label={t('map.label')} data-regions-ready={regionsReady}>
      <div ref={attach} className="map-canvas" />
      {failure && <div className="map-failure">{t('error.mapUnavailable')}</div>}
    </div>
  );
}
