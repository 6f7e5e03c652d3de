import type { StepLimits, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';

const min = (value: number): TimeLimit => ({ value, unit: 'minutes' });
const wh = (value: number): TimeLimit => ({ value, unit: 'work_hours' });
const wd = (value: number): TimeLimit => ({ value, unit: 'work_days' });

/**
 * Proposed step limits per urgency tier (catalog-reference §3b): file and dispatch within
 * 10 minutes for 特急, 30 minutes for 紧急, half a working hour / one working hour for 一般,
 * a working day for 复杂; verification within 1 h (特急), 2 h (紧急, rural county), a working
 * day (一般) or two (复杂). Emergencies count plain minutes: they do not wait for office hours.
 */
export const TIER_STEP_LIMITS: Readonly<Record<Urgency, Omit<StepLimits, 'handle'>>> = {
  P0: { file: min(10), dispatch: min(10), verify: min(60) },
  P1: { file: min(30), dispatch: min(30), verify: min(120) },
  P2: { file: wh(0.5), dispatch: wh(1), verify: wd(1) },
  P3: { file: wd(1), dispatch: wd(1), verify: wd(2) },
};

/** The limits of every step for an urgency, given the item's handling limit at that urgency. */
export function tierLimits(urgency: Urgency, handle: TimeLimit): StepLimits {
  return { ...TIER_STEP_LIMITS[urgency], handle };
}
