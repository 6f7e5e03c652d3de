import { URGENCIES } from '../../../shared/contracts/events.js';
import { URGENCY_COLORS, URGENCY_INK } from './theme';

/** Hands the urgency palette to the stylesheet, so the queue and the map share one definition. */
export function applyThemeVariables(root: HTMLElement): void {
  for (const u of URGENCIES) {
    root.style.setProperty(`--urgency-${u}`, URGENCY_COLORS[u]);
    root.style.setProperty(`--urgency-${u}-ink`, URGENCY_INK[u]);
  }
}
