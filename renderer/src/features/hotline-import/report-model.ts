import { HOTLINE_ROW_OUTCOMES, type HotlineImportReport, type HotlineImportRow, type HotlineRowOutcome } from '../../../../shared/contracts/hotline-import.js';

export type OutcomeFilter = HotlineRowOutcome | 'all';

/** The filter chips in order, each with its count; outcomes no row has are still shown (0), so the bar never jumps. */
export function outcomeCounts(report: HotlineImportReport): Array<{ filter: OutcomeFilter; count: number }> {
  return [{ filter: 'all', count: report.totals.rows }, ...HOTLINE_ROW_OUTCOMES.map((o) => ({ filter: o, count: report.totals[o] }))];
}

export function filterRows(rows: readonly HotlineImportRow[], filter: OutcomeFilter): HotlineImportRow[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => r.outcome === filter);
}

/** The rows an import would write: what a preview promises (never the invalid, never a duplicate). */
export function writableRows(report: HotlineImportReport): number {
  return report.rows.filter((r) => r.outcome !== 'invalid' && r.outcome !== 'duplicate_of_earlier_import').length;
}

/**
 * Whether the previewed file may be imported as previewed: all or nothing refuses a file with an
 * invalid row; either mode needs at least one row to write.
 */
export function importVerdict(preview: HotlineImportReport): { ok: true; rows: number } | { ok: false; reason: 'invalid_rows'; count: number } | { ok: false; reason: 'nothing_to_write' } {
  if (preview.mode === 'file' && preview.totals.invalid > 0) return { ok: false, reason: 'invalid_rows', count: preview.totals.invalid };
  const rows = writableRows(preview);
  return rows > 0 ? { ok: true, rows } : { ok: false, reason: 'nothing_to_write' };
}

/** `512 KB`, `1.4 MB`. */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
