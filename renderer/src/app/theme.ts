import type { Urgency } from '../../../shared/contracts/events.js';
import type { TeamStatus } from '../../../shared/contracts/workflow.js';

/**
 * Urgency colours follow the Chinese warning convention and are the same in the queue, the map,
 * the wall and the briefing; they are always paired with a label or a shape, never alone.
 */
export const URGENCY_COLORS: Record<Urgency, string> = {
  P0: '#ff4d4f',
  P1: '#ff8a1f',
  P2: '#f2c230',
  P3: '#3f8cff',
};

/** Text that stays readable on each urgency colour. */
export const URGENCY_INK: Record<Urgency, string> = {
  P0: '#ffffff',
  P1: '#1a1200',
  P2: '#1a1400',
  P3: '#ffffff',
};

/**
 * Team status colours (available green, en route blue, on scene purple, busy orange, off duty
 * grey). Teams are drawn as rounded squares with a status mark inside, so they never read as
 * an event's circle even where the blue or orange match an urgency.
 */
export const TEAM_STATUS_COLORS: Record<TeamStatus, string> = {
  available: '#2fbf71',
  en_route: '#4a9dff',
  on_scene: '#a66cff',
  busy: '#ff9a3c',
  off_duty: '#8596a8',
};

/** Text that stays readable on each team status colour. */
export const TEAM_STATUS_INK: Record<TeamStatus, string> = {
  available: '#06210f',
  en_route: '#04152b',
  on_scene: '#ffffff',
  busy: '#241000',
  off_duty: '#0d1620',
};

/** Low-glare control-room palette for the map (the CSS mirrors it for the panels). */
export const MAP_COLORS = {
  background: '#0a121b',
  townFill: '#15263a',
  townFillOpacity: 0.72,
  townLine: '#6f93b8',
  villageLine: '#46688b',
  gridLine: '#35526f',
  microGridLine: '#2a4259',
  townLabel: '#dbe7f3',
  villageLabel: '#a9bed3',
  gridLabel: '#8aa3bb',
  microGridLabel: '#7790a8',
  labelHalo: '#0a121b',
  selectedRing: '#ffffff',
  overdueRing: '#ff4d4f',
  warningRing: '#f2c230',
  eventStrokeNew: '#ffffff',
  eventStrokeActive: '#0a121b',
  eventDone: '#8596a8',
  trail: '#e9f1fa',
} as const;

/**
 * Local fonts only: no web fonts and no glyph server. MapLibre draws labels from this stack with
 * the browser's text engine when the style has no `glyphs`.
 */
export const CJK_FONT_STACK = [
  'Microsoft YaHei',
  'PingFang SC',
  'Noto Sans CJK SC',
  'Source Han Sans SC',
  'WenQuanYi Micro Hei',
  'sans-serif',
] as const;
