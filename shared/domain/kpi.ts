import type { KpiCounts, Kpis } from '../contracts/kpi.js';

/**
 * The evaluation formulas of domain.md §5, one row per KPI: `numerator / denominator` in percent.
 * `computeKpis` reads this table, so the console can show the same formulas it computes with.
 */
export const KPI_FORMULAS: Readonly<Record<keyof Kpis, { numerator: keyof KpiCounts; denominator: keyof KpiCounts; label: string }>> = {
  filingRate: { numerator: 'filed', denominator: 'accepted', label: '立案率' },
  dispatchRate: { numerator: 'dispatched', denominator: 'filed', label: '派遣率' },
  closureRate: { numerator: 'closed', denominator: 'due', label: '结案率' },
  onTimeClosureRate: { numerator: 'closedOnTime', denominator: 'due', label: '按期结案率' },
  reworkRate: { numerator: 'rework', denominator: 'due', label: '返工率' },
  extensionRate: { numerator: 'extended', denominator: 'due', label: '延期率' },
};

const COUNT_FIELDS: readonly (keyof KpiCounts)[] = ['accepted', 'filed', 'dispatched', 'due', 'closed', 'closedOnTime', 'rework', 'extended'];

/** More decimals than a double can carry for a percent of real counts would be noise. */
const MAX_DECIMALS = 10;

/**
 * `numerator / denominator` in percent, rounded half up to `decimals`, computed exactly on
 * integers: scaling a float ratio (201 / 20000 × 10000 = 100.49999…) would round 1.005 % down.
 */
function percent(numerator: number, denominator: number, decimals: number): number | null {
  if (denominator === 0) return null;
  const n = BigInt(numerator) * 100n * 10n ** BigInt(decimals);
  const d = BigInt(denominator);
  // round half up: floor((2n + d) / 2d)
  const scaled = (2n * n + d) / (2n * d);
  // An integer divided by a power of ten gives the double nearest the decimal, e.g. 99.34.
  return Number(scaled) / 10 ** decimals;
}

/**
 * The KPIs of domain.md §5 in percent, rounded half up to `decimals` (default 2). A rate whose
 * denominator is 0 is null: no cases is neither 0 % nor 100 %. Counts must be non-negative
 * integers (RangeError naming the field otherwise); their consistency (closed ≤ due …) is the
 * caller's, since it is the caller that counted them.
 */
export function computeKpis(counts: KpiCounts, options: { decimals?: number } = {}): Kpis {
  const decimals = options.decimals ?? 2;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new RangeError(`decimals must be an integer from 0 to ${MAX_DECIMALS}, got ${decimals}`);
  }
  for (const field of COUNT_FIELDS) {
    const v = counts[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`${field} must be a non-negative integer, got ${String(v)}`);
    }
  }
  const rate = (k: keyof Kpis): number | null => percent(counts[KPI_FORMULAS[k].numerator], counts[KPI_FORMULAS[k].denominator], decimals);
  return {
    filingRate: rate('filingRate'),
    dispatchRate: rate('dispatchRate'),
    closureRate: rate('closureRate'),
    onTimeClosureRate: rate('onTimeClosureRate'),
    reworkRate: rate('reworkRate'),
    extensionRate: rate('extensionRate'),
  };
}
