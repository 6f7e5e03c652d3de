import { MAP_COLORS } from '../../app/theme';
import {
  EVENT_HEAT_SOURCE_ID,
  EVENT_LAYER_IDS,
  EVENT_SOURCE_ID,
  eventHeatSource,
  eventLayers,
  eventSource,
  MAP_ITEM_NAMES,
  MAP_NOW,
  SELECTED_EVENT_SOURCE_ID,
  selectedEventLayers,
  selectedEventSource,
  UNIT_SHADOW_IDS,
  UNIT_SOURCE_ID,
  unitSource,
  type ClusterMarks,
  type DeadlineMarks,
  type UrgencyMarks,
} from './event-layers';
import { COUNTY_DELIVERY, regionLabelSources, regionLayers, regionPolygonSources, TOWN_MIN_ZOOM_UNDER_COUNTIES, type RegionDelivery } from './region-layers';
import { TEAM_LAYER_IDS, TEAM_SOURCE_ID, TEAM_TOWN_SOURCE_ID, TEAM_TRAIL_SOURCE_ID, teamLayers, teamSource, teamTownSource, teamTrailSource, type TeamMarks } from './team-layers';
import type { LayerSpecification, StyleSpecification } from './style-types';

const HEAT = new Set<string>([EVENT_LAYER_IDS.heat]);
const SHADOW = new Set<string>([EVENT_LAYER_IDS.shadow, ...UNIT_SHADOW_IDS]);
const isLabel = (l: LayerSpecification) => l.type === 'symbol';
/** Names placed after the markers and teams (see `buildOverlayStyle`): the towns', and on a platform the counties' and cities'. */
const COARSE_LABELS = new Set(['town-label', 'county-label', 'city-label']);

export interface MapStyleOptions {
  urgencyMarks: UrgencyMarks;
  deadlineMarks?: DeadlineMarks;
  clusterMarks?: ClusterMarks;
  teamMarks?: TeamMarks;
  scale?: number;
  /** How the static layers arrive (GeoJSON or tiles); a county's by default. */
  delivery?: RegionDelivery;
}

/*
 * The map is two MapLibre maps stacked in one place, with one camera: the base (the county's
 * ground, boundaries of every level) and, on a transparent canvas over it, the overlay (names,
 * events, teams, the selected case). WebGL redraws a whole canvas for any change, and drawing
 * thousands of boundary lines is what costs: in software-rendered WebGL (remote desktops, VMs)
 * a frame of the whole county takes longer than the time between two pushed events. So a
 * pushed event redraws only the overlay; the base is drawn when the camera moves.
 *
 * Both styles are built here, in code: the single source of truth for what the map shows. No
 * `glyphs`, `sprite` or remote source: the console runs on closed networks, and labels are drawn
 * from local fonts. Region sources start empty and are filled once each; events live in their
 * own source, changed only through `updateData`; so do the teams.
 */

/** The base map: background, town fill, boundaries of every level (fine under coarse). */
export function buildBaseStyle(options: Pick<MapStyleOptions, 'scale' | 'delivery'>): StyleSpecification {
  const delivery = options.delivery ?? COUNTY_DELIVERY;
  const regions = regionLayers(options.scale ?? 1, delivery);
  return {
    version: 8,
    name: 'gridcommand-night-base',
    sources: regionPolygonSources(delivery),
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } }, ...regions.filter((l) => !isLabel(l))],
  };
}

/**
 * The overlay, bottom up: the heat, village, grid and micro-grid names, the selected team's
 * trail, events (bubbles or markers), teams (town counts or squares), town names, the selected
 * case with its halo, and last the invisible shadow of every marker and bubble. MapLibre places
 * labels from the top of the stack down: markers and bubbles claim their room first, then the
 * town names (which find a free side of their anchor), then the town counts and the rest, so no
 * name is ever written over a marker: one that does not fit moves to another side or waits for
 * the next zoom.
 */
export function buildOverlayStyle(options: MapStyleOptions): StyleSpecification {
  const scale = options.scale ?? 1;
  const delivery = options.delivery ?? COUNTY_DELIVERY;
  const labels = regionLayers(scale, delivery).filter(isLabel);
  const townLabels = labels.filter((l) => COARSE_LABELS.has(l.id));
  // On a platform of several counties, one bubble per county (and per city) below a county's zoom.
  const units = delivery.upper && delivery.units?.length ? { cities: delivery.units.some((u) => u.level === 'city') } : null;
  const events = eventLayers({ urgency: options.urgencyMarks, deadline: options.deadlineMarks, cluster: options.clusterMarks }, scale, units);
  const [trail, trailEnds, ...teamLayersRest] = teamLayers(options.teamMarks, scale);
  // Each town's team panel shows with its name: over a province's 1,000-odd towns they would cover the map.
  const teamMarkers = delivery.upper ? teamLayersRest.map((l) => (l.id === TEAM_LAYER_IDS.town ? { ...l, minzoom: TOWN_MIN_ZOOM_UNDER_COUNTIES.label } : l)) : teamLayersRest;
  return {
    version: 8,
    name: 'gridcommand-night-overlay',
    // The map's clock: the countdown labels read it, so passing minutes change no feature.
    // Item names in the UI language: the item labels read them, so a language switch changes no feature.
    state: { [MAP_NOW]: { default: 0 }, [MAP_ITEM_NAMES]: { default: {} } },
    sources: {
      ...regionLabelSources(delivery),
      [EVENT_HEAT_SOURCE_ID]: eventHeatSource(),
      [EVENT_SOURCE_ID]: eventSource(scale, delivery.upper),
      [TEAM_SOURCE_ID]: teamSource(),
      [TEAM_TOWN_SOURCE_ID]: teamTownSource(),
      [TEAM_TRAIL_SOURCE_ID]: teamTrailSource(),
      [SELECTED_EVENT_SOURCE_ID]: selectedEventSource(),
      ...(units ? { [UNIT_SOURCE_ID]: unitSource() } : {}),
    },
    layers: [
      ...events.filter((l) => HEAT.has(l.id)),
      ...labels.filter((l) => !townLabels.includes(l)),
      trail!,
      trailEnds!,
      ...events.filter((l) => !HEAT.has(l.id) && !SHADOW.has(l.id)),
      // Teams over the events: a team on scene sits on its case, and its square frames the dot.
      ...teamMarkers,
      ...townLabels,
      ...selectedEventLayers(options.urgencyMarks, scale),
      ...events.filter((l) => SHADOW.has(l.id)),
    ],
  };
}
