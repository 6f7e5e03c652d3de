import type { Recommendation } from '../../../../../shared/contracts/workflow.js';

/**
 * The choice a key makes in a dialog's ranked list of `count` options: ↑/↓ move (stopping at
 * the ends), 1–9 pick directly. Null when the key does not choose (Enter confirms elsewhere).
 */
export function listKeyChoice(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return Math.min(count - 1, current + 1);
  if (key === 'ArrowUp') return Math.max(0, current - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (/^[1-9]$/.test(key)) {
    const index = Number(key) - 1;
    return index < count ? index : null;
  }
  return null;
}

/** The machine's choice: the best eligible team (the list is ranked, eligible first); else the first. */
export function defaultChoice(recommendations: readonly Recommendation[]): number | null {
  if (recommendations.length === 0) return null;
  const eligible = recommendations.findIndex((r) => r.eligible);
  return eligible >= 0 ? eligible : 0;
}
