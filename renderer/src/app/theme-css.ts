import { URGENCIES } from '../../../shared/contracts/events.js';
import { TEAM_STATUS_VALUES } from '../../../shared/contracts/workflow.js';
import { TEAM_STATUS_COLORS, TEAM_STATUS_INK, URGENCY_COLORS, URGENCY_INK } from './theme';

/** Hands the urgency and team status palettes to the stylesheet, so the panels and the map share one definition. */
export function applyThemeVariables(root: HTMLElement): void {
  for (const u of URGENCIES) {
    root.style.setProperty(`--urgency-${u}`, URGENCY_COLORS[u]);
    root.style.setProperty(`--urgency-${u}-ink`, URGENCY_INK[u]);
  }
  for (const s of TEAM_STATUS_VALUES) {
    root.style.setProperty(`--team-${s}`, TEAM_STATUS_COLORS[s]);
    root.style.setProperty(`--team-${s}-ink`, TEAM_STATUS_INK[s]);
  }
}
