import { MAP_COLORS } from '../../app/theme';
import { EVENT_SOURCE_ID, eventLayers, eventSource, type DeadlineMarks, type UrgencyMarks } from './event-layers';
import { regionLayers, regionSources } from './region-layers';
import { TEAM_SOURCE_ID, TEAM_TRAIL_SOURCE_ID, teamLayers, teamSource, teamTrailSource, type TeamMarks } from './team-layers';
import type { StyleSpecification } from './style-types';

const TOP_LABELS = new Set(['town-label']);

/**
 * The whole map style, built in code: the single source of truth for what the map shows.
 * No `glyphs`, `sprite` or remote source: the console runs on closed networks, and labels are
 * drawn from local fonts. Region sources start empty and are filled once each; events live in
 * their own source, changed only through `updateData`; so do the teams.
 */
export function buildMapStyle(options: { urgencyMarks: UrgencyMarks; deadlineMarks?: DeadlineMarks; teamMarks?: TeamMarks; scale?: number }): StyleSpecification {
  const scale = options.scale ?? 1;
  const regions = regionLayers(scale);
  // Town names go over the markers: with hundreds of events in the centre they are what keeps
  // the overview readable. Finer names stay under the markers.
  const onTop = regions.filter((l) => TOP_LABELS.has(l.id));
  return {
    version: 8,
    name: 'gridcommand-night',
    sources: { ...regionSources(), [EVENT_SOURCE_ID]: eventSource(), [TEAM_SOURCE_ID]: teamSource(), [TEAM_TRAIL_SOURCE_ID]: teamTrailSource() },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
      ...regions.filter((l) => !TOP_LABELS.has(l.id)),
      ...eventLayers(options.urgencyMarks, scale, options.deadlineMarks),
      // Teams over the events: a team on scene sits on its case, and its square frames the dot.
      ...teamLayers(options.teamMarks, scale),
      ...onTop,
    ],
  };
}
