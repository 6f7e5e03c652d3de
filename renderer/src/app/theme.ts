import type { Urgency } from '../../../shared/contracts/events.js';

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
