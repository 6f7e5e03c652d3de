import { EVENT_LAYER_IDS, MARKER_PHASES, type MarkerPhase } from './layers/event-layers';
import { TEAM_LAYER_IDS } from './layers/team-layers';

/**
 * The map's layer switches: events by the step they wait on (the marker phases), the teams,
 * the grid and micro-grid boundaries, and the heat of open cases. Each dispatcher's choice is
 * kept in the browser (`localStorage`, per user), so a shift starts with the map as they left it.
 */
export const MAP_LAYER_SWITCHES = [...MARKER_PHASES, 'teams', 'grids', 'microGrids', 'heat'] as const;
export type MapLayerSwitch = (typeof MAP_LAYER_SWITCHES)[number];
export type MapLayerState = Readonly<Record<MapLayerSwitch, boolean>>;

/** Everything on but the heat, which would hide the markers under it. */
export const DEFAULT_MAP_LAYERS: MapLayerState = { new: true, active: true, review: true, done: true, teams: true, grids: true, microGrids: true, heat: false };

/** The style layers each switch shows or hides; the event phases filter the data instead (bubbles must count only what is shown). */
export const SWITCHED_LAYERS: Record<Exclude<MapLayerSwitch, MarkerPhase>, readonly string[]> = {
  teams: Object.values(TEAM_LAYER_IDS),
  grids: ['grid-line', 'grid-label'],
  microGrids: ['microgrid-line', 'microgrid-label'],
  heat: [EVENT_LAYER_IDS.heat],
};

export function shownPhases(state: MapLayerState): ReadonlySet<MarkerPhase> {
  return new Set(MARKER_PHASES.filter((phase) => state[phase]));
}

/** Every switched style layer with its visibility under `state`. */
export function layerVisibility(state: MapLayerState): [layerId: string, visibility: 'visible' | 'none'][] {
  return (Object.keys(SWITCHED_LAYERS) as (keyof typeof SWITCHED_LAYERS)[]).flatMap((name) => SWITCHED_LAYERS[name].map((id): [string, 'visible' | 'none'] => [id, state[name] ? 'visible' : 'none']));
}

export const mapLayersKey = (userId: string) => `gridcommand.map-layers.${userId}`;

/** A stored choice, read leniently: unknown keys are dropped and missing ones take the default. */
export function parseMapLayers(raw: string | null): MapLayerState {
  if (!raw) return DEFAULT_MAP_LAYERS;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return DEFAULT_MAP_LAYERS;
  }
  if (typeof stored !== 'object' || stored === null) return DEFAULT_MAP_LAYERS;
  const state = { ...DEFAULT_MAP_LAYERS };
  for (const name of MAP_LAYER_SWITCHES) {
    const value = (stored as Record<string, unknown>)[name];
    if (typeof value === 'boolean') state[name] = value;
  }
  return state;
}
