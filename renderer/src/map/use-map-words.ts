import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { TEAM_STATUS_VALUES } from '../../../shared/contracts/workflow.js';
import { splitAroundTime, TIME_SLOT, type ClusterMarks, type DeadlineMarks, type UrgencyMarks } from './layers/event-layers';
import type { TeamMarks } from './layers/team-layers';

/** MapLibre's UI string ids and the console's message for each (all of them, so no English slips through). */
const MAPLIBRE_STRINGS: Record<string, string> = {
  'NavigationControl.ZoomIn': 'map.controls.zoomIn',
  'NavigationControl.ZoomOut': 'map.controls.zoomOut',
  'NavigationControl.ResetBearing': 'map.controls.resetBearing',
  'ScaleControl.Meters': 'map.controls.meters',
  'ScaleControl.Kilometers': 'map.controls.kilometers',
  'ScaleControl.Feet': 'map.controls.feet',
  'ScaleControl.Miles': 'map.controls.miles',
  'ScaleControl.NauticalMiles': 'map.controls.nauticalMiles',
  'Map.Title': 'map.label',
  'AttributionControl.ToggleAttribution': 'map.controls.toggleAttribution',
  'AttributionControl.MapFeedback': 'map.controls.mapFeedback',
  'FullscreenControl.Enter': 'map.controls.fullscreenEnter',
  'FullscreenControl.Exit': 'map.controls.fullscreenExit',
  'GeolocateControl.FindMyLocation': 'map.controls.findMyLocation',
  'GeolocateControl.LocationNotAvailable': 'map.controls.locationNotAvailable',
  'LogoControl.Title': 'map.controls.logo',
  'Marker.Title': 'map.controls.marker',
  'Popup.Close': 'map.controls.popupClose',
  'GlobeControl.Enable': 'map.controls.globeEnable',
  'GlobeControl.Disable': 'map.controls.globeDisable',
  'TerrainControl.Enable': 'map.controls.terrainEnable',
  'TerrainControl.Disable': 'map.controls.terrainDisable',
  'CooperativeGesturesHandler.WindowsHelpText': 'map.controls.scrollHelpWindows',
  'CooperativeGesturesHandler.MacHelpText': 'map.controls.scrollHelpMac',
  'CooperativeGesturesHandler.MobileHelpText': 'map.controls.touchHelp',
};

export const MAPLIBRE_STRING_IDS = Object.keys(MAPLIBRE_STRINGS);

export interface MapWords {
  urgencyMarks: UrgencyMarks;
  deadlineMarks: DeadlineMarks;
  clusterMarks: ClusterMarks;
  teamMarks: TeamMarks;
  /** MapLibre's `locale` table in the UI language. */
  locale: Record<string, string>;
}

const COUNT_SLOT = '\u2060N\u2060';

/** Everything the map writes, in the UI language; a new object only when the language changes. */
export function useMapWords(): MapWords {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo<MapWords>(() => {
    const tl = i18n.getFixedT(language) as unknown as (key: string, options?: Record<string, unknown>) => string;
    const around = (key: string) => {
      const rendered = tl(key, { n: COUNT_SLOT });
      const at = rendered.indexOf(COUNT_SLOT);
      return at < 0 ? { before: rendered, after: '' } : { before: rendered.slice(0, at), after: rendered.slice(at + COUNT_SLOT.length) };
    };
    const of = (prefix: string) => Object.fromEntries(TEAM_STATUS_VALUES.map((s) => [s, tl(`${prefix}.${s}`)])) as TeamMarks['mark'];
    return {
      urgencyMarks: { P0: tl('urgencyMark.P0'), P1: tl('urgencyMark.P1'), P2: tl('urgencyMark.P2'), P3: tl('urgencyMark.P3') },
      deadlineMarks: {
        left: splitAroundTime(tl('map.remainingLeft', { time: TIME_SLOT })),
        over: splitAroundTime(tl('map.remainingOver', { time: TIME_SLOT })),
        day: tl('map.unitDay'),
        hour: tl('map.unitHour'),
        minute: tl('map.unitMinute'),
        gap: language === 'en' ? ' ' : '',
      },
      clusterMarks: {
        worst: { P0: tl('urgency.P0'), P1: tl('urgency.P1'), P2: tl('urgency.P2'), P3: tl('urgency.P3'), done: tl('map.clusterDone') },
        overdue: around('map.clusterOverdue'),
      },
      teamMarks: { mark: of('teamStatusMark'), word: of('teamStatus'), townTotal: around('map.townTeams') },
      locale: Object.fromEntries(Object.entries(MAPLIBRE_STRINGS).map(([id, key]) => [id, tl(key)])),
    };
  }, [i18n, language]);
}
