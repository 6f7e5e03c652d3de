import type { KpiRow } from '../contracts/kpi.js';

/** A row of an evaluation table as printed: its place among the evaluated, or none. */
export type TableRow = KpiRow & { place: number | null };

const sameRates = (a: KpiRow, b: KpiRow) => a.kpis.onTimeClosureRate === b.kpis.onTimeClosureRate && a.kpis.closureRate === b.kpis.closureRate;

/**
 * The groups of `GET /api/v1/kpis` as the evaluation tables show them (screen and XLSX alike):
 * the cases of no one — never dispatched, no handler recorded (key '') — are not a team or a
 * person to evaluate, so they come last without a place; the others keep the API's order and
 * are placed among themselves (equal rates share a place: 1, 2, 2, 4).
 */
export function tableRows(groups: readonly KpiRow[]): TableRow[] {
  const rows: TableRow[] = [];
  for (const g of groups.filter((x) => x.key !== '')) {
    const prev = rows.at(-1);
    rows.push({ ...g, place: prev && sameRates(prev, g) ? prev.place : rows.length + 1 });
  }
  return [...rows, ...groups.filter((x) => x.key === '').map((g) => ({ ...g, place: null }))];
}
